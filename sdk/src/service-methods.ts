import type { Transport } from './transport.js';
import type { CallOptions, QueryOf } from './types.js';

/** Methods of the Service tag and the public OAuth documents. */
export function createServiceMethods({ raw, send }: Transport) {
  return {
    /** `GET /`: the welcome message. */
    getWelcome: (options?: CallOptions) => send((signal) => raw.GET('/', { signal }), options),

    /** `GET /health`: liveness; with `{ deep: true }` also checks DynamoDB (throws NbhdApiError 503 when it fails). */
    getHealth: (query: QueryOf<'getHealth'> = {}, options?: CallOptions) =>
      send((signal) => raw.GET('/health', { params: { query }, signal }), options),

    /** `GET /openapi.yaml`: the OpenAPI document as YAML text. */
    getOpenApiDocument: (options?: CallOptions): Promise<string> =>
      send((signal) => raw.GET('/openapi.yaml', { parseAs: 'text', signal }), options),

    /** `GET /docs`: the Redoc HTML page. */
    getApiDocs: (options?: CallOptions): Promise<string> =>
      send((signal) => raw.GET('/docs', { parseAs: 'text', signal }), options),

    /** `GET /oauth/client-metadata.json`: the Bluesky OAuth client metadata document. */
    getOAuthClientMetadata: (options?: CallOptions) =>
      send((signal) => raw.GET('/oauth/client-metadata.json', { signal }), options),

    /** `GET /oauth/jwks.json`: the OAuth client's public keys. */
    getOAuthJwks: (options?: CallOptions) => send((signal) => raw.GET('/oauth/jwks.json', { signal }), options),
  };
}
