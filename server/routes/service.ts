import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { Router } from 'express';
import type { ResponseBody } from '../api-types.js';
import { runWithFaultHandling } from '../data/faults/fault-handling.js';
import { ApiError } from '../errors.js';
import type { RouteDeps } from './route-deps.js';

export interface ServiceRouterOptions {
  /** The contract as YAML text, served at /openapi.yaml (a function: made on first use). */
  apiSpecYaml: () => string;
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
export function createServiceRouter(deps: RouteDeps, options: ServiceRouterOptions): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    const body: ResponseBody<'getWelcome', 200> = { message: 'Welcome to nbhd.city API' };
    res.json(body);
  });

  router.get('/health', async (req, res) => {
    if (String(req.query.deep) !== 'true') {
      const body: ResponseBody<'getHealth', 200> = { status: 'healthy' };
      res.json(body);
      return;
    }
    try {
      // A read of a key that never exists: proves the table answers and the role may read it.
      await runWithFaultHandling(() =>
        deps.entities.neighborhoods.build(GetItemCommand).key({ id: 'health-check' }).send(),
      );
    } catch (error) {
      deps.logger.warn('deep health check failed', { error });
      throw new ApiError('service-unavailable', 'The database does not answer.', { retryAfter: 5, cause: error });
    }
    const body: ResponseBody<'getHealth', 200> = { status: 'healthy', checks: { dynamodb: 'ok' } };
    res.json(body);
  });

  router.get('/openapi.yaml', (_req, res) => {
    res.status(200).type('application/yaml').send(options.apiSpecYaml());
  });

  router.get('/docs', (_req, res) => {
    res.setHeader('Content-Security-Policy', docsContentSecurityPolicy);
    res.status(200).type('text/html').send(options.docsHtml());
  });

  return router;
}
