import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readContractVersion, releasesDir } from './contract-releases.js';

// `npm run contract:release [-- --force]`: records openapi.yaml as the released contract of its info.version,
// the base that `npm run contract:diff` compares against. Run it when that version is published.
const { values } = parseArgs({
  options: { force: { type: 'boolean', default: false }, contract: { type: 'string', default: 'openapi.yaml' } },
});
const version = readContractVersion(values.contract);
const target = join(releasesDir, `${version}.yaml`);
if (existsSync(target) && readFileSync(target, 'utf8') !== readFileSync(values.contract, 'utf8') && !values.force) {
  console.error(
    `${target} exists and differs: a released contract does not change. --force replaces it (before publishing only).`,
  );
  process.exit(1);
}
mkdirSync(releasesDir, { recursive: true });
copyFileSync(values.contract, target);
console.log(`recorded ${values.contract} as the released contract ${version}: ${target}`);
