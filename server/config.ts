import { defaultQuotas, type QuotaLimit, type QuotaSettings } from './data/quota/settings.js';
import { type OAuthSettings, readOAuthSettings } from './oauth/oauth-settings.js';

export type Stage = 'local' | 'staging' | 'production';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
  secretKey: string;
  /** True when SECRET_KEY was missing and local mode filled in its development default. */
  usesDevSecretKey: boolean;
  accessTokenExpireMinutes: number;
  frontendUrl: string;
  bskyUsername: string | undefined;
  bskyPassword: string | undefined;
  dynamodbTableName: string;
  awsRegion: string;
  dynamodbEndpointUrl: string | undefined;
  port: number;
  stage: Stage;
  corsAllowedOrigins: string[];
  returnUrlAllowlist: string[];
  logLevel: LogLevel;
  dynamodbDataDir: string | undefined;
  /** Per-user quotas of the writes and the test login (`QUOTA_<NAME>=limit/seconds`; server/data/quota/settings.ts). */
  quotas: QuotaSettings;
  /**
   * Set when the API runs behind its edge (CloudFront + AWS WAF, template `EdgeProtection=Enabled`): the value of
   * the header CloudFront adds to every origin request; requests without it are refused (server/http/edge-origin.ts).
   */
  edgeOriginSecret: string | undefined;
  /** Bluesky OAuth client settings (docs/oauth.md); undefined when logging in with Bluesky is not configured. */
  oauth: OAuthSettings | undefined;
}

export interface LoadConfigOptions {
  /** `local` (npm start) may fill in a development SECRET_KEY; Lambda never does. */
  mode?: 'lambda' | 'local';
}

/** Used only by `npm start` when SECRET_KEY is unset; tokens signed with it are worthless anywhere else. */
export const devSecretKey = 'nbhd-city-local-development-secret-do-not-use-in-production';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function readString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}

function readChoice<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${choices.join(', ')}, got "${raw}".`);
  }
  return raw as T;
}

function readUrl(env: Env, name: string, fallback?: string): string | undefined {
  const raw = readString(env, name) ?? fallback;
  if (raw === undefined) return undefined;
  try {
    return new URL(raw).toString().replace(/\/$/, '');
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${raw}".`);
  }
}

function readList(env: Env, name: string, fallback: string[]): string[] {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      if (entry === '*') throw new ConfigError(`${name} must list origins; "*" is not allowed.`);
      return readUrl({ [name]: entry }, name) as string;
    });
}

/** `limit/seconds`, e.g. `30/60`: at most `limit` requests per fixed window of `seconds`. */
function readQuota(env: Env, name: string, fallback: QuotaLimit): QuotaLimit {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  const match = /^(\d{1,9})\s*\/\s*(\d{1,9})$/.exec(raw);
  const limit = Number(match?.[1]);
  const windowSeconds = Number(match?.[2]);
  if (!match || limit < 1 || windowSeconds < 1 || windowSeconds > 31_536_000) {
    throw new ConfigError(
      `${name} must be "limit/seconds" (e.g. "30/60"), a limit ≥ 1 and a window of 1 s to a year, got "${raw}".`,
    );
  }
  return { limit, windowSeconds };
}

/** At least 32 characters: the template generates 64 letters and digits. */
function readEdgeOriginSecret(env: Env): string | undefined {
  const secret = readString(env, 'EDGE_ORIGIN_SECRET');
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError(`EDGE_ORIGIN_SECRET must be at least 32 characters, got ${secret.length}.`);
  }
  return secret;
}

/** Each quota's setting spelled out (`toQuotaSetting` gives the same names), so the template test can see them. */
function readQuotas(env: Env): QuotaSettings {
  const quotas: QuotaSettings = {
    create: readQuota(env, 'QUOTA_CREATE', defaultQuotas.create),
    update: readQuota(env, 'QUOTA_UPDATE', defaultQuotas.update),
    delete: readQuota(env, 'QUOTA_DELETE', defaultQuotas.delete),
    membership: readQuota(env, 'QUOTA_MEMBERSHIP', defaultQuotas.membership),
    'membership-nbhd': readQuota(env, 'QUOTA_MEMBERSHIP_NBHD', defaultQuotas['membership-nbhd']),
    'test-login': readQuota(env, 'QUOTA_TEST_LOGIN', defaultQuotas['test-login']),
  };
  return Object.freeze(quotas);
}

/**
 * The app's settings from environment variables: the only reader of process.env. Fails with a message naming
 * the setting when one is missing or wrong.
 *
 * @example
 * const config = loadConfig(process.env, { mode: 'lambda' });
 */
export function loadConfig(env: Env, options: LoadConfigOptions = {}): Readonly<Config> {
  const stage = readChoice(env, 'STAGE', ['local', 'staging', 'production'] as const, 'local');
  const givenSecret = readString(env, 'SECRET_KEY');
  const usesDevSecretKey = givenSecret === undefined && options.mode === 'local' && stage === 'local';
  const secretKey = givenSecret ?? (usesDevSecretKey ? devSecretKey : undefined);
  if (secretKey === undefined) {
    throw new ConfigError('SECRET_KEY is required: the HS256 key that signs session tokens (same as the legacy API).');
  }
  const frontendUrl = readUrl(env, 'FRONTEND_URL', 'http://localhost:5173') as string;
  const port = readInteger(env, 'PORT', 3000, 0, 65535);
  let oauth: OAuthSettings | undefined;
  try {
    oauth = readOAuthSettings(env, { stage, port });
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return Object.freeze({
    secretKey,
    usesDevSecretKey,
    accessTokenExpireMinutes: readInteger(env, 'ACCESS_TOKEN_EXPIRE_MINUTES', 10080, 1, 525600),
    frontendUrl,
    bskyUsername: readString(env, 'BSKY_USERNAME'),
    bskyPassword: readString(env, 'BSKY_PASSWORD'),
    dynamodbTableName: readString(env, 'DYNAMODB_TABLE_NAME') ?? 'nbhd-city',
    awsRegion: readString(env, 'AWS_REGION') ?? 'us-east-1',
    dynamodbEndpointUrl: readUrl(env, 'DYNAMODB_ENDPOINT_URL'),
    port,
    stage,
    corsAllowedOrigins: readList(env, 'CORS_ALLOWED_ORIGINS', [frontendUrl]),
    returnUrlAllowlist: readList(env, 'RETURN_URL_ALLOWLIST', [frontendUrl]),
    logLevel: readChoice(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    dynamodbDataDir: readString(env, 'DYNAMODB_DATA_DIR'),
    quotas: readQuotas(env),
    edgeOriginSecret: readEdgeOriginSecret(env),
    oauth,
  });
}
