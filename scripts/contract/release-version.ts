/**
 * `npm run release:version`: `changeset version` (bumps sdk/package.json from the pending changesets and writes
 * sdk/CHANGELOG.md), then gives openapi.yaml's info.version the same version and regenerates the types, so the
 * contract and the SDK stay one version. Then: review, `npm run release:check`, commit (sdk/README.md, Releasing).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { readContractVersion, readPackageVersion } from './contract-releases.js';

const run = (command: string, args: string[]) => execFileSync(command, args, { stdio: 'inherit' });

const before = readPackageVersion('sdk/package.json');
run('npx', ['changeset', 'version']);
const version = readPackageVersion('sdk/package.json');
if (version === before) {
  console.log(`No pending changeset for @nbhd-city/sdk: still ${version}.`);
} else {
  const text = readFileSync('openapi.yaml', 'utf8');
  // Only the info block's version line (indented two spaces under `info:`), so formatting and comments stay.
  const updated = text.replace(/^(info:\n(?:[ ].*\n)*? {2}version: ).*$/m, `$1${version}`);
  writeFileSync('openapi.yaml', updated);
  if (readContractVersion('openapi.yaml') !== version) throw new Error('could not set info.version in openapi.yaml');
  run('npm', ['run', 'generate']);
  // The lockfile records the workspace's version too.
  run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund']);
  console.log(`@nbhd-city/sdk and openapi.yaml info.version: ${before} → ${version}. Next: npm run release:check.`);
}
