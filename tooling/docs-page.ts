import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApiDocs, docsOutputPath } from './api-docs.js';

const specPath = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

/**
 * The self-contained Redoc page for /docs, as `npm run docs` builds it (docs/index.html), rebuilt only when
 * openapi.yaml is newer (the build takes a few seconds). Undefined when the build fails: the app then serves
 * a stub page that links to /openapi.yaml.
 */
export async function loadDocsPage(log: (message: string) => void = () => {}): Promise<string | undefined> {
  const fresh = existsSync(docsOutputPath) && statSync(docsOutputPath).mtimeMs >= statSync(specPath).mtimeMs;
  if (!fresh) {
    log('building the /docs page from openapi.yaml (npm run docs; only when the spec changed)');
    try {
      await buildApiDocs(docsOutputPath, specPath);
    } catch (error) {
      log(`could not build the docs page: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
  return readFileSync(docsOutputPath, 'utf8');
}
