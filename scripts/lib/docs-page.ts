import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const specPath = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));
const cacheDir = fileURLToPath(new URL('../../.cache/', import.meta.url));
const pagePath = `${cacheDir}docs.html`;

/**
 * The self-contained Redoc page for /docs, built from openapi.yaml by Redocly's CLI and cached until the spec
 * changes (the build takes a few seconds). Undefined when the build fails: the app then serves a stub page.
 */
export function loadDocsPage(log: (message: string) => void = () => {}): string | undefined {
  const fresh = existsSync(pagePath) && statSync(pagePath).mtimeMs >= statSync(specPath).mtimeMs;
  if (!fresh) {
    log('building the /docs page from openapi.yaml (only when the spec changed)');
    mkdirSync(cacheDir, { recursive: true });
    const result = spawnSync('npx', ['redocly', 'build-docs', specPath, '--output', pagePath], { encoding: 'utf8' });
    if (result.status !== 0) {
      log(`could not build the docs page: ${result.stderr?.slice(-500)}`);
      return undefined;
    }
  }
  return readFileSync(pagePath, 'utf8');
}
