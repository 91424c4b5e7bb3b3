import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { loadOpenApiDocument } from '../../server/openapi-document.js';
import { lazyMimeMaps, requireNodeBuiltins, trimMimeDb } from './lambda-bundle-plugins.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const lambdaEntry = `${repoRoot}server/lambda.ts`;
export const lambdaOutDir = `${repoRoot}dist/lambda/`;
/** `index.handler` in the template: the file name (without extension) and the export. */
export const lambdaBundleName = 'index.mjs';

/** Keys that only document (validation never reads them), unless they name a property (`properties.description`). */
const annotationKeys = new Set(['description', 'summary', 'example', 'examples', 'externalDocs']);

function stripAnnotations(node: unknown, parentKey?: string): unknown {
  if (Array.isArray(node)) return node.map((item) => stripAnnotations(item));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => parentKey === 'properties' || !annotationKeys.has(key))
      .map(([key, value]) => [key, stripAnnotations(value, key)]),
  );
}

/**
 * Replaces server/openapi-document.ts with the parsed spec as a JSON string (JSON.parse beats an object literal),
 * without its prose and examples: on Lambda the object only feeds request validation, and GET /openapi.yaml
 * serves the file's own text (lambda-shims/yaml.mjs).
 */
const inlineOpenApiDocument: Plugin = {
  name: 'inline-openapi-document',
  setup(pluginBuild) {
    // The original text for GET /openapi.yaml (lambda-shims/yaml.mjs serves it), gzipped: read once, if ever.
    pluginBuild.onResolve({ filter: /^nbhd:openapi-yaml-text$/ }, () => ({
      path: 'openapi-yaml-text',
      namespace: 'nbhd',
    }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'nbhd' }, async () => ({
      loader: 'js',
      contents: `export const openApiYamlGzipBase64 = ${JSON.stringify(gzipSync(await readFile(`${repoRoot}openapi.yaml`), { level: 9 }).toString('base64'))};`,
    }));
    pluginBuild.onLoad({ filter: /[\\/]server[\\/]openapi-document\.ts$/ }, () => ({
      loader: 'js',
      contents: `const text = ${JSON.stringify(JSON.stringify(stripAnnotations(loadOpenApiDocument())))};
export function loadOpenApiDocument() { return JSON.parse(text); }`,
    }));
  },
};

const shimsDir = `${repoRoot}scripts/lib/lambda-shims/`;

/**
 * esbuild settings for the Lambda bundle: minified ESM for Node 22 with linked source maps, split into the entry
 * (index.mjs) and chunks/ loaded by dynamic import() — the Bluesky OAuth code (server/oauth/bluesky-routes.ts)
 * sits in a chunk a cold start never reads. ESM output needs a real `require` for the CommonJS dependencies
 * (express & co.) that require Node built-ins; the banner gives every file its own.
 */
export function getLambdaBuildOptions(): BuildOptions {
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
    plugins: [inlineOpenApiDocument, trimMimeDb, lazyMimeMaps, requireNodeBuiltins],
    // Dead weight on Lambda, replaced by small stand-ins (each file says why it is safe).
    alias: {
      'iconv-lite': `${shimsDir}iconv-lite.cjs`,
      yaml: `${shimsDir}yaml.mjs`,
      '@aws-sdk/credential-provider-node': `${shimsDir}credential-provider-node.mjs`,
      'object-inspect': `${shimsDir}object-inspect.cjs`,
      debug: `${shimsDir}debug.cjs`,
      undici_v7: `${shimsDir}undici-unused-major.mjs`,
      undici_v8: `${shimsDir}undici-unused-major.mjs`,
    },
  };
}

/** Bundles server/lambda.ts into dist/lambda/index.mjs + chunks/*.mjs (+ .map) and returns esbuild's metafile. */
export async function bundleLambda(overrides: Partial<BuildOptions> = {}): Promise<Metafile> {
  const result = await build({ ...getLambdaBuildOptions(), ...overrides });
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
  const files = Object.keys(outputs).filter((path) => path.endsWith('.mjs'));
  const sum = (paths: string[]) => paths.reduce((total, path) => total + (outputs[path]?.bytes ?? 0), 0);
  return { startupFiles: [...startup], startupBytes: sum([...startup]), files, totalBytes: sum(files) };
}
