/** What the replicator Lambda reads from its environment (the template sets it; docs/deploy.md lists it). */
export interface ReplicatorConfig {
  /** The Secrets Manager secret with the legacy database's credentials (RDS's JSON shape, or DATABASE_URL). */
  databaseSecretArn: string;
  tableName: string;
  region: string;
  /** DynamoDB Local in tests; never set on AWS. */
  dynamodbEndpointUrl: string | undefined;
  /** `verify`: TLS with the server's certificate checked; `require`: TLS, not checked; `off`: no TLS. */
  databaseSsl: DatabaseSsl;
  /** One shard's batch is applied in order: one connection is enough, two leave room for a retry. */
  databasePoolMax: number;
  /** Idle connections are closed soon, so a quiet replicator holds no connection to the legacy database. */
  databaseIdleTimeoutMs: number;
  databaseConnectTimeoutMs: number;
}

export type DatabaseSsl = 'verify' | 'require' | 'off';

export class ReplicatorConfigError extends Error {
  override readonly name = 'ReplicatorConfigError';
}

type Env = Record<string, string | undefined>;

const readString = (env: Env, name: string) => env[name]?.trim() || undefined;

function readRequired(env: Env, name: string, why: string): string {
  const value = readString(env, name);
  if (value === undefined) throw new ReplicatorConfigError(`${name} is required: ${why}.`);
  return value;
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ReplicatorConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}

const sslChoices: readonly DatabaseSsl[] = ['verify', 'require', 'off'];

/** Reads and checks the replicator's settings; throws one clear ReplicatorConfigError on the first bad one. */
export function loadReplicatorConfig(env: Env): Readonly<ReplicatorConfig> {
  const ssl = readString(env, 'DATABASE_SSL') ?? 'verify';
  if (!(sslChoices as readonly string[]).includes(ssl)) {
    throw new ReplicatorConfigError(`DATABASE_SSL must be one of ${sslChoices.join(', ')}, got "${ssl}".`);
  }
  return Object.freeze({
    databaseSecretArn: readRequired(
      env,
      'DATABASE_SECRET_ARN',
      'the ARN of the Secrets Manager secret holding the legacy database credentials',
    ),
    tableName: readRequired(env, 'DYNAMODB_TABLE_NAME', 'the table whose stream this function applies'),
    region: readRequired(env, 'AWS_REGION', 'the Lambda runtime sets it'),
    dynamodbEndpointUrl: readString(env, 'DYNAMODB_ENDPOINT_URL'),
    databaseSsl: ssl as DatabaseSsl,
    databasePoolMax: readInteger(env, 'DATABASE_POOL_MAX', 1, 1, 2),
    databaseIdleTimeoutMs: readInteger(env, 'DATABASE_IDLE_TIMEOUT_MS', 10_000, 1_000, 300_000),
    databaseConnectTimeoutMs: readInteger(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5_000, 500, 60_000),
  });
}
