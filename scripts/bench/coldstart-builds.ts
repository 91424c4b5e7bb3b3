import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import { build } from 'esbuild';
import { bundleLambda, lambdaBundleName, measureBundle, repoRoot } from '../build/lambda-bundle.js';
import type { SubstitutionName } from '../build/lambda-bundle-substitutions.js';

// The builds bench:coldstart times beside the Lambda bundle (scripts/bench/bench-coldstart.ts), each in its own dist/ folder.

const withoutDir = `${repoRoot}dist/coldstart-without/`;
const unbundledDir = `${repoRoot}dist/unbundled/`;
const floorDir = `${repoRoot}dist/coldstart-floor/`;
export const floors = {
  empty: 'floor: a handler that does nothing',
  'sdk-query': 'floor: the AWS SDK alone, one shard query',
  'stack-one-query': 'floor: the stack, one shard query',
  stack: 'floor: serverless-express+Express+toolbox',
} as const;

/**
 * Bundles a floor handler with the Lambda bundle's settings (linked maps too, for --cpu-prof) into `outdir`
 * (dist/coldstart-floor/<name>/ unless given); returns its entry and what a cold start loads.
 */
export async function buildFloor(
  name: keyof typeof floors,
  outdir = `${floorDir}${name}/`,
): Promise<{ path: string; startupBytes: number }> {
  rmSync(outdir, { recursive: true, force: true });
  const metafile = await bundleLambda({
    entryPoints: [{ in: `${repoRoot}scripts/bench/coldstart-floor/${name}.ts`, out: 'index' }],
    outdir,
  });
  const entry = relative(repoRoot, `${outdir}${lambdaBundleName}`);
  return { path: `${outdir}${lambdaBundleName}`, startupBytes: measureBundle(metafile, entry).startupBytes };
}

/** The bundle with `off` switched off, in dist/coldstart-without/<dir>/; openapi.yaml sits where the unsubstituted code reads it. */
export async function buildWithout(
  dir: string,
  off: SubstitutionName[],
): Promise<{ path: string; startupBytes: number }> {
  const outdir = `${withoutDir}${dir}/`;
  rmSync(outdir, { recursive: true, force: true });
  const metafile = await bundleLambda({ outdir }, off);
  copyFileSync(`${repoRoot}openapi.yaml`, `${withoutDir}openapi.yaml`);
  const entry = `dist/coldstart-without/${dir}/${lambdaBundleName}`;
  return { path: `${outdir}${lambdaBundleName}`, startupBytes: measureBundle(metafile, entry).startupBytes };
}

/** The same sources, transpiled file by file (no bundling): Node resolves node_modules at run time. */
export async function buildUnbundled(): Promise<string> {
  rmSync(unbundledDir, { recursive: true, force: true });
  const sources = readdirSync(`${repoRoot}server`, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `${repoRoot}server/${file}`);
  await build({
    entryPoints: sources,
    outdir: `${unbundledDir}server`,
    format: 'esm',
    platform: 'node',
    target: 'node22',
  });
  mkdirSync(unbundledDir, { recursive: true });
  copyFileSync(`${repoRoot}openapi.yaml`, `${unbundledDir}openapi.yaml`);
  return `${unbundledDir}server/lambda.js`;
}
