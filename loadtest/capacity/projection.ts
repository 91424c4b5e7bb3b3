import type { RecordedRequest } from './request-recorder.js';

/** DynamoDB's documented per-partition throughput, whatever the table's mode. */
export const partitionLimits = { rcu: 3000, wcu: 1000 } as const;

export interface KeyLoad {
  /** `table` or a GSI name. */
  target: string;
  partition: string;
  /** What the key's load grows with: one neighborhood, one user, one name, or the whole service. */
  scope: 'neighborhood' | 'user' | 'name' | 'service' | 'other';
  /** Which indexes contributed (LSI writes and reads land on the table's partition). */
  via: string[];
  /** The API operations whose requests touched it. */
  operations: string[];
  rcuPerIteration: number;
  wcuPerIteration: number;
}

export interface ProjectedKey extends KeyLoad {
  rcuPerSecond: number;
  wcuPerSecond: number;
  /** The larger of RCU/3,000 and WCU/1,000 at the projected rate. */
  share: number;
  /** Iterations per second at which this key reaches its partition's limit. */
  throttleRate: number;
}

/** What a key's load scales with, from its key format (server/data owns them; listed here for the report). */
export function classifyKey(target: string, partition: string): KeyLoad['scope'] {
  if (target === 'GSI1') return 'service';
  if (partition.startsWith('NBHD#')) return 'neighborhood';
  if (partition.startsWith('NAME#')) return 'name';
  if (/^(USER|IDEMPOTENCY|OAUTH_SESSION|QUOTA)#/.test(partition)) return 'user';
  return 'other';
}

/** Capacity per key and per iteration of the mix, from the requests recorded over `iterations` iterations. */
export function aggregateKeyLoads(requests: RecordedRequest[], iterations: number): KeyLoad[] {
  const byKey = new Map<string, KeyLoad>();
  for (const request of requests) {
    for (const touch of request.touches) {
      const id = `${touch.target}\u0000${touch.partition}`;
      let load = byKey.get(id);
      if (!load) {
        load = {
          target: touch.target,
          partition: touch.partition,
          scope: classifyKey(touch.target, touch.partition),
          via: [],
          operations: [],
          rcuPerIteration: 0,
          wcuPerIteration: 0,
        };
        byKey.set(id, load);
      }
      load.rcuPerIteration += touch.rcu / iterations;
      load.wcuPerIteration += touch.wcu / iterations;
      const via = touch.via ?? touch.target;
      if (!load.via.includes(via)) load.via.push(via);
      const operation = request.operation ?? '(none)';
      if (!load.operations.includes(operation)) load.operations.push(operation);
    }
  }
  return [...byKey.values()];
}

/** Every key's load at `rate` iterations per second, hottest first. */
export function projectKeyLoads(loads: KeyLoad[], rate: number): ProjectedKey[] {
  return loads
    .map((load) => {
      const perIteration = Math.max(
        load.rcuPerIteration / partitionLimits.rcu,
        load.wcuPerIteration / partitionLimits.wcu,
      );
      return {
        ...load,
        rcuPerSecond: load.rcuPerIteration * rate,
        wcuPerSecond: load.wcuPerIteration * rate,
        share: perIteration * rate,
        throttleRate: perIteration > 0 ? 1 / perIteration : Number.POSITIVE_INFINITY,
      };
    })
    .sort((a, b) => b.share - a.share);
}

/** The rate (iterations/s) at which the first key reaches its limit, and that key. */
export function findFirstThrottle(projected: ProjectedKey[]): ProjectedKey | undefined {
  return [...projected].sort((a, b) => a.throttleRate - b.throttleRate)[0];
}

export interface OperationCapacity {
  operation: string;
  apiRequests: number;
  callsPerRequest: number;
  rcuPerRequest: number;
  wcuPerRequest: number;
}

/** DynamoDB calls and units per API request, by operation. */
export function summarizeOperations(
  requests: RecordedRequest[],
  apiRequests: Map<string, number>,
): OperationCapacity[] {
  return [...apiRequests].map(([operation, count]) => {
    const mine = requests.filter((request) => request.operation === operation);
    const sum = (pick: 'rcu' | 'wcu') =>
      mine.reduce((total, request) => total + request.touches.reduce((t, touch) => t + touch[pick], 0), 0);
    return {
      operation,
      apiRequests: count,
      callsPerRequest: mine.length / count,
      rcuPerRequest: sum('rcu') / count,
      wcuPerRequest: sum('wcu') / count,
    };
  });
}
