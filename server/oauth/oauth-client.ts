import {
  buildAtprotoLoopbackClientMetadata,
  JoseKey,
  NodeOAuthClient,
  type NodeSavedSessionStore,
  type NodeSavedStateStore,
  type OAuthClientMetadataInput,
  type RuntimeLock,
} from '@atproto/oauth-client-node';
import type { OAuthSettings } from './oauth-settings.js';

export interface OAuthClientDeps {
  settings: OAuthSettings;
  stateStore: NodeSavedStateStore;
  sessionStore: NodeSavedSessionStore;
  /** Cross-instance lock around token refreshes (server/data/table/lock.ts). */
  requestLock: RuntimeLock;
  fetch?: typeof globalThis.fetch;
}

/** Our client metadata document, as published at GET /oauth/client-metadata.json (confidential mode). */
export function buildClientMetadata(settings: OAuthSettings): OAuthClientMetadataInput {
  if (settings.mode === 'loopback') {
    return buildAtprotoLoopbackClientMetadata({
      scope: settings.scope as `atproto${string}`,
      redirect_uris: [settings.redirectUri as `http://127.0.0.1${string}`],
    });
  }
  const clientId = settings.clientId as string;
  const origin = new URL(clientId).origin;
  return {
    client_id: clientId,
    client_name: settings.clientName,
    client_uri: origin,
    application_type: 'web',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [settings.redirectUri],
    scope: settings.scope,
    dpop_bound_access_tokens: true,
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    jwks_uri: new URL('/oauth/jwks.json', origin).href,
  } as OAuthClientMetadataInput;
}

/**
 * Builds the Bluesky OAuth client. One per process is enough: everything that must survive between requests
 * (state, sessions, the refresh lock) lives in the table, so any instance can finish any login.
 */
export async function createBlueskyOAuthClient(deps: OAuthClientDeps): Promise<NodeOAuthClient> {
  const { settings } = deps;
  const keyset =
    settings.mode === 'confidential'
      ? await Promise.all(settings.privateKeys.map((jwk) => JoseKey.fromImportable(jwk as never, jwk.kid as string)))
      : undefined;
  return new NodeOAuthClient({
    clientMetadata: buildClientMetadata(settings),
    keyset,
    stateStore: deps.stateStore,
    sessionStore: deps.sessionStore,
    requestLock: deps.requestLock,
    plcDirectoryUrl: settings.plcDirectoryUrl,
    handleResolver: settings.handleResolverUrl,
    allowHttp: settings.allowHttp,
    fetch: deps.fetch,
  });
}
