import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildThresholds,
  countRequestsPerIteration,
  listOperations,
  parseDuration,
  parseScenarioFile,
  pickFlow,
} from '../../loadtest/shared/scenario-file.js';
import { pickMembershipPair } from '../../loadtest/shared/user-roles.js';

const shipped = () => JSON.parse(readFileSync(new URL('../../loadtest/scenarios.json', import.meta.url), 'utf8'));

describe('scenario file', () => {
  it('parses the shipped loadtest/scenarios.json with its smoke, load and local profiles', () => {
    const file = parseScenarioFile(shipped());
    expect(Object.keys(file.profiles).sort()).toEqual(['load', 'local', 'smoke']);
    expect(file.flows.map((flow) => flow.name)).toContain('membership');
    expect(countRequestsPerIteration(file)).toBeCloseTo(1.14);
  });

  it('rejects a flow that loadtest/shared/flows.ts does not define', () => {
    const raw = shipped();
    raw.flows.browze = raw.flows.browse;
    expect(() => parseScenarioFile(raw)).toThrow(/flows.browze is not a flow loadtest\/shared\/flows.ts defines/);
  });

  it('takes the steps of each flow from loadtest/shared/flows.ts and its weight from the file', () => {
    const file = parseScenarioFile(shipped());
    const membership = file.flows.find((flow) => flow.name === 'membership');
    expect(membership?.weight).toBe(10);
    expect(membership?.steps.map((step) => step.operation)).toEqual(['joinNeighborhood', 'leaveNeighborhood']);
  });

  it('rejects a non-positive weight and a malformed duration', () => {
    const raw = shipped();
    raw.flows.detail.weight = 0;
    expect(() => parseScenarioFile(raw)).toThrow(/flows.detail.weight must be a number > 0/);
    const other = shipped();
    other.profiles.local.duration = '60 seconds';
    expect(() => parseScenarioFile(other)).toThrow(/profiles.local.duration must be a k6 duration/);
  });

  it('rejects a user pool with no room for churning users', () => {
    const raw = shipped();
    raw.fixtures.users = raw.fixtures.membersPerNeighborhood;
    expect(() => parseScenarioFile(raw)).toThrow(/fixtures.users must be larger/);
  });

  it('merges shared, profile and per-operation thresholds the same way for every consumer', () => {
    const file = parseScenarioFile(shipped());
    const local = buildThresholds(file, 'local');
    expect(local['http_req_duration{expected_response:true}']).toEqual(['p(95)<500', 'p(95)<50']);
    expect(local.throttled_requests).toEqual(['count==0']);
    for (const operation of listOperations(file)) {
      expect(local[`http_req_duration{expected_response:true,operation:${operation}}`]).toEqual(['p(95)<500']);
    }
    expect(buildThresholds(file, 'load')['http_req_duration{expected_response:true}']).toEqual(['p(95)<500']);
    expect(() => buildThresholds(file, 'soak')).toThrow(/no profile named "soak"/);
  });

  it('picks flows in proportion to their weights', () => {
    const flows = [
      { name: 'a', weight: 3 },
      { name: 'b', weight: 1 },
    ];
    const picks = Array.from({ length: 400 }, (_, i) => pickFlow(flows, i / 400).name);
    expect(picks.filter((name) => name === 'a')).toHaveLength(300);
    expect(pickFlow(flows, 0.999_999).name).toBe('b');
  });

  it('gives concurrent membership iterations distinct pairs of a churning user and a neighborhood', () => {
    const fixtures = { neighborhoods: 3, membersPerNeighborhood: 2, users: 6 };
    const pairs = Array.from({ length: 12 }, (_, i) => pickMembershipPair(i, fixtures));
    expect(new Set(pairs.map((p) => `${p.user}/${p.neighborhood}`)).size).toBe(12);
    expect(Math.min(...pairs.map((p) => p.user))).toBe(2);
    expect(pickMembershipPair(12, fixtures)).toEqual(pairs[0]);
  });

  it('parses k6 durations', () => {
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('250ms')).toBe(250);
  });
});
