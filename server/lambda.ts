import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from './config.js';
import { createLambdaHandler } from './lambda-adapter.js';
import { type HttpApiHandler, withObservability } from './observability/with-observability.js';
import { createRuntime } from './runtime.js';

/** Next to the bundle (the build copies it into the zip) or at the repo root when run from source. */
function readAsset(name: string): string | undefined {
  for (const candidate of [new URL(`./${name}`, import.meta.url), new URL(`../${name}`, import.meta.url)]) {
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
  }
  return undefined;
}

// Built at module scope, in Lambda's init phase: provisioned concurrency pre-initialises the whole app.
const runtime = createRuntime(loadConfig(process.env, { mode: 'lambda' }), { docsHtml: () => readAsset('docs.html') });

/** The Lambda entry (HTTP API v2 events), with request-scoped logging and EMF metrics. */
export const handler: HttpApiHandler = withObservability(createLambdaHandler(runtime.app) as HttpApiHandler, runtime);
