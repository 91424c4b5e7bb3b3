import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from './helpers/exec.js';

const sdkDir = fileURLToPath(new URL('..', import.meta.url));
const rootDir = fileURLToPath(new URL('../..', import.meta.url));
const fixtureDir = fileURLToPath(new URL('fixtures/consumer/', import.meta.url));
const bin = (name: string) => join(rootDir, 'node_modules', '.bin', name);

let workDir: string;
let tarball: string;
let server: Server;

/** A tiny stand-in API for the consumer example: enough to create, page through and miss. */
function startStubApi(): Promise<string> {
  const nbhd = (name: string) => ({
    id: crypto.randomUUID(),
    name,
    description: null,
    created_by: 'did:plc:test-user',
    created_at: '2026-11-25T10:00:00.000Z',
    updated_at: null,
    member_count: 1,
  });
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/api/nbhds') return send(201, nbhd('Elm Street'));
    if (req.method === 'GET' && url.pathname === '/api/nbhds') {
      return url.searchParams.get('cursor')
        ? send(200, [nbhd('Oak')])
        : send(200, [nbhd('Elm Street')], { Link: '</api/nbhds?limit=1&cursor=c1>; rel="next"' });
    }
    send(404, { type: 'https://nbhd.city/problems/not-found', title: 'Not found', status: 404 });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'nbhd-sdk-pack-'));
  const packed = JSON.parse(await exec('npm', ['pack', '--json', '--pack-destination', workDir], sdkDir)) as {
    filename: string;
  }[];
  tarball = join(workDir, packed[0]?.filename ?? '');
}, 120_000);

afterAll(async () => {
  server?.close();
  await rm(workDir, { recursive: true, force: true });
});

describe('npm pack of @nbhd-city/sdk', () => {
  it('ships only the build output and docs', async () => {
    const listing = await exec('tar', ['-tzf', tarball], workDir);
    const files = listing.trim().split('\n').sort();

    expect(files).toContain('package/dist/sdk/src/index.js');
    expect(files).toContain('package/dist/sdk/src/index.d.ts');
    // The contract's generated types live outside the SDK's sources (contract/generated) and ship with it.
    expect(files).toContain('package/dist/contract/generated/openapi.d.ts');
    expect(files).toEqual(expect.arrayContaining(['package/README.md', 'package/LICENSE', 'package/CHANGELOG.md']));
    expect(
      files.filter((file) => !/^package\/(dist\/|README\.md|LICENSE|CHANGELOG\.md|package\.json)/.test(file)),
    ).toEqual([]);
  });

  it('installs into an empty project (from the npm cache), type-checks there and runs an example against an API', async () => {
    const project = join(workDir, 'consumer');
    await cp(fixtureDir, project, { recursive: true });
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    // --prefer-offline: the cache has openapi-fetch after `npm ci`; on a machine whose cache lacks its metadata,
    // npm may still ask the registry rather than fail.
    await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], project);
    const baseUrl = await startStubApi();
    const source = await readFile(join(project, 'example.ts.tpl'), 'utf8');
    await writeFile(join(project, 'example.ts'), source.replace('__BASE_URL__', baseUrl));
    await cp(join(project, 'tsconfig.json.tpl'), join(project, 'tsconfig.json'));

    await exec(process.execPath, [join(rootDir, 'node_modules/typescript/bin/tsc'), '-p', project], project);
    const output = await exec(process.execPath, ['dist/example.js'], project);

    expect(JSON.parse(output)).toEqual({ created: 'Elm Street', names: ['Elm Street', 'Oak'], errorStatus: 404 });
    const installed = JSON.parse(await readFile(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    expect(
      Object.keys(installed.packages)
        .filter((key) => key.startsWith('node_modules/'))
        .sort(),
    ).toEqual(['node_modules/@nbhd-city/sdk', 'node_modules/openapi-fetch', 'node_modules/openapi-typescript-helpers']);
  }, 120_000); // npm install, tsc and node: several processes, slow on a busy machine

  it('passes arethetypeswrong (ESM-only profile) and publint', async () => {
    const attw = await exec(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], workDir);
    // attw exits non-zero on any problem the profile counts; ESM-only means CommonJS `require` is out of scope.
    expect(attw).toContain('node16 (from ESM): 🟢 (ESM)');
    expect(attw).toMatch(/bundler: 🟢/);

    const { messages, pkg } = await publint({ pack: { tarball: (await readFile(tarball)).buffer as ArrayBuffer } });
    expect(messages.map((message) => formatMessage(message, pkg) ?? message.code)).toEqual([]);
  }, 60_000);

  it('passes npm publish --dry-run', async () => {
    expect(existsSync(tarball)).toBe(true);
    const output = await exec('npm', ['publish', '--dry-run', '--ignore-scripts', '--json'], sdkDir);
    const report = JSON.parse(output.slice(output.indexOf('{'))) as Record<
      string,
      { version: string; files: unknown[] }
    >;
    const { version } = JSON.parse(await readFile(join(sdkDir, 'package.json'), 'utf8')) as { version: string };
    expect(report['@nbhd-city/sdk']).toMatchObject({ version, files: expect.any(Array) });
  }, 60_000);

  it('carries the metadata a provenance-signed public publish needs', async () => {
    const listing = await exec('tar', ['-xzOf', tarball, 'package/package.json'], workDir);
    const manifest = JSON.parse(listing) as Record<string, unknown>;
    // npm checks the provenance statement's source repository against `repository`; the SDK lives in sdk/.
    expect(manifest.repository).toMatchObject({
      type: 'git',
      url: expect.stringMatching(/^git\+https:/),
      directory: 'sdk',
    });
    expect(manifest.publishConfig).toEqual({ access: 'public', provenance: true });
    expect(manifest.files).toEqual(['dist', 'README.md', 'LICENSE', 'CHANGELOG.md']);
  });
});
