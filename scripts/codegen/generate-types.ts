import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generatedTypesUrl, renderTypes, specUrl } from './generated-types.js';
import { operationTableUrl, renderOperationTableFrom } from './operation-table.js';
import { renderRequestValidatorsFrom, requestValidatorsUrl } from './request-validators.js';

// `npm run generate`: openapi.yaml → contract/generated/openapi.ts (types),
// server/generated/request-validators.ts (compiled request validation) and contract/generated/operations.ts
// (the operation table the load test reads); all committed (see docs/contract.md).
for (const [url, render] of [
  [generatedTypesUrl, () => renderTypes(specUrl)],
  [requestValidatorsUrl, () => renderRequestValidatorsFrom(specUrl)],
  [operationTableUrl, () => renderOperationTableFrom(specUrl)],
] as const) {
  await mkdir(new URL('.', url), { recursive: true });
  await writeFile(url, await render());
  console.log(`wrote ${fileURLToPath(url)}`);
}
