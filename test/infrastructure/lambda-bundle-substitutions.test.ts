import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile, transform } from 'esbuild';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { node22Binary } from '../../scripts/bench/run-lambda-module.js';
import { bundleLambda, measureBundle, repoRoot } from '../../scripts/build/lambda-bundle.js';
import { lazyMimeMaps, trimMimeDb } from '../../scripts/build/lambda-bundle-plugins.js';
import { substitutionNames } from '../../scripts/build/lambda-bundle-substitutions.js';
import { splitValidators, validatorsDir } from '../../scripts/build/split-request-validators.js';
import * as generatedValidators from '../../server/generated/request-validators.js';

// Each substitution of the Lambda bundle (scripts/build/lambda-bundle-substitutions.ts) relies on something its
// upstream package does today; these fail when that changes, so the substitution is reviewed, not silently wrong.

const outDir = mkdtempSync(join(tmpdir(), 'nbhd-substitutions-'));
const requireFromRepo = createRequire(`${repoRoot}package.json`);
let substituted: Metafile;
let bare: Metafile;

const versionOf = (name: string) =>
  (JSON.parse(readFileSync(`${repoRoot}node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
const shim = (file: string) => `scripts/build/lambda-shims/${file}`;

/** Inputs of what a cold start loads (the entry + the chunks it imports). */
function listStartupInputs(metafile: Metafile, dir: string): string[] {
  const sizes = measureBundle(metafile, relative(repoRoot, join(outDir, dir, 'index.mjs')));
  return sizes.startupFiles.flatMap((file) => Object.keys(metafile.outputs[file]?.inputs ?? {}));
}

/** Bundled files that import `path` (a stand-in, after aliasing). */
function listImporters(metafile: Metafile, path: string): string[] {
  return Object.entries(metafile.inputs)
    .filter(([, input]) => input.imports.some((imported) => imported.path === path))
    .map(([importer]) => importer)
    .sort();
}

beforeAll(async () => {
  substituted = await bundleLambda({ outdir: join(outDir, 'substituted'), write: false });
  bare = await bundleLambda({ outdir: join(outDir, 'bare'), write: false }, [...substitutionNames]);
}, 120_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the Lambda bundle substitutions', () => {
  it('builds without any of them, and each alias still keeps a package out of what a cold start loads', () => {
    const bareInputs = listStartupInputs(bare, 'bare');
    const inputs = listStartupInputs(substituted, 'substituted');
    for (const replaced of ['node_modules/iconv-lite/', 'node_modules/@aws-sdk/credential-provider-node/']) {
      expect(bareInputs.some((input) => input.startsWith(replaced))).toBe(true);
      expect(inputs.some((input) => input.startsWith(replaced))).toBe(false);
    }
    // yaml loads with GET /openapi.yaml only (a chunk of its own), never at a cold start: the alias keeps it out of the zip.
    expect(Object.keys(bare.inputs).some((input) => input.startsWith('node_modules/yaml/'))).toBe(true);
    expect(Object.keys(substituted.inputs).some((input) => input.startsWith('node_modules/yaml/'))).toBe(false);
    expect(bareInputs.some((input) => input.startsWith('node_modules/yaml/'))).toBe(false);
  });

  it('stands in for iconv-lite only where body-parser and raw-body decode request bodies, with the calls they make', () => {
    expect(listImporters(substituted, shim('iconv-lite.cjs'))).toEqual([
      'node_modules/body-parser/lib/read.js',
      'node_modules/raw-body/index.js',
    ]);
    expect(semver.satisfies(versionOf('body-parser'), '^2.2.0')).toBe(true);
    expect(semver.satisfies(versionOf('raw-body'), '^3.0.0')).toBe(true);
    const called = ['body-parser/lib/read.js', 'raw-body/index.js'].flatMap((file) => [
      ...readFileSync(`${repoRoot}node_modules/${file}`, 'utf8').matchAll(/\biconv\.(\w+)/g),
    ]);
    const stand = requireFromRepo(`./${shim('iconv-lite.cjs')}`) as Record<string, unknown>;
    const real = requireFromRepo('iconv-lite') as Record<string, unknown>;
    for (const [, name] of called) {
      expect(typeof stand[name as string], `iconv.${name}`).toBe('function');
      expect(typeof real[name as string], `iconv.${name}`).toBe('function');
    }
    // raw-body answers 415 only for iconv-lite's own wording of an unknown charset, which the stand-in copies.
    expect(readFileSync(`${repoRoot}node_modules/raw-body/index.js`, 'utf8')).toContain('/^Encoding not recognized: /');
    expect(() => (stand.getDecoder as (encoding: string) => unknown)('x-unknown')).toThrow(
      /^Encoding not recognized: /,
    );
    expect(() => (real.getDecoder as (encoding: string) => unknown)('x-unknown')).toThrow(/^Encoding not recognized: /);
  });

  it('stands in for yaml only in our own code, whose one call stringifies the OpenAPI document', () => {
    const importers = listImporters(substituted, shim('yaml.mjs'));
    expect(importers.length).toBeGreaterThan(0);
    for (const importer of importers) expect(importer).toMatch(/^server\//);
    const real = requireFromRepo('yaml') as Record<string, unknown>;
    expect(typeof real.stringify).toBe('function');
  });

  it('inlines server/openapi-document.ts whole: its one export, reading an openapi.yaml the zip does not carry', async () => {
    const module = await import('../../server/openapi-document.js');
    expect(Object.keys(module)).toEqual(['loadOpenApiDocument']);
    expect(readFileSync(`${repoRoot}server/openapi-document.ts`, 'utf8')).toContain("'../openapi.yaml'");
  });

  it('stands in for the SDK default credential chain with the env provider, as the DynamoDB client imports it', () => {
    expect(listImporters(substituted, shim('credential-provider-node.mjs'))).toEqual([
      'node_modules/@aws-sdk/client-dynamodb/dist-es/runtimeConfig.js',
    ]);
    expect(readFileSync(`${repoRoot}node_modules/@aws-sdk/client-dynamodb/dist-es/runtimeConfig.js`, 'utf8')).toMatch(
      /import \{ defaultProvider as credentialDefaultProvider \} from "@aws-sdk\/credential-provider-node"/,
    );
    expect(semver.satisfies(versionOf('@aws-sdk/credential-provider-node'), '^3.900.0')).toBe(true);
    const env = requireFromRepo('@aws-sdk/credential-provider-env') as Record<string, unknown>;
    expect(typeof env.fromEnv).toBe('function');
  });

  it("stands in for undici 7 and 8 only where fetch-node picks the major matching Node 22's own undici 6", () => {
    expect(listImporters(substituted, shim('undici-unused-major.mjs'))).toEqual([
      'node_modules/@atproto-labs/fetch-node/dist/unicast.js',
    ]);
    // In the OAuth chunk, not at cold start.
    const bundles = (metafile: Metafile) =>
      Object.keys(metafile.inputs).some((input) => input.startsWith('node_modules/undici_v8/'));
    expect([bundles(bare), bundles(substituted)]).toEqual([true, false]);
    const unicast = readFileSync(`${repoRoot}node_modules/@atproto-labs/fetch-node/dist/unicast.js`, 'utf8');
    expect(unicast).toContain("from 'undici_v6'");
    expect(unicast).toContain('process.versions.undici');
    const nodeUndici = execFileSync(node22Binary, ['-p', 'process.versions.undici']).toString().trim();
    expect(semver.major(nodeUndici)).toBe(6);
  });

  it('gives the same mime-types answers with the trimmed mime-db and lazily filled maps', async () => {
    expect(semver.satisfies(versionOf('mime-types'), '^3.0.0')).toBe(true);
    const bundled = await build({
      entryPoints: [requireFromRepo.resolve('mime-types')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      plugins: [trimMimeDb, lazyMimeMaps],
    });
    const text = bundled.outputFiles[0]?.text ?? '';
    const db = requireFromRepo('mime-db') as Record<string, { extensions?: string[] }>;
    // Both plugins applied: a smaller table, maps filled on first use.
    expect(text.length).toBeLessThan(JSON.stringify(db).length);
    expect(text).toContain('getMaps');
    const file = join(outDir, 'mime-types.cjs');
    writeFileSync(file, text);
    type MimeTypes = Record<'charset' | 'contentType' | 'extension' | 'lookup', (value: string) => unknown>;
    const trimmed = createRequire(file)(file) as MimeTypes;
    const real = requireFromRepo('mime-types') as MimeTypes;
    for (const type of Object.keys(db)) {
      for (const question of ['charset', 'contentType', 'extension'] as const) {
        expect(trimmed[question](type), `${question}(${type})`).toEqual(real[question](type));
      }
      for (const extension of db[type]?.extensions ?? []) {
        expect(trimmed.lookup(extension), `lookup(${extension})`).toEqual(real.lookup(extension));
      }
    }
  });

  it("takes Node built-ins through require, since an ESM import of node:http still loads Node's undici", () => {
    const loadsUndici = (inputType: string, code: string) =>
      execFileSync(node22Binary, [
        `--input-type=${inputType}`,
        '-e',
        `${code}; console.log(process.moduleLoadList.some((name) => name.includes('undici')))`,
      ])
        .toString()
        .trim();
    expect(loadsUndici('module', "import 'node:http'")).toBe('true');
    expect(loadsUndici('commonjs', "require('node:http')")).toBe('false');
  });

  it('splits the request validators into one file each, required on first call, that answer as the generated module does', async () => {
    const source = readFileSync(`${repoRoot}server/generated/request-validators.ts`, 'utf8');
    const { module, files } = splitValidators((await transform(source, { loader: 'ts', format: 'esm' })).code);
    const dir = join(outDir, 'split-validators');
    mkdirSync(join(dir, validatorsDir), { recursive: true });
    writeFileSync(join(dir, 'index.mjs'), module);
    for (const [name, code] of files) writeFileSync(join(dir, validatorsDir, `${name}.cjs`), code);
    const split = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as typeof generatedValidators;
    type Validate = ((data: unknown) => boolean) & { errors?: unknown };
    const validators = Object.entries(generatedValidators).filter(([, value]) => typeof value === 'function');
    expect(validators.length).toBeGreaterThan(20);
    expect([...files.keys()].sort()).toEqual(validators.map(([name]) => name).sort());
    // Parameters as the dispatcher passes them (strings, coerced in place), and bodies, valid and not.
    const samples = () => [
      { query: {}, headers: {}, params: {}, cookies: {} },
      { query: { limit: '5', cursor: 'abc' }, headers: {}, params: { id: '0b9f5f53-2a36-4c39-9d5e-2f1a4b0f6f1e' } },
      { query: { limit: '0', skip: 'x' }, headers: {}, params: { id: 'not-a-uuid', nbhd_id: '12' } },
      { name: 'A name', description: 'words' },
      { name: '', extra: true },
      'did:plc:abcdefghijklmnopqrstuvwx',
      42,
    ];
    for (const [name, original] of validators) {
      const expected = samples().map((data) => {
        const valid = (original as Validate)(data);
        return { valid, data, errors: (original as Validate).errors };
      });
      const actual = samples().map((data) => {
        const validate = split[name as keyof typeof split] as Validate;
        const valid = validate(data);
        return { valid, data, errors: validate.errors };
      });
      expect(actual, name).toEqual(expected);
    }
    expect(split.requestOperations.map(({ validateParameters: _v, body: _b, ...rest }) => rest)).toEqual(
      generatedValidators.requestOperations.map(({ validateParameters: _v, body: _b, ...rest }) => rest),
    );
  });
});
