import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mintUserPool } from '../../loadtest/runner/user-pool.js';
import { buildThresholds, parseScenarioFile } from '../../loadtest/shared/scenario-file.js';
import { loadK6Script } from './helpers/k6-harness.js';

const file = parseScenarioFile(JSON.parse(readFileSync('loadtest/scenarios.json', 'utf8')));
let tokensFile = '';

beforeAll(async () => {
  tokensFile = join(mkdtempSync(join(tmpdir(), 'k6-tokens-')), 'tokens.json');
  writeFileSync(tokensFile, JSON.stringify({ users: await mintUserPool('k6-harness-secret', file.fixtures.users, 5) }));
});

describe('k6 scripts (init, setup, iterations, teardown under stand-in k6 modules)', () => {
  it('smoke: seeds fixtures, runs every flow with tagged and checked requests, removes the fixtures', async () => {
    const env = { BASE_URL: 'https://staging.invalid/', TOKENS_FILE: tokensFile };
    const { module, record, setIteration } = await loadK6Script('loadtest/k6/smoke.ts', env);
    const scenario = (module.options.scenarios as Record<string, { executor: string; iterations: number }>).smoke as {
      executor: string;
      iterations: number;
    };
    expect(scenario).toMatchObject({ executor: 'per-vu-iterations', iterations: file.flows.length * 2 });
    expect(module.options.thresholds).toEqual(buildThresholds(file, 'smoke'));

    const data = module.setup() as { nbhdIds: string[] };
    const setupRequests = record.requests.splice(0);
    expect(data.nbhdIds).toHaveLength(file.fixtures.neighborhoods);
    expect(setupRequests.filter((r) => r.tags.name === 'joinNeighborhood')).toHaveLength(20 * 9);
    expect(
      setupRequests.every((r) => r.tags.operation === undefined && r.url.startsWith('https://staging.invalid/api/')),
    ).toBe(true);

    for (let i = 0; i < scenario.iterations; i++) {
      setIteration(i);
      module.default(data);
    }
    const operations = new Set(record.requests.map((r) => r.tags.operation));
    expect([...operations].sort()).toEqual(
      [
        'createNeighborhood',
        'deleteNeighborhood',
        'getCurrentUser',
        'getNeighborhood',
        'joinNeighborhood',
        'leaveNeighborhood',
        'listMembers',
        'listMyNeighborhoods',
        'listNeighborhoods',
      ].sort(),
    );
    expect(record.requests.every((r) => r.tags.name === r.tags.operation && r.tags.flow)).toBe(true);
    const authed = record.requests.filter(
      (r) => r.tags.name !== 'listNeighborhoods' && r.tags.name !== 'getNeighborhood' && r.tags.name !== 'listMembers',
    );
    expect(authed.every((r) => /^Bearer ey/.test(r.headers.Authorization ?? ''))).toBe(true);
    expect(record.requests.find((r) => r.tags.name === 'createNeighborhood')?.headers['Idempotency-Key']).toMatch(
      /^loadtest-/,
    );
    expect(record.checks.length).toBeGreaterThan(0);
    expect(record.checks.every((c) => c.ok)).toBe(true);
    expect(record.counters.every((c) => c.name === 'throttled_requests' && c.value === 0)).toBe(true);

    record.requests.length = 0;
    module.teardown(data);
    expect(record.requests.map((r) => r.tags.name)).toEqual(Array(20).fill('deleteNeighborhood'));
  });

  it('load: a ramping-arrival-rate scenario from the load profile, or RATE/HOLD from the environment', async () => {
    const base = { BASE_URL: 'https://staging.invalid', TOKENS_FILE: tokensFile };
    const profile = await loadK6Script('loadtest/k6/load.ts', base);
    expect((profile.module.options.scenarios as Record<string, unknown>).mixed).toMatchObject({
      executor: 'ramping-arrival-rate',
      timeUnit: '1s',
      stages: file.profiles.load?.stages,
      maxVUs: 200,
    });
    expect(profile.module.options.thresholds).toEqual(buildThresholds(file, 'load'));
    const custom = await loadK6Script('loadtest/k6/load.ts', { ...base, RATE: '120', HOLD: '10m', MAX_VUS: '400' });
    expect((custom.module.options.scenarios as Record<string, unknown>).mixed).toMatchObject({
      maxVUs: 400,
      stages: [
        { duration: '1m', target: 120 },
        { duration: '10m', target: 120 },
        { duration: '30s', target: 0 },
      ],
    });
  });

  it('refuses to start without BASE_URL or with too few tokens', async () => {
    await expect(loadK6Script('loadtest/k6/load.ts', { TOKENS_FILE: tokensFile })).rejects.toThrow(/set BASE_URL/);
    const few = join(mkdtempSync(join(tmpdir(), 'k6-tokens-')), 'few.json');
    writeFileSync(few, JSON.stringify({ users: await mintUserPool('s', 3, 5) }));
    await expect(
      loadK6Script('loadtest/k6/smoke.ts', { BASE_URL: 'https://x.invalid', TOKENS_FILE: few }),
    ).rejects.toThrow(/has 3 users/);
  });
});
