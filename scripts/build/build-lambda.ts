import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Metafile } from 'esbuild';
import { type Zippable, zipSync } from 'fflate';
import { loadDocsPage } from '../../tooling/docs-page.js';
import { bundleLambda, lambdaBundleName, lambdaOutDir, measureBundle } from './lambda-bundle.js';
import { bundleReplicator, replicatorBundleName, replicatorOutDir } from './replicator-bundle.js';
import { validatorsDir } from './split-request-validators.js';

/** Fixed timestamps make the zip byte-for-byte reproducible, so an unchanged build deploys as "no change". */
const fixedMtime = new Date('2020-01-01T00:00:00Z');
/** Unix file, mode 0644: Lambda's runtime user must be able to read every file. */
const fileAttributes = { os: 3, attrs: 0o100644 << 16, mtime: fixedMtime, level: 9 } as const;

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Bytes per npm package (or `server`) across the given outputs. */
function sizeByPackage(metafile: Metafile, outputs: string[]): [string, number][] {
  const byPackage = new Map<string, number>();
  for (const output of outputs) {
    for (const [path, { bytesInOutput }] of Object.entries(metafile.outputs[output]?.inputs ?? {})) {
      const trimmed = path.replace(/^node_modules\//, '');
      const name = trimmed.match(/^(@[^/]+\/[^/]+|[^/]+)/)?.[1] ?? trimmed;
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage].sort((a, b) => b[1] - a[1]);
}

/** The files of one build, named as in its zip; only this build's outputs (older chunks may sit beside them). */
function collectOutputs(metafile: Metafile, outDir: string, prefix: string): Zippable {
  const files: Zippable = {};
  for (const output of Object.keys(metafile.outputs)) {
    const name = output.slice(prefix.length);
    files[name] = [readFileSync(`${outDir}${name}`), fileAttributes];
  }
  return files;
}

/** The reverse replicator's function (infrastructure/template.yaml ReplicatorFunction): one file and its map. */
async function buildReplicator(): Promise<void> {
  const metafile = await bundleReplicator();
  writeFileSync(`${replicatorOutDir}meta.json`, JSON.stringify(metafile));
  const zipPath = `${replicatorOutDir}function.zip`;
  writeFileSync(zipPath, zipSync(collectOutputs(metafile, replicatorOutDir, 'dist/replicator/')));
  const bytes = metafile.outputs[`dist/replicator/${replicatorBundleName}`]?.bytes ?? 0;
  console.log(`replicator        dist/replicator/${replicatorBundleName}  ${kib(bytes)}`);
  console.log(`zip               dist/replicator/function.zip  ${kib(statSync(zipPath).size)}`);
}

/**
 * `npm run build:lambda`: bundles server/lambda.ts with esbuild (spec inlined, code split so the Bluesky OAuth
 * code loads on first use), adds the /docs page, and zips everything for
 * `aws lambda update-function-code --zip-file fileb://dist/lambda/function.zip` or `sam deploy`; then the reverse
 * replicator (migration/replication/lambda.ts) into dist/replicator/function.zip the same way.
 */
async function main(): Promise<void> {
  const metafile = await bundleLambda();
  writeFileSync(`${lambdaOutDir}meta.json`, JSON.stringify(metafile));
  const files = collectOutputs(metafile, lambdaOutDir, 'dist/lambda/');
  const docsHtml = await loadDocsPage((message) => console.error(message));
  if (docsHtml) {
    writeFileSync(`${lambdaOutDir}docs.html`, docsHtml);
    files['docs.html'] = [Buffer.from(docsHtml), fileAttributes];
  } else {
    console.error('warning: the /docs page could not be built; the Lambda will serve its stub page');
  }
  const zipPath = `${lambdaOutDir}function.zip`;
  writeFileSync(zipPath, zipSync(files));

  const sizes = measureBundle(metafile, `dist/lambda/${lambdaBundleName}`);
  const lazy = sizes.files.filter((file) => !sizes.startupFiles.includes(file));
  console.log(
    `cold start loads  ${kib(sizes.startupBytes)} (${sizes.startupBytes} bytes; goal ≤ 1 MB = 1,000,000 bytes): ` +
      `dist/lambda/${lambdaBundleName} + ${sizes.startupFiles.length - 1} chunk(s) it imports`,
  );
  console.log(`all code          ${kib(sizes.totalBytes)} (${sizes.totalBytes} bytes) in ${sizes.files.length} files`);
  const validators = lazy.filter((file) => file.includes(`/${validatorsDir}/`));
  for (const file of lazy.filter((file) => !validators.includes(file))) {
    console.log(`  loaded on demand ${file}  ${kib(metafile.outputs[file]?.bytes ?? 0)}`);
  }
  const validatorBytes = validators.reduce((total, file) => total + (metafile.outputs[file]?.bytes ?? 0), 0);
  console.log(
    `  loaded on demand ${validators.length} request validators (${validatorsDir}/*.cjs)  ${kib(validatorBytes)}`,
  );
  const mapBytes = readdirSync(lambdaOutDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.map') && files[file])
    .reduce((total, file) => total + statSync(`${lambdaOutDir}${file}`).size, 0);
  console.log(`source maps       ${kib(mapBytes)}`);
  console.log(`zip               dist/lambda/function.zip  ${kib(statSync(zipPath).size)}`);
  console.log('largest packages loaded at cold start:');
  for (const [name, bytes] of sizeByPackage(metafile, sizes.startupFiles).slice(0, 8)) {
    console.log(`  ${name.padEnd(40)} ${kib(bytes)}`);
  }
  await buildReplicator();
}

await main();
