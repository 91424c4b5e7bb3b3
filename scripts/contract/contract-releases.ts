import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { parse } from 'yaml';

/** Where each released contract is kept: `<version>.yaml`, a copy of openapi.yaml as it was released. */
export const releasesDir = 'contract/releases';

export interface ReleasedContract {
  version: string;
  path: string;
}

/** The highest released version in `dir` (files named `<semver>.yaml`), or undefined before the first release. */
export function findLastRelease(dir: string = releasesDir): ReleasedContract | undefined {
  if (!existsSync(dir)) return undefined;
  const versions = readdirSync(dir)
    .map((file) => /^(.+)\.yaml$/.exec(file)?.[1])
    .filter((version): version is string => version !== undefined && semver.valid(version) === version);
  const last = semver.rsort(versions)[0];
  return last ? { version: last, path: join(dir, `${last}.yaml`) } : undefined;
}

/** `info.version` of a contract file. */
export function readContractVersion(contractPath: string): string {
  const document = parse(readFileSync(contractPath, 'utf8')) as { info?: { version?: unknown } };
  const version = document.info?.version;
  if (typeof version !== 'string' || semver.valid(version) !== version) {
    throw new Error(`${contractPath}: info.version must be a semver version (x.y.z), got ${JSON.stringify(version)}`);
  }
  return version;
}

/** `version` of a package.json. */
export function readPackageVersion(packageJsonPath: string): string {
  const manifest = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error(`${packageJsonPath}: no version`);
  return manifest.version;
}
