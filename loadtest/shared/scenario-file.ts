/**
 * The scenario mix and thresholds shared by the k6 scripts (k6 runtime) and the local runner (Node).
 * This file must stay free of imports: k6 loads it as `scenario-file.ts`, Node as `scenario-file.js`.
 */

export type OperationId =
  | 'listNeighborhoods'
  | 'getNeighborhood'
  | 'listMembers'
  | 'listMyNeighborhoods'
  | 'getCurrentUser'
  | 'joinNeighborhood'
  | 'leaveNeighborhood'
  | 'createNeighborhood'
  | 'deleteNeighborhood';

export interface OperationSpec {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path template; `{nbhd_id}` is filled per request. */
  path: string;
  expectedStatus: number;
  auth: boolean;
}

/** How each operation in the mix is called (paths and operationIds from openapi.yaml). */
export const operationSpecs: Readonly<Record<OperationId, OperationSpec>> = {
  listNeighborhoods: { method: 'GET', path: '/api/nbhds?limit=20', expectedStatus: 200, auth: false },
  getNeighborhood: { method: 'GET', path: '/api/nbhds/{nbhd_id}', expectedStatus: 200, auth: false },
  listMembers: { method: 'GET', path: '/api/nbhds/{nbhd_id}/members?limit=50', expectedStatus: 200, auth: false },
  listMyNeighborhoods: { method: 'GET', path: '/api/users/me/nbhds?limit=20', expectedStatus: 200, auth: true },
  getCurrentUser: { method: 'GET', path: '/auth/me', expectedStatus: 200, auth: true },
  joinNeighborhood: { method: 'POST', path: '/api/nbhds/{nbhd_id}/join', expectedStatus: 201, auth: true },
  leaveNeighborhood: { method: 'DELETE', path: '/api/nbhds/{nbhd_id}/leave', expectedStatus: 204, auth: true },
  createNeighborhood: { method: 'POST', path: '/api/nbhds', expectedStatus: 201, auth: true },
  deleteNeighborhood: { method: 'DELETE', path: '/api/nbhds/{nbhd_id}', expectedStatus: 204, auth: true },
};

export interface Flow {
  name: string;
  weight: number;
  steps: OperationId[];
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
  fixtures: { neighborhoods: number; membersPerNeighborhood: number; users: number };
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
    const flow = asObject(value, `flows.${name}`);
    const steps = flow.steps;
    if (!Array.isArray(steps) || steps.length === 0) fail(`flows.${name}.steps`, 'must be a non-empty list');
    for (const step of steps) {
      if (typeof step !== 'string' || !(step in operationSpecs)) {
        fail(`flows.${name}.steps`, `has unknown operation ${JSON.stringify(step)}`);
      }
    }
    return { name, weight: asPositiveNumber(flow.weight, `flows.${name}.weight`), steps: steps as OperationId[] };
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
  return [...new Set(file.flows.flatMap((flow) => flow.steps))];
}

/** Requests one iteration makes on average (every step of the picked flow). */
export function countRequestsPerIteration(file: ScenarioFile): number {
  const total = file.flows.reduce((sum, flow) => sum + flow.weight, 0);
  return file.flows.reduce((sum, flow) => sum + flow.weight * flow.steps.length, 0) / total;
}

/** Picks a flow by weight; `random` is a number in [0, 1). */
export function pickFlow(flows: Flow[], random: number): Flow {
  const total = flows.reduce((sum, flow) => sum + flow.weight, 0);
  let point = random * total;
  for (const flow of flows) {
    point -= flow.weight;
    if (point < 0) return flow;
  }
  return flows[flows.length - 1] as Flow;
}

/**
 * Users 0 … membersPerNeighborhood-1 are the fixtures' residents (user 0 creates every fixture neighborhood,
 * the others join all of them); the rest of the pool churns memberships.
 */
export function countResidents(fixtures: ScenarioFile['fixtures']): number {
  return Math.max(1, fixtures.membersPerNeighborhood);
}

/**
 * The (user, neighborhood) pair a membership iteration uses: a churning user (never a resident, so never
 * already a member). Iterations fewer than `churners × neighborhoods` apart never share a pair, so
 * concurrent join/leave flows never collide (no 409/404).
 */
export function pickMembershipPair(iteration: number, fixtures: ScenarioFile['fixtures']) {
  const residents = countResidents(fixtures);
  const churners = fixtures.users - residents;
  return {
    user: residents + (iteration % churners),
    neighborhood: Math.floor(iteration / churners) % fixtures.neighborhoods,
  };
}

/** A response the throttled_requests counter counts: 429, or 503 (the server's answer to DynamoDB throttling). */
export function isThrottleStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/** Fills `{nbhd_id}` in an operation's path. */
export function toPath(operation: OperationId, nbhdId?: string): string {
  const { path } = operationSpecs[operation];
  if (!path.includes('{nbhd_id}')) return path;
  if (!nbhdId) throw new Error(`${operation} needs a neighborhood id`);
  return path.replace('{nbhd_id}', encodeURIComponent(nbhdId));
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
