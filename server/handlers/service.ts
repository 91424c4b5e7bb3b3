import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { runWithFaultHandling } from '../data/faults/fault-handling.js';
import { ApiError } from '../errors.js';
import type { OperationHandlers } from '../http/operation-types.js';
import type { HandlerDeps } from './handler-deps.js';

type ServiceHandlers = Pick<OperationHandlers, 'getWelcome' | 'getHealth' | 'getOpenApiDocument' | 'getApiDocs'>;

export interface ServiceDocuments {
  /** The contract as YAML text, served at /openapi.yaml (a function: made on first use). */
  apiSpecYaml: () => Promise<string>;
  /** The Redoc page for /docs (built from the same spec by `npm run build:docs-page`; a function: read on first use). */
  docsHtml: () => string;
}

/** Redoc runs inline scripts and a blob: worker, so /docs gets its own, looser CSP than the JSON API. */
const docsContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-inline' blob:",
  "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com",
  "font-src 'self' data: https://fonts.gstatic.com",
  "img-src 'self' data: https:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The Service tag: welcome, health, the contract and its docs page. */
export function createServiceHandlers(deps: HandlerDeps, documents: ServiceDocuments): ServiceHandlers {
  return {
    getWelcome: () => ({ status: 200, body: { message: 'Welcome to nbhd.city API' } }),

    async getHealth({ query }) {
      if (!query.deep) return { status: 200, body: { status: 'healthy' } };
      try {
        // A read of a key that never exists: proves the table answers and the role may read it.
        await runWithFaultHandling(() =>
          deps.entities.neighborhoods.build(GetItemCommand).key({ id: 'health-check' }).send(),
        );
      } catch (error) {
        deps.logger.warn('deep health check failed', { error });
        throw new ApiError('service-unavailable', 'The database does not answer.', { retryAfter: 5, cause: error });
      }
      return { status: 200, body: { status: 'healthy', checks: { dynamodb: 'ok' } } };
    },

    getOpenApiDocument: async () => ({ status: 200, type: 'application/yaml', body: await documents.apiSpecYaml() }),

    getApiDocs: () => ({
      status: 200,
      type: 'text/html',
      body: documents.docsHtml(),
      headers: { 'Content-Security-Policy': docsContentSecurityPolicy },
    }),
  };
}
