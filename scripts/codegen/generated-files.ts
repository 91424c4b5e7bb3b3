import type { GeneratedDrift } from './generated-types.js';
import { checkGeneratedTypes, generatedTypesUrl, renderTypes, specUrl } from './generated-types.js';
import { checkOperationTable, operationTableUrl, renderOperationTableFrom } from './operation-table.js';
import { checkRequestValidators, renderRequestValidatorsFrom, requestValidatorsUrl } from './request-validators.js';

/** One committed file generated from openapi.yaml: where it lives, how it is made, how it is checked. */
export interface GeneratedFile {
  url: URL;
  render: () => Promise<string>;
  check: () => Promise<GeneratedDrift | undefined>;
}

/** Every generated file: `npm run generate` writes them and `npm run check:generated` compares them. */
export const generatedFiles: readonly GeneratedFile[] = [
  // The contract's types, for the server and the SDK alike.
  { url: generatedTypesUrl, render: () => renderTypes(specUrl), check: () => checkGeneratedTypes() },
  // The request validators compiled at build time, so a cold start compiles nothing.
  { url: requestValidatorsUrl, render: () => renderRequestValidatorsFrom(), check: () => checkRequestValidators() },
  // The operation table the load test and bench:api read.
  { url: operationTableUrl, render: () => renderOperationTableFrom(), check: () => checkOperationTable() },
];
