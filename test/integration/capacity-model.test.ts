import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { replayAbuse } from '../../loadtest/capacity/abuse.js';
import { aggregateKeyLoads, projectKeyLoads } from '../../loadtest/capacity/projection.js';
import { replayScenarios } from '../../loadtest/capacity/replay.js';
import { parseScenarioFile } from '../../loadtest/shared/scenario-file.js';
import { listShards } from '../../server/data/neighborhood/keys.js';
import { roomyQuotaEnv } from '../../tooling/roomy-quotas.js';

describe('npm run capacity (small replay on DynamoDB Local)', () => {
  it('records every request of the mix with its partitions; joins never touch GSI1 and units match the engine', async () => {
    const raw = JSON.parse(readFileSync(new URL('../../loadtest/scenarios.json', import.meta.url), 'utf8'));
    const file = parseScenarioFile({ ...raw, fixtures: { neighborhoods: 3, membersPerNeighborhood: 2, users: 12 } });
    const replay = await replayScenarios({ file, iterations: 40, endpoint: inject('dynamodbEndpoint') });
    expect(replay.unexpected).toBe(0);
    expect(replay.requests.length).toBeGreaterThan(40);
    expect(replay.requests.every((request) => request.touches.length > 0)).toBe(true);

    const joins = replay.requests.filter((request) => request.operation === 'joinNeighborhood');
    expect(joins.length).toBeGreaterThan(0);
    for (const join of joins) {
      // Membership and metadata (with their LSI1 copies), GSI3, and the user's two quota counters.
      expect(join.touches.map((touch) => touch.via ?? touch.target).sort()).toEqual([
        'GSI3',
        'LSI1',
        'LSI1',
        'table',
        'table',
        'table',
        'table',
      ]);
      const counters = join.touches.filter((touch) => touch.partition.startsWith('QUOTA#'));
      expect(counters).toHaveLength(2);
      expect(new Set(counters.map((touch) => touch.partition)).size).toBe(1);
    }
    const gsi1Writers = new Set(
      replay.requests
        .filter((request) => request.touches.some((touch) => touch.target === 'GSI1' && touch.wcu > 0))
        .map((request) => request.operation),
    );
    expect([...gsi1Writers].sort()).toEqual(
      ['createNeighborhood', 'deleteNeighborhood'].filter((op) => replay.apiRequests.has(op)),
    );

    // Where DynamoDB Local reports capacity for a write, the model agrees with it exactly.
    const writes = replay.requests.filter(
      (r) => r.reported !== undefined && /^(Put|Update|Delete)Item$/.test(r.command),
    );
    for (const write of writes) {
      expect(write.touches.reduce((sum, touch) => sum + touch.wcu, 0)).toBe(write.reported);
    }
    const joinsReported = joins.filter((join) => join.reported !== undefined);
    // Since joins carry two quota counters (a fourth item, a second partition key), the engine no longer charges
    // every item, as with creates (docs/server.md, Capacity model): the model keeps the documented per-item rule.
    for (const join of joinsReported) {
      expect(join.touches.reduce((sum, t) => sum + t.wcu, 0)).toBeGreaterThanOrEqual(join.reported as number);
    }

    const projected = projectKeyLoads(aggregateKeyLoads(replay.requests, replay.iterations), 100);
    expect(projected[0]?.share).toBeGreaterThan(0);
    // The only keys whose load grows with the whole service are GSI1's list shards.
    const serviceKeys = projected.filter((key) => key.scope === 'service').map((key) => key.partition);
    expect(serviceKeys.length).toBeGreaterThan(0);
    expect(serviceKeys.every((key) => listShards.includes(key))).toBe(true);
  });

  it('the abuse profile: a user flapping join/leave gets 429s and costs the partition little; everyone else succeeds', async () => {
    const endpoint = inject('dynamodbEndpoint');
    // 30 others changing 1/s in all: about 2 joins or leaves each in 65 s, within the small quota below.
    const profile = { abuserRate: 40, neighbors: 30, neighborRate: 1, readRate: 2, endpoint };
    const before = await replayAbuse({ ...profile, seconds: 2, quotaEnv: roomyQuotaEnv });
    expect(before.abuser[429]).toBeUndefined();
    // A small quota for the test: 4 joins and leaves per minute per user and neighborhood; 65 s are two windows.
    const after = await replayAbuse({ ...profile, seconds: 65, quotaEnv: { QUOTA_MEMBERSHIP_NBHD: '4/60' } });
    expect(after.neighborsRefused).toBe(0);
    expect((after.neighbors[201] ?? 0) + (after.neighbors[204] ?? 0)).toBe(65);
    const abuserOk = (after.abuser[201] ?? 0) + (after.abuser[204] ?? 0);
    expect(abuserOk).toBeLessThanOrEqual(8);
    expect(after.abuser[429]).toBe(profile.abuserRate * 65 - abuserOk);
    // One cancelled transaction per window, then refusals answered from memory.
    expect(after.dynamodbRequests.abuser).toBeLessThanOrEqual(abuserOk + 2);
    expect(after.peakShare).toBeLessThan(0.5);
    expect(after.peakWcuPerSecond * 5).toBeLessThan(before.peakWcuPerSecond);
    // About 2,800 requests over HTTP: beyond the default 30 s on a loaded 2-core machine.
  }, 120_000);
});
