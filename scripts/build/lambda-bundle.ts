import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { type SubstitutionName, selectSubstitutions } from './lambda-bundle-substitutions.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const lambdaEntry = `${repoRoot}server/lambda.ts`;
export const lambdaOutDir = `${repoRoot}dist/lambda/`;
/** `index.handler` in the template: the file name (without extension) and the export. */
export const lambdaBundleName = 'index.mjs';

/**
 * esbuild settings for the Lambda bundle: minified ESM for Node 22 with linked source maps, split into the entry
 * (index.mjs) and chunks/ loaded by dynamic import() — the Bluesky OAuth code (server/oauth/bluesky-login.ts)
 * sits in a chunk a cold start never reads. ESM output needs a real `require` for the CommonJS dependencies
 * (express & co.) that require Node built-ins; the banner gives every file its own. `without` switches
 * substitutions off (lambda-bundle-substitutions.ts), for bench:coldstart and the tests that guard them.
 */
export function getLambdaBuildOptions(without: readonly SubstitutionName[] = []): BuildOptions {
  const substitutions = selectSubstitutions(repoRoot, without);
  return {
    entryPoints: [{ in: lambdaEntry, out: 'index' }],
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // Prefer packages' ESM builds: they tree-shake (the AWS SDK ships both).
    mainFields: ['module', 'main'],
    outdir: lambdaOutDir,
    metafile: true,
    absWorkingDir: repoRoot,
    legalComments: 'none',
    // Non-ASCII as escapes: a single non-Latin-1 character (encodeurl has one) makes V8 hold and scan the whole
    // file as a two-byte string.
    charset: 'ascii',
    logLevel: 'warning',
    banner: {
      js: "import{createRequire as __nbhdCreateRequire}from'node:module';const require=__nbhdCreateRequire(import.meta.url);",
    },
    plugins: substitutions.flatMap((substitution) => substitution.plugins ?? []),
    alias: Object.assign({}, ...substitutions.map((substitution) => substitution.alias ?? {})),
  };
}

/** Bundles server/lambda.ts into dist/lambda/index.mjs + chunks/*.mjs (+ .map) and returns esbuild's metafile. */
export async function bundleLambda(
  overrides: Partial<BuildOptions> = {},
  without: readonly SubstitutionName[] = [],
): Promise<Metafile> {
  const result = await build({ ...getLambdaBuildOptions(without), ...overrides });
  if (!result.metafile) throw new Error('esbuild returned no metafile');
  return result.metafile;
}

/** Our own source files (server/**) that end up in the bundle: what the Lambda can actually run. */
export function listBundledSourceFiles(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs)
    .filter((input) => input.startsWith('server/'))
    .map((input) => `${repoRoot}${input}`);
}

export interface BundleSizes {
  /** The entry and the chunks it imports statically: what a cold start loads and parses. */
  startupFiles: string[];
  startupBytes: number;
  /** Every .mjs output (the zip also holds the .map files and docs.html). */
  files: string[];
  totalBytes: number;
}

/** Output sizes from esbuild's metafile; `entry` is the entry's output path as the metafile names it. */
export function measureBundle(metafile: Metafile, entry: string): BundleSizes {
  const outputs = metafile.outputs;
  const startup = new Set<string>();
  const visit = (path: string) => {
    if (startup.has(path) || !outputs[path]) return;
    startup.add(path);
    for (const imported of outputs[path].imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entry);
  const files = Object.keys(outputs).filter((path) => path.endsWith('.mjs') || path.endsWith('.cjs'));
  const sum = (paths: string[]) => paths.reduce((total, path) => total + (outputs[path]?.bytes ?? 0), 0);
  return { startupFiles: [...startup], startupBytes: sum([...startup]), files, totalBytes: sum(files) };
}
