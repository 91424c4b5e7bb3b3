import { checkGeneratedTypes, describeDrift } from './lib/generated-types.js';

// `npm run check:generated`: fails when the committed generated types no longer match openapi.yaml.
const drift = await checkGeneratedTypes();
if (drift) {
  console.error(describeDrift(drift));
  process.exitCode = 1;
} else {
  console.log('generated types are up to date');
}
