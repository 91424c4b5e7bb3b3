import semver from 'semver';
import { findLastRelease, readContractVersion, readPackageVersion } from './contract-releases.js';
import { readPendingBump } from './pending-release.js';
import { diffContracts, formatChanges, type Impact, rankImpact } from './redocly-diff.js';

export interface ContractCheckOptions {
  contractPath: string;
  releasesDir: string;
  sdkPackageJsonPath: string;
  /** Where `.changeset/` lives. */
  changesetRoot: string;
  sdkPackageName: string;
}

export interface ContractCheckResult {
  ok: boolean;
  lines: string[];
}

/** The semver part that differs between two versions ('none' when equal; pre-releases count as their part). */
export function bumpBetween(from: string, to: string): Impact {
  const part = semver.diff(from, to);
  if (part === null) return 'none';
  const base = part.replace(/^pre/, '');
  return base === 'major' || base === 'minor' ? base : 'patch';
}

/**
 * Compares the contract with the last released one and checks the next release's version is big enough:
 * info.version when it was already bumped, otherwise the last release bumped by the pending changesets.
 * The SDK's version must equal info.version (the SDK follows the contract).
 */
export async function checkContractVersion(options: ContractCheckOptions): Promise<ContractCheckResult> {
  const { contractPath, releasesDir, sdkPackageJsonPath } = options;
  const lines: string[] = [];
  const contractVersion = readContractVersion(contractPath);
  const sdkVersion = readPackageVersion(sdkPackageJsonPath);
  if (sdkVersion !== contractVersion) {
    lines.push(
      `${sdkPackageJsonPath} is ${sdkVersion} but ${contractPath} info.version is ${contractVersion}: the SDK's version follows the contract (npm run release:version keeps them equal).`,
    );
    return { ok: false, lines };
  }
  const last = findLastRelease(releasesDir);
  if (!last) {
    lines.push(`no released contract in ${releasesDir}/ yet: nothing to compare with.`);
    return { ok: true, lines };
  }
  if (semver.lt(contractVersion, last.version)) {
    lines.push(`${contractPath} info.version ${contractVersion} is lower than the last release, ${last.version}.`);
    return { ok: false, lines };
  }
  const diff = await diffContracts(last.path, contractPath);
  let next = contractVersion;
  let nextFrom = 'info.version';
  if (contractVersion === last.version) {
    const pending = await readPendingBump(options.changesetRoot, options.sdkPackageName);
    if (pending !== 'none') {
      next = semver.inc(last.version, pending) as string;
      nextFrom = `the pending changesets (${pending})`;
    }
  }
  const granted = bumpBetween(last.version, next);
  const { major, minor, patch } = diff.summary;
  lines.push(
    `${contractPath} against release ${last.version} (${last.path}): ${major} major, ${minor} minor, ${patch} patch changes.`,
  );
  if (diff.changes.length > 0) lines.push(formatChanges(diff.changes));
  if (rankImpact(diff.required) > rankImpact(granted)) {
    const needed = semver.inc(last.version, diff.required as 'major' | 'minor' | 'patch');
    lines.push(
      `✗ these changes need a ${diff.required} release (${needed}), but the next release is ${next} (from ${nextFrom}). ` +
        `Add a changeset for ${options.sdkPackageName} with bump "${diff.required}" (npx changeset), or undo the change.`,
    );
    return { ok: false, lines };
  }
  lines.push(
    diff.required === 'none'
      ? `✓ no changes since ${last.version}.`
      : `✓ a ${diff.required} change; the next release, ${next} (from ${nextFrom}), is a big enough bump.`,
  );
  return { ok: true, lines };
}
