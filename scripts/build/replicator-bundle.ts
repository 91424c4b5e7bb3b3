import { type BuildOptions, build, type Metafile } from 'esbuild';
import { repoRoot } from './lambda-bundle.js';

export const replicatorEntry = `${repoRoot}migration/replication/lambda.ts`;
export const replicatorOutDir = `${repoRoot}dist/replicator/`;
/** `index.handler` in the template's ReplicatorFunction. */
export const replicatorBundleName = 'index.mjs';

/**
 * esbuild settings for the reverse replicator (DynamoDB Streams → PostgreSQL): one minified ESM file for Node 22
 * with a linked source map. None of the API bundle's substitutions: its cold start is not on a user's request.
 * `pg-native` stays out: pg loads it only for `pg.native`, which the replicator never touches (no native module,
 * so the zip runs on arm64). The banner gives pg's CommonJS a real `require` for Node's built-ins.
 */
export function getReplicatorBuildOptions(): BuildOptions {
  return {
    entryPoints: [{ in: replicatorEntry, out: 'index' }],
    outExtension: { '.js': '.mjs' },
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    outdir: replicatorOutDir,
    metafile: true,
    absWorkingDir: repoRoot,
    legalComments: 'none',
    charset: 'ascii',
    logLevel: 'warning',
    external: ['pg-native'],
    banner: {
      js: "import{createRequire as __nbhdCreateRequire}from'node:module';const require=__nbhdCreateRequire(import.meta.url);",
    },
  };
}

/** Bundles migration/replication/lambda.ts into dist/replicator/index.mjs (+ .map); returns esbuild's metafile. */
export async function bundleReplicator(overrides: Partial<BuildOptions> = {}): Promise<Metafile> {
  const result = await build({ ...getReplicatorBuildOptions(), ...overrides });
  if (!result.metafile) throw new Error('esbuild returned no metafile');
  return result.metafile;
}

/** Our own source files (server/**, migration/**) in the replicator bundle: what the function can run. */
export function listReplicatorSourceFiles(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs)
    .filter((input) => input.startsWith('server/') || input.startsWith('migration/'))
    .map((input) => `${repoRoot}${input}`);
}
