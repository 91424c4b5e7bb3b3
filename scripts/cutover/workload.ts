import type { Ledger, Side, WriteKind } from './ledger.js';
import type { SideCall } from './side-client.js';

/** How often each operation is picked (renames and deletes exist on green only: on blue they become reads). */
export const operationWeights = { read: 36, create: 8, join: 30, leave: 16, rename: 6, delete: 4 } as const;
type Operation = keyof typeof operationWeights;

interface Nbhd {
  id: number | string;
  name: string;
  created_by: string;
}

export interface WorkloadStats {
  reads: Record<Side, number>;
  /** 4xx answers to writes (name taken, already a member, gone meanwhile): refused, not acknowledged. */
  refused: Record<Side, number>;
  /** 5xx answers and failed connections: each one is listed. */
  failures: string[];
}

export const createWorkloadStats = (): WorkloadStats => ({
  reads: { blue: 0, green: 0 },
  refused: { blue: 0, green: 0 },
  failures: [],
});

const adjectives = ['Oak', 'Elm', 'River', 'Hill', 'Lake', 'Mill', 'Park', 'Bay', 'Stone', 'Cedar', 'Maple', 'Pine'];
const nouns = ['Side', 'View', 'Heights', 'Corner', 'Commons', 'Gardens', 'Square', 'Village', 'Row', 'Point'];

export interface UserRun {
  did: string;
  side: Side;
  step: number;
  until: number;
}

/**
 * One user's session for one step on one side: a weighted mix of the web client's calls, each write the side
 * acknowledges (2xx) recorded in the ledger in that side's ids. Targets come from what that side lists, as a
 * user clicking through the client would find them.
 */
export function createUserWorkload(deps: {
  call: SideCall;
  ledger: Ledger;
  stats: WorkloadStats;
  random: () => number;
}) {
  const { call, ledger, stats, random } = deps;
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const choose = (): Operation => {
    const total = Object.values(operationWeights).reduce((a, b) => a + b, 0);
    let roll = random() * total;
    for (const [op, weight] of Object.entries(operationWeights) as Array<[Operation, number]>) {
      roll -= weight;
      if (roll < 0) return op;
    }
    return 'read';
  };
  const nameOf = () => {
    const base = `${pick(adjectives)} ${pick(nouns)}`;
    const name = random() < 0.4 ? base : `${base} ${Math.floor(random() * 30)}`;
    // Blue's index is case-sensitive, green's is not: a lower-cased twin is how cross-side collisions happen.
    return random() < 0.15 ? name.toLowerCase() : name;
  };

  const failed = (side: Side, what: string, status: number) => {
    if (status === 0 || status >= 500) stats.failures.push(`${side} ${what}: ${status || 'no answer'}`);
    else stats.refused[side] += 1;
  };
  const read = async <T>(run: UserRun, path: string, auth = false) => {
    const answer = await call<T>(run.side, 'GET', path, auth ? { did: run.did } : {});
    if (answer.status === 200) stats.reads[run.side] += 1;
    else if (answer.status !== 404) failed(run.side, `GET ${path}`, answer.status);
    return answer.status === 200 ? answer.body : undefined;
  };
  const listAll = (run: UserRun) => read<Nbhd[]>(run, '/api/nbhds?limit=100');
  const listMine = async (run: UserRun) =>
    (await read<{ neighborhoods: Nbhd[] }>(run, '/api/users/me/nbhds', true))?.neighborhoods ?? [];

  const write = async (
    run: UserRun,
    kind: WriteKind,
    method: string,
    path: string,
    nbhd: number | string | undefined,
    body?: { name?: string; description?: string | null },
  ) => {
    const sentAt = Date.now();
    const answer = await call<{ id?: number | string }>(run.side, method, path, {
      did: run.did,
      ...(body ? { body } : {}),
    });
    const ackAt = Date.now();
    if (answer.status < 200 || answer.status > 299) return failed(run.side, `${method} ${path}`, answer.status);
    const id = nbhd ?? answer.body.id;
    if (id === undefined) {
      stats.failures.push(`${run.side} ${method} ${path}: no id in the answer`);
      return;
    }
    ledger.record({ side: run.side, step: run.step, kind, user: run.did, nbhd: id, sentAt, ackAt, ...body });
  };

  async function act(run: UserRun): Promise<void> {
    let op = choose();
    if (run.side === 'blue' && (op === 'rename' || op === 'delete')) op = 'read';
    if (op === 'create') {
      const name = nameOf();
      const body = random() < 0.5 ? { name, description: `made by a ${run.side} user` } : { name };
      return write(run, 'create', 'POST', '/api/nbhds', undefined, body);
    }
    if (op === 'join') {
      const target = pick((await listAll(run)) ?? []);
      if (target) await write(run, 'join', 'POST', `/api/nbhds/${target.id}/join`, target.id);
      return;
    }
    if (op === 'read') {
      const roll = random();
      if (roll < 0.4) return void (await listAll(run));
      if (roll < 0.7) return void (await listMine(run));
      const target = pick((await listAll(run)) ?? []);
      if (target) await read(run, `/api/nbhds/${target.id}`);
      return;
    }
    const mine = await listMine(run);
    if (op === 'leave') {
      const target = pick(mine);
      if (target) await write(run, 'leave', 'DELETE', `/api/nbhds/${target.id}/leave`, target.id);
      return;
    }
    const target = pick(mine.filter((n) => n.created_by === run.did));
    if (!target) return;
    if (op === 'rename') {
      await write(run, 'rename', 'PATCH', `/api/nbhds/${target.id}`, target.id, { name: nameOf() });
    } else {
      await write(run, 'delete', 'DELETE', `/api/nbhds/${target.id}`, target.id);
    }
  }

  /** Acts until the step ends, with a short think time between calls. */
  return async function runUser(run: UserRun): Promise<void> {
    while (Date.now() < run.until) {
      await act(run);
      await new Promise((resolve) => setTimeout(resolve, 100 + random() * 500));
    }
  };
}
