import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runRedocly } from './redocly.js';

/** Where `npm run docs` writes the page (git-ignored); the server serves it at /docs. */
export const docsOutputPath = fileURLToPath(new URL('../docs/index.html', import.meta.url));

/**
 * Builds openapi.yaml into one self-contained Redoc HTML page: `--inlineBundle` embeds the Redoc scripts
 * instead of loading them from a CDN, so the page works offline and behind a strict CSP's `connect-src`.
 */
export async function buildApiDocs(outputPath: string = docsOutputPath, specPath = 'openapi.yaml'): Promise<string> {
  await mkdir(dirname(outputPath), { recursive: true });
  await runRedocly(['build-docs', specPath, '--inlineBundle', '--title=nbhd.city API', `--output=${outputPath}`]);
  return outputPath;
}
