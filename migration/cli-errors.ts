import pg from 'pg';

/** Where the CLI was pointed, to name in a failure (the database URL without its password). */
export interface FailureContext {
  databaseUrl: string | undefined;
  dynamodb: string;
}

interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: unknown;
  errors?: unknown[];
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
]);
const awsCredentialErrors = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId',
]);
const awsAccessErrors = new Set(['AccessDeniedException', 'AccessDenied']);

/** "postgres://user@host:port/db", never the password. */
export function redactDatabaseUrl(url: string | undefined): string {
  if (!url) return 'DATABASE_URL';
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString().replace(/\?.*$/, '');
  } catch {
    return 'DATABASE_URL (not a valid URL)';
  }
}

/** The network error code of an error, or of the first attempt of an AggregateError (localhost's IPv4 + IPv6). */
function readNetworkCode(error: ErrorShape): string | undefined {
  if (error.code && networkCodes.has(error.code)) return error.code;
  const first = error.errors?.[0] as ErrorShape | undefined;
  return first?.code && networkCodes.has(first.code) ? first.code : undefined;
}

/**
 * One line for an operator: what failed and what to check, for the failures of the environment (unreachable
 * PostgreSQL or DynamoDB, refused credentials, missing permissions). Undefined for anything else, which is a
 * bug worth its stack trace. AWS SDK errors carry `$metadata` (network ones included); pg's do not.
 */
export function explainFailure(error: unknown, context: FailureContext): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as ErrorShape;
  const postgres = `PostgreSQL at ${redactDatabaseUrl(context.databaseUrl)}`;
  const dynamodb = `DynamoDB at ${context.dynamodb}`;
  const networkCode = readNetworkCode(e);
  const fromAws =
    e.$metadata !== undefined || awsCredentialErrors.has(e.name ?? '') || awsAccessErrors.has(e.name ?? '');
  if (fromAws) {
    if (networkCode) {
      return `cannot reach ${dynamodb} (${networkCode}): check --endpoint / DYNAMODB_ENDPOINT_URL (or AWS_REGION) and that the service is running.`;
    }
    if (awsCredentialErrors.has(e.name ?? '')) {
      return `${dynamodb} refused the credentials (${e.name}: ${e.message}): check AWS_PROFILE or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, and that they are not expired.`;
    }
    if (awsAccessErrors.has(e.name ?? '')) {
      return `${dynamodb} denied access (${e.name}: ${e.message}): the credentials' IAM policy must allow the table's DescribeTable, Scan, BatchWriteItem and CreateTable actions.`;
    }
    return undefined;
  }
  if (networkCode) {
    return `cannot reach ${postgres} (${networkCode}): check DATABASE_URL (or --database-url) and that PostgreSQL is running and accepts connections from here.`;
  }
  if (error instanceof pg.DatabaseError) {
    const cause = `SQLSTATE ${e.code}: ${e.message}`;
    if (e.code?.startsWith('28')) {
      return `${postgres} refused the login (${cause}): check the user and password in DATABASE_URL.`;
    }
    if (e.code === '3D000') return `${postgres}: the database does not exist (${cause}): check DATABASE_URL.`;
    if (e.code === '42501') {
      return `${postgres} denied access (${cause}): the user needs SELECT on neighborhoods and memberships (generate also needs INSERT).`;
    }
    if (e.code === '42P01') {
      return `${postgres} has no legacy tables (${cause}): check that DATABASE_URL names the legacy database.`;
    }
  }
  // pg's own client-side check when the server asks for a password the URL does not have.
  if (/^SASL: |password must be a string/.test(e.message ?? '')) {
    return `${postgres} needs a password (${e.message}): check the password in DATABASE_URL.`;
  }
  return undefined;
}
