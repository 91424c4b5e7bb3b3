import { randomUUID } from 'node:crypto';
import { type OperationId, operations } from '../../contract/generated/operations.js';
import { toRequestPath } from '../../loadtest/shared/flow-requests.js';
import type { SessionTokens } from '../../server/auth/session-tokens.js';
import type { CallRecorder } from '../../tooling/dynamodb-probes.js';

export interface Sample {
  ms: number;
  calls: Array<{ command: string; ms: number }>;
}

export interface OperationResult {
  name: string;
  goal: string;
  samples: Sample[];
}

interface Context {
  baseUrl: string;
  recorder: CallRecorder;
  tokens: SessionTokens;
  iterations: number;
}

/** Runs each operation `iterations` times (after a short warm-up), one request at a time. */
export async function benchOperations({ baseUrl, recorder, tokens, iterations }: Context): Promise<OperationResult[]> {
  const owner = await tokens.issue('did:plc:bench-owner');
  // Method and path come from the contract's operation table, as the load test's do.
  const send = async (
    operation: OperationId,
    params: { nbhd_id?: string; limit?: number },
    token?: string,
    body?: unknown,
    expected?: number,
  ): Promise<Sample> => {
    const { method } = operations[operation];
    const { limit, ...pathParams } = params;
    const path = toRequestPath(operation, pathParams, limit === undefined ? {} : { limit });
    recorder.reset();
    const started = performance.now();
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    if (expected && response.status !== expected) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return { ms, calls: [...recorder.calls] };
  };
  const create = async (token = owner) => {
    recorder.reset();
    const response = await fetch(`${baseUrl}${toRequestPath('createNeighborhood')}`, {
      method: operations.createNeighborhood.method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Bench ${randomUUID()}` }),
    });
    return (await response.json()) as { id: string };
  };

  // Fixtures: 150 neighborhoods; one with 60 members; one user in 50 neighborhoods.
  const ids: string[] = [];
  for (let i = 0; i < 150; i += 1) ids.push((await create()).id);
  const busy = ids[0] as string;
  const joiner = await tokens.issue('did:plc:bench-joiner');
  for (let i = 0; i < 60; i += 1)
    await send('joinNeighborhood', { nbhd_id: busy }, await tokens.issue(`did:plc:m${i}`));
  for (const id of ids.slice(1, 51)) await send('joinNeighborhood', { nbhd_id: id }, joiner);

  const results: OperationResult[] = [];
  const run = async (name: string, goal: string, once: (i: number) => Promise<Sample>) => {
    for (let i = 0; i < Math.min(10, iterations); i += 1) await once(-1 - i);
    const samples: Sample[] = [];
    for (let i = 0; i < iterations; i += 1) samples.push(await once(i));
    results.push({ name, goal, samples });
  };
  const users = (prefix: string) => (i: number) => tokens.issue(`did:plc:${prefix}${i}`);
  const userToken = users('bench-u');

  await run('list (GET /api/nbhds?limit=100)', '3 (a query per GSI1 shard + BatchGet)', () =>
    send('listNeighborhoods', { limit: 100 }, undefined, undefined, 200),
  );
  await run('detail (GET /api/nbhds/{id}, 61 members)', '1', () =>
    send('getNeighborhood', { nbhd_id: busy }, undefined, undefined, 200),
  );
  await run('members page (limit 50)', '1', () =>
    send('listMembers', { nbhd_id: busy, limit: 50 }, undefined, undefined, 200),
  );
  await run('create (POST /api/nbhds)', '1', () =>
    send('createNeighborhood', {}, owner, { name: `Bench ${randomUUID()}` }, 201),
  );
  await run('join', '1', async (i) =>
    send('joinNeighborhood', { nbhd_id: ids[100] }, await userToken(i), undefined, 201),
  );
  await run('leave', '1', async (i) =>
    send('leaveNeighborhood', { nbhd_id: ids[100] }, await userToken(i), undefined, 204),
  );
  await run('update description (PATCH)', '1 (is 2 with its quota: read + txn)', (i) =>
    send('updateNeighborhood', { nbhd_id: ids[120] }, owner, { description: `v${i}` }, 200),
  );
  await run('rename (PATCH name)', '1 (is 2: read + txn)', (i) =>
    send('updateNeighborhood', { nbhd_id: ids[121] }, owner, { name: `Renamed ${i} ${randomUUID()}` }, 200),
  );
  await run('my neighborhoods (50 memberships)', '2', () => send('listMyNeighborhoods', {}, joiner, undefined, 200));
  await run('delete (1 member)', '—', async () => {
    const { id } = await create();
    return send('deleteNeighborhood', { nbhd_id: id }, owner, undefined, 204);
  });
  return results;
}
