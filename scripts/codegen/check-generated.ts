import { checkGeneratedTypes, describeDrift, generatedTypesUrl } from './generated-types.js';
import { checkOperationTable, operationTableUrl } from './operation-table.js';
import { checkRequestValidators, requestValidatorsUrl } from './request-validators.js';

// `npm run check:generated`: fails when a committed generated file no longer matches openapi.yaml.
const checks = [
  [generatedTypesUrl, await checkGeneratedTypes()],
  [requestValidatorsUrl, await checkRequestValidators()],
  [operationTableUrl, await checkOperationTable()],
] as const;
for (const [url, drift] of checks) if (drift) console.error(describeDrift(drift, url));
if (checks.some(([, drift]) => drift)) process.exitCode = 1;
else console.log('generated files are up to date');
