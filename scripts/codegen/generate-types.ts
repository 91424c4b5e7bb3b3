import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './generated-files.js';

// `npm run generate`: every file generated from openapi.yaml, all committed (see docs/contract.md).
for (const { url, render } of generatedFiles) {
  await mkdir(new URL('.', url), { recursive: true });
  await writeFile(url, await render());
  console.log(`wrote ${fileURLToPath(url)}`);
}
