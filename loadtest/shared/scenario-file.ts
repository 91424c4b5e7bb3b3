/**
 * The scenario mix and thresholds shared by the k6 scripts (k6 runtime) and the local runner (Node).
 * Imports only other k6-safe modules, by their `.ts` name (k6 resolves paths as written).
 */
import type { OperationId } from '../../contract/generated/operations.ts';
import { type FlowDefinition, type FlowName, flowDefinitions } from './flows.ts';
import { countResidents, type FixtureCounts } from './user-roles.ts';

/** A flow of the mix: its definition (loadtest/shared/flows.ts) and its weight (the scenario file). */
export interface Flow extends FlowDefinition {
  name: string;
  weight: number;
}

export interface Stage {
  duration: string;
  target: number;
}

export interface Profile {
  description: string;
  thresholds: Record<string, string[]>;
  iterationsPerFlow?: number;
  startRate?: number;
  stages?: Stage[];
  preAllocatedVUs?: number;
  maxVUs?: number;
  rate?: number;
  duration?: string;
  /** Unmeasured load before a local run (DynamoDB Local's JVM compiles its hot paths meanwhile). */
  warmup?: string;
  maxInFlight?: number;
}

export interface ScenarioFile {
  flows: Flow[];
  fixtures: FixtureCounts;
  thresholds: Record<string, string[]>;
  perOperationThresholds: Record<string, string[]>;
  profiles: Record<string, Profile>;
}

type Json = Record<string, unknown>;

function fail(path: string, message: string): never {
  throw new Error(`scenario file: ${path} ${message}`);
}

function asObject(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object');
  return value as Json;
}

function asPositiveNumber(value: unknown, path: string, allowZero = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    fail(path, allowZero ? 'must be a number ≥ 0' : 'must be a number > 0');
  }
  return value;
}

function asThresholdMap(value: unknown, path: string): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const [metric, list] of Object.entries(asObject(value ?? {}, path))) {
    if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
      fail(`${path}.${metric}`, 'must be a list of threshold expressions');
    }
    map[metric] = list as string[];
  }
  return map;
}

const durationPattern = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

/** Validates the parsed JSON of loadtest/scenarios.json and returns it typed. */
export function parseScenarioFile(raw: unknown): ScenarioFile {
  const root = asObject(raw, '(root)');
  const flowsJson = asObject(root.flows, 'flows');
  const flows: Flow[] = Object.entries(flowsJson).map(([name, value]) => {
    if (!Object.keys(flowDefinitions).includes(name)) {
      fail(
        `flows.${name}`,
        `is not a flow loadtest/shared/flows.ts defines (${Object.keys(flowDefinitions).join(', ')})`,
      );
    }
    const flow = asObject(value, `flows.${name}`);
    const definition = flowDefinitions[name as FlowName] as FlowDefinition;
    return { ...definition, name, weight: asPositiveNumber(flow.weight, `flows.${name}.weight`) };
  });
  if (flows.length === 0) fail('flows', 'must name at least one flow');
  const fixturesJson = asObject(root.fixtures, 'fixtures');
  const fixtures = {
    neighborhoods: asPositiveNumber(fixturesJson.neighborhoods, 'fixtures.neighborhoods'),
    membersPerNeighborhood: asPositiveNumber(
      fixturesJson.membersPerNeighborhood,
      'fixtures.membersPerNeighborhood',
      true,
    ),
    users: asPositiveNumber(fixturesJson.users, 'fixtures.users'),
  };
  if (fixtures.users <= countResidents(fixtures)) {
    fail('fixtures.users', 'must be larger than membersPerNeighborhood (the rest of the pool churns memberships)');
  }
  const profiles: Record<string, Profile> = {};
  for (const [name, value] of Object.entries(asObject(root.profiles, 'profiles'))) {
    const profile = asObject(value, `profiles.${name}`);
    for (const key of ['duration', 'warmup'] as const) {
      const text = profile[key];
      if (text !== undefined && (typeof text !== 'string' || !durationPattern.test(text))) {
        fail(`profiles.${name}.${key}`, 'must be a k6 duration such as "60s" or "1m30s"');
      }
    }
    profiles[name] = {
      ...(profile as unknown as Profile),
      description: String(profile.description ?? ''),
      thresholds: asThresholdMap(profile.thresholds, `profiles.${name}.thresholds`),
    };
  }
  return {
    flows,
    fixtures,
    thresholds: asThresholdMap(root.thresholds, 'thresholds'),
    perOperationThresholds: asThresholdMap(root.perOperationThresholds, 'perOperationThresholds'),
    profiles,
  };
}

/** Adds a tag filter to a metric selector: `m{a:b}` + c:d → `m{a:b,c:d}`. */
export function withTag(selector: string, tag: string, value: string): string {
  const open = selector.indexOf('{');
  if (open === -1) return `${selector}{${tag}:${value}}`;
  return `${selector.slice(0, -1)},${tag}:${value}}`;
}

/**
 * The thresholds one run applies: the shared ones, the profile's additions (appended per metric),
 * and the per-operation ones expanded for every operation in the mix (tag `operation`).
 */
export function buildThresholds(file: ScenarioFile, profileName: string): Record<string, string[]> {
  const profile = file.profiles[profileName];
  if (!profile) throw new Error(`scenario file: no profile named "${profileName}"`);
  const result: Record<string, string[]> = {};
  const add = (metric: string, list: string[]) => {
    result[metric] = [...(result[metric] ?? []), ...list.filter((item) => !result[metric]?.includes(item))];
  };
  for (const [metric, list] of Object.entries(file.thresholds)) add(metric, list);
  for (const [metric, list] of Object.entries(profile.thresholds)) add(metric, list);
  for (const operation of listOperations(file)) {
    for (const [metric, list] of Object.entries(file.perOperationThresholds)) {
      add(withTag(metric, 'operation', operation), list);
    }
  }
  return result;
}

/** Every operation the mix calls, in first-use order. */
export function listOperations(file: ScenarioFile): OperationId[] {
  return [...new Set(file.flows.flatMap((flow) => flow.steps.map((step) => step.operation)))];
}

/** Requests one iteration makes on average (every step of the picked flow). */
export function countRequestsPerIteration(file: ScenarioFile): number {
  const total = file.flows.reduce((sum, flow) => sum + flow.weight, 0);
  return file.flows.reduce((sum, flow) => sum + flow.weight * flow.steps.length, 0) / total;
}

/** Picks a flow by weight; `random` is a number in [0, 1). */
export function pickFlow<T extends { weight: number }>(flows: readonly T[], random: number): T {
  const total = flows.reduce((sum, flow) => sum + flow.weight, 0);
  let point = random * total;
  for (const flow of flows) {
    point -= flow.weight;
    if (point < 0) return flow;
  }
  return flows[flows.length - 1] as T;
}

/** Parses a k6 duration ("1m30s", "500ms") into milliseconds. */
export function parseDuration(text: string): number {
  if (!durationPattern.test(text)) throw new Error(`not a duration: ${text}`);
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  // An exec loop rather than matchAll: k6's JavaScript runtime is not a full ES2020 engine.
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  for (let match = part.exec(text); match; match = part.exec(text)) {
    total += Number(match[1]) * (units[match[2] as string] as number);
  }
  return total;
}
