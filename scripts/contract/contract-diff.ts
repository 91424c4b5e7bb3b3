import { parseArgs } from 'node:util';
import { checkContractVersion } from './contract-check.js';
import { releasesDir } from './contract-releases.js';

// `npm run contract:diff`: openapi.yaml against the last released contract (contract/releases/<version>.yaml);
// fails when a change needs a bigger version bump than the next release gets. Paths are options for the tests.
const { values } = parseArgs({
  options: {
    contract: { type: 'string', default: 'openapi.yaml' },
    releases: { type: 'string', default: releasesDir },
    'sdk-package': { type: 'string', default: 'sdk/package.json' },
    'changeset-root': { type: 'string', default: '.' },
  },
});
const result = await checkContractVersion({
  contractPath: values.contract,
  releasesDir: values.releases,
  sdkPackageJsonPath: values['sdk-package'],
  changesetRoot: values['changeset-root'],
  sdkPackageName: '@nbhd-city/sdk',
});
const print = result.ok ? console.log : console.error;
print(result.lines.join('\n'));
if (!result.ok) process.exitCode = 1;
