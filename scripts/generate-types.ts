import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generatedTypesUrl, renderTypes, specUrl } from './lib/generated-types.js';

// `npm run generate`: openapi.yaml → sdk/src/generated/openapi.ts (committed; see docs/contract.md).
await mkdir(new URL('.', generatedTypesUrl), { recursive: true });
await writeFile(generatedTypesUrl, await renderTypes(specUrl));
console.log(`wrote ${fileURLToPath(generatedTypesUrl)}`);
