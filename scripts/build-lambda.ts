import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { type Zippable, zipSync } from 'fflate';
import { loadDocsPage } from './lib/docs-page.js';
import { bundleLambda, lambdaBundleName, lambdaOutDir } from './lib/lambda-bundle.js';

/** Fixed timestamps make the zip byte-for-byte reproducible, so an unchanged build deploys as "no change". */
const fixedMtime = new Date('2020-01-01T00:00:00Z');
/** Unix file, mode 0644: Lambda's runtime user must be able to read every file. */
const fileAttributes = { os: 3, attrs: 0o100644 << 16, mtime: fixedMtime, level: 9 } as const;

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * `npm run build:lambda`: bundles server/lambda.ts with esbuild (spec inlined), adds the /docs page, and zips
 * everything for `aws lambda update-function-code --zip-file fileb://dist/lambda/function.zip` or `sam deploy`.
 */
async function main(): Promise<void> {
  const metafile = await bundleLambda();
  writeFileSync(`${lambdaOutDir}meta.json`, JSON.stringify(metafile));
  const files: Zippable = {};
  for (const name of [lambdaBundleName, `${lambdaBundleName}.map`]) {
    files[name] = [readFileSync(`${lambdaOutDir}${name}`), fileAttributes];
  }
  const docsHtml = await loadDocsPage((message) => console.error(message));
  if (docsHtml) {
    writeFileSync(`${lambdaOutDir}docs.html`, docsHtml);
    files['docs.html'] = [Buffer.from(docsHtml), fileAttributes];
  } else {
    console.error('warning: the /docs page could not be built; the Lambda will serve its stub page');
  }
  const zipPath = `${lambdaOutDir}function.zip`;
  writeFileSync(zipPath, zipSync(files));

  const bundleBytes = statSync(`${lambdaOutDir}${lambdaBundleName}`).size;
  const largest = Object.entries(metafile.outputs[`dist/lambda/${lambdaBundleName}`]?.inputs ?? {})
    .map(([path, { bytesInOutput }]) => [path.replace(/^node_modules\//, ''), bytesInOutput] as const)
    .reduce((byPackage, [path, bytes]) => {
      const name = path.match(/^(@[^/]+\/[^/]+|[^/]+)/)?.[1] ?? path;
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytes);
      return byPackage;
    }, new Map<string, number>());
  console.log(
    `bundle   dist/lambda/${lambdaBundleName}  ${kib(bundleBytes)} (goal ≤ 1 MB = 1,000,000 bytes: ${bundleBytes} bytes)`,
  );
  console.log(
    `map      dist/lambda/${lambdaBundleName}.map  ${kib(statSync(`${lambdaOutDir}${lambdaBundleName}.map`).size)}`,
  );
  console.log(`zip      dist/lambda/function.zip  ${kib(statSync(zipPath).size)}`);
  console.log('largest packages in the bundle:');
  for (const [name, bytes] of [...largest].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    console.log(`  ${name.padEnd(40)} ${kib(bytes)}`);
  }
}

await main();
