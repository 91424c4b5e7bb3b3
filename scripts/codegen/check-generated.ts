import { generatedFiles } from './generated-files.js';
import { describeDrift } from './generated-types.js';

// `npm run check:generated`: fails when a committed generated file no longer matches openapi.yaml.
const drifts = await Promise.all(generatedFiles.map(async ({ url, check }) => ({ url, drift: await check() })));
for (const { url, drift } of drifts) if (drift) console.error(describeDrift(drift, url));
if (drifts.some(({ drift }) => drift)) process.exitCode = 1;
else console.log('generated files are up to date');
