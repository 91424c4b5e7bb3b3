// Prints the min+gzip size of the SDK's runtime code (what a browser app ships) and fails over budget.
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const budgetBytes = 10 * 1024;
const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** Bundles `contents` (importing from the SDK entry) minified for browsers; returns min and min+gzip bytes. */
async function measure(contents: string, external: string[]): Promise<{ min: number; gzip: number }> {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    alias: { '@nbhd-city/sdk': entry },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external,
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { min: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
const everything = `export * from '@nbhd-city/sdk';`;
const rows: [string, { min: number; gzip: number }][] = [
  ['SDK + openapi-fetch (all exports)', await measure(everything, [])],
  ['SDK alone (openapi-fetch external)', await measure(everything, ['openapi-fetch'])],
  ['tree-shaken: only NbhdApiError', await measure(`export { NbhdApiError } from '@nbhd-city/sdk';`, [])],
];
for (const [label, size] of rows) {
  console.log(`${label.padEnd(38)} min ${kb(size.min).padStart(9)}   min+gzip ${kb(size.gzip).padStart(8)}`);
}
const total = rows[0]?.[1].gzip ?? 0;
console.log(`budget ${kb(budgetBytes)} min+gzip for SDK + openapi-fetch: ${total <= budgetBytes ? 'OK' : 'OVER'}`);
if (total > budgetBytes) process.exitCode = 1;
