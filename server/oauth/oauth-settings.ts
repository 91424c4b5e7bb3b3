/**
 * Settings of the Bluesky OAuth client, parsed from the environment map that server/config.ts hands over
 * (config.ts stays the only reader of process.env). Fails at start with a clear message.
 */
export interface OAuthSettings {
  /**
   * `confidential`: the production setup; our client metadata document and JWKS are served by this API and
   * token requests are signed with our private keys. `loopback`: a development client (no keys, no public
   * URL), allowed outside production only.
   */
  mode: 'confidential' | 'loopback';
  /** URL of our client metadata document (confidential), e.g. https://api.nbhd.city/oauth/client-metadata.json */
  clientId?: string;
  redirectUri: string;
  /** Private JWKs (ES256, each with a distinct `kid`), newest first; all of them are published. */
  privateKeys: Record<string, unknown>[];
  scope: string;
  clientName: string;
  /** Where a login without a handle starts (the user picks an account there). */
  entrywayUrl: string;
  plcDirectoryUrl: string;
  /** Resolve handles through this service's XRPC (e.g. a PDS) instead of DNS + /.well-known. */
  handleResolverUrl?: string;
  /** Talk to authorization servers over plain http (local PDS only). */
  allowHttp: boolean;
  stateTtlSeconds: number;
  sessionTtlSeconds: number;
}

type Env = Readonly<Record<string, string | undefined>>;

export class OAuthSettingsError extends Error {
  override name = 'OAuthSettingsError';
}

/**
 * Reads the OAuth settings; `stage` and `port` come from the main config. Undefined (Bluesky login not
 * configured, the app answers 503) in production without BLUESKY_OAUTH_CLIENT_ID: loopback clients are dev-only.
 */
export function readOAuthSettings(
  env: Env,
  { stage, port }: { stage: string; port: number },
): OAuthSettings | undefined {
  const clientId = optional(env, 'BLUESKY_OAUTH_CLIENT_ID');
  const mode = clientId ? 'confidential' : 'loopback';
  if (mode === 'loopback' && stage === 'production') return undefined;
  const allowHttp = optional(env, 'OAUTH_ALLOW_HTTP') === 'true';
  if (allowHttp && stage === 'production')
    throw new OAuthSettingsError('OAUTH_ALLOW_HTTP must not be set in production');

  let redirectUri = optional(env, 'BLUESKY_OAUTH_REDIRECT_URI');
  if (clientId) {
    const url = parseUrl('BLUESKY_OAUTH_CLIENT_ID', clientId);
    redirectUri ??= new URL('/auth/callback', url).href;
  } else {
    // Loopback clients must redirect to 127.0.0.1, not localhost (atproto OAuth rule).
    redirectUri ??= `http://127.0.0.1:${port}/auth/callback`;
  }
  parseUrl('BLUESKY_OAUTH_REDIRECT_URI', redirectUri);

  const privateKeys = readPrivateKeys(optional(env, 'OAUTH_PRIVATE_KEYS'));
  if (mode === 'confidential' && privateKeys.length === 0) {
    throw new OAuthSettingsError('OAUTH_PRIVATE_KEYS is required when BLUESKY_OAUTH_CLIENT_ID is set');
  }

  return Object.freeze({
    mode,
    clientId,
    redirectUri,
    privateKeys,
    scope: optional(env, 'OAUTH_SCOPE') ?? 'atproto transition:generic',
    clientName: optional(env, 'OAUTH_CLIENT_NAME') ?? 'nbhd.city',
    entrywayUrl: parseUrl('OAUTH_ENTRYWAY_URL', optional(env, 'OAUTH_ENTRYWAY_URL') ?? 'https://bsky.social'),
    plcDirectoryUrl: parseUrl(
      'OAUTH_PLC_DIRECTORY_URL',
      optional(env, 'OAUTH_PLC_DIRECTORY_URL') ?? 'https://plc.directory',
    ),
    handleResolverUrl: optional(env, 'OAUTH_HANDLE_RESOLVER_URL'),
    allowHttp,
    stateTtlSeconds: positiveInt(env, 'OAUTH_STATE_TTL_SECONDS', 600),
    sessionTtlSeconds: positiveInt(env, 'OAUTH_SESSION_TTL_SECONDS', 180 * 24 * 3600),
  });
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function parseUrl(name: string, value: string): string {
  try {
    return new URL(value).href.replace(/\/$/, '');
  } catch {
    throw new OAuthSettingsError(`${name} must be an absolute URL`);
  }
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new OAuthSettingsError(`${name} must be a positive integer`);
  return value;
}

/** OAUTH_PRIVATE_KEYS: a JSON array of private JWKs, or a JWKS object `{"keys": [...]}`. */
function readPrivateKeys(raw: string | undefined): Record<string, unknown>[] {
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // Never echo the value: it is a secret.
    throw new OAuthSettingsError('OAUTH_PRIVATE_KEYS must be JSON (an array of private JWKs or {"keys": [...]})');
  }
  const keys = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) throw new OAuthSettingsError('OAUTH_PRIVATE_KEYS must hold a list of keys');
  const kids = new Set<string>();
  for (const key of keys) {
    const jwk = key as Record<string, unknown>;
    if (typeof jwk?.kid !== 'string' || !jwk.kid)
      throw new OAuthSettingsError('every OAUTH_PRIVATE_KEYS key needs a kid');
    if (typeof jwk.d !== 'string')
      throw new OAuthSettingsError(`OAUTH_PRIVATE_KEYS key ${jwk.kid} is not a private key`);
    if (kids.has(jwk.kid)) throw new OAuthSettingsError(`OAUTH_PRIVATE_KEYS has two keys with kid ${jwk.kid}`);
    kids.add(jwk.kid);
  }
  return keys as Record<string, unknown>[];
}
