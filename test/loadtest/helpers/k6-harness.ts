import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { fixtureSteps, flowDefinitions } from '../../../loadtest/shared/flows.js';

/** The status each operation the load test calls must answer with, from its flow steps. */
const expectedStatuses = new Map<string, number>(
  [...Object.values(flowDefinitions).flatMap((flow) => flow.steps), ...Object.values(fixtureSteps)].map((step) => [
    step.operation,
    step.expectedStatus,
  ]),
);

/** What a k6 script did under the harness: each request with its tags, each check, each counter add. */
export interface K6Record {
  requests: {
    method: string;
    url: string;
    body: string | null;
    tags: Record<string, string>;
    headers: Record<string, string>;
  }[];
  checks: { name: string; ok: boolean }[];
  counters: { name: string; value: number }[];
}

/**
 * Runs a k6 script's init code in Node with small stand-ins for k6's modules and globals (open, __ENV):
 * not k6, but enough to prove the script's options, setup/default/teardown logic, tags and checks
 * are what we mean, since k6 itself cannot be installed here. Responses are the operation's expected one.
 */
export async function loadK6Script(script: string, env: Record<string, string>) {
  const record: K6Record = { requests: [], checks: [], counters: [] };
  let iteration = 0;
  let nextId = 0;
  const stub = {
    record,
    setIteration: (n: number) => {
      iteration = n;
    },
    exec: {
      scenario: {
        get iterationInTest() {
          return iteration;
        },
      },
    },
    request(
      method: string,
      url: string,
      body: string | null,
      params: { tags: Record<string, string>; headers: Record<string, string> },
    ) {
      record.requests.push({ method, url, body, tags: params.tags, headers: params.headers });
      const status = expectedStatuses.get(params.tags.name ?? '') ?? 500;
      const id = `00000000-0000-4000-8000-${String(nextId++).padStart(12, '0')}`;
      return { status, headers: { 'X-Request-Id': 'req-1' }, body: status === 201 ? JSON.stringify({ id }) : null };
    },
    check(value: unknown, sets: Record<string, (v: unknown) => boolean>) {
      for (const [name, fn] of Object.entries(sets)) record.checks.push({ name, ok: fn(value) });
      return true;
    },
  };
  const scriptPath = resolve(script);
  const bundle = await build({
    entryPoints: [scriptPath],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    plugins: [
      {
        name: 'k6-stubs',
        setup(b) {
          b.onResolve({ filter: /^k6(\/.*)?$/ }, (args) => ({ path: args.path, namespace: 'k6' }));
          b.onLoad({ filter: /.*/, namespace: 'k6' }, (args) => {
            const s = 'globalThis.__k6stub';
            const contents: Record<string, string> = {
              k6: `export const check = (...a) => ${s}.check(...a); export const fail = (m) => { throw new Error(m); };`,
              'k6/http': `export default { request: (...a) => ${s}.request(...a) };`,
              'k6/metrics': `export class Counter { constructor(n) { this.n = n; } add(v) { ${s}.record.counters.push({ name: this.n, value: v }); } }`,
              'k6/execution': `export default ${s}.exec;`,
            };
            return { contents: contents[args.path] ?? 'export {}', loader: 'js' };
          });
        },
      },
    ],
  });
  const file = join(mkdtempSync(join(tmpdir(), 'k6-harness-')), 'script.mjs');
  writeFileSync(file, bundle.outputFiles[0]?.text ?? '');
  const globals = globalThis as Record<string, unknown>;
  globals.__k6stub = stub;
  globals.__ENV = env;
  // k6 resolves open() paths against the script's folder.
  globals.open = (path: string) => readFileSync(resolve(dirname(scriptPath), path), 'utf8');
  const module = (await import(pathToFileURL(file).href)) as {
    options: Record<string, unknown>;
    setup: () => unknown;
    default: (data: unknown) => void;
    teardown: (data: unknown) => void;
  };
  return { module, record, setIteration: stub.setIteration };
}
