import { beforeAll, describe, expect, it } from 'vitest';
import type { Member, Nbhd, NbhdDetail } from '../../server/api-types.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { loadContract } from '../helpers/contract.js';
import { useTestTable } from '../helpers/dynamodb.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let api: TestApp;

beforeAll(async () => {
  api = await startTestApp(await useTestTable('limits'));
});

/** The longest DID the contract accepts (its Did schema's maxLength), ending in a character the pattern allows. */
function createLongestDid(): string {
  const schemas = (loadContract().spec.components as { schemas: Record<string, { maxLength: number }> }).schemas;
  const maxLength = schemas.Did?.maxLength as number;
  const prefix = createDid('long');
  return `${prefix}${'x'.repeat(maxLength - prefix.length)}`;
}

describe('keys at the contract limits (DynamoDB: partition key ≤ 2,048 bytes, sort key ≤ 1,024)', () => {
  it('creates, joins, lists and leaves with the longest DID the contract accepts: 201/201/200/204, never 500', async () => {
    const did = createLongestDid();
    const token = await api.tokenFor(did);
    const created = await api.request<Nbhd>('POST', '/api/nbhds', {
      token,
      headers: { 'idempotency-key': 'k'.repeat(255) },
      body: { name: createNeighborhoodName('Long DID') },
    });
    expect(created.status).toBe(201);
    expect(created.body.created_by).toBe(did);

    const other = await api.request<Nbhd>('POST', '/api/nbhds', {
      token: await api.tokenFor(createDid('host')),
      body: { name: createNeighborhoodName() },
    });
    expect((await api.request('POST', `/api/nbhds/${other.body.id}/join`, { token })).status).toBe(201);
    const detail = await api.request<NbhdDetail>('GET', `/api/nbhds/${other.body.id}`);
    expect(detail.body.members[0]?.user_id).toBe(did);
    const members = await api.request<{ members: Member[] }>('GET', `/api/nbhds/${other.body.id}/members?limit=1`);
    expect(members.body.members.map((m) => m.user_id)).toEqual([did]);
    const mine = await api.request<{ neighborhoods: Nbhd[] }>('GET', '/api/users/me/nbhds', { token });
    expect(mine.body.neighborhoods.map((n) => n.id)).toEqual([other.body.id, created.body.id]);
    expect((await api.request('DELETE', `/api/nbhds/${other.body.id}/leave`, { token })).status).toBe(204);
    expect((await api.request('DELETE', `/api/nbhds/${created.body.id}`, { token })).status).toBe(204);
  });

  it('creates a neighborhood named 100 × U+FDFA (3,300 bytes after NFKC), refuses it twice, frees it on rename', async () => {
    const token = await api.tokenFor(createDid('fdfa'));
    const name = '\uFDFA'.repeat(100);
    const created = await api.request<Nbhd>('POST', '/api/nbhds', { token, body: { name } });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe(name);
    // The claim (a digest of the normalized name) is taken.
    const again = await api.request<{ type: string }>('POST', '/api/nbhds', { token, body: { name } });
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/name-taken$/);
    const renamed = await api.request<Nbhd>('PATCH', `/api/nbhds/${created.body.id}`, {
      token,
      body: { name: createNeighborhoodName() },
    });
    expect(renamed.status).toBe(200);
    // The old claim was released: the long name can be taken again.
    const retaken = await api.request('POST', '/api/nbhds', { token, body: { name } });
    expect(retaken.status).toBe(201);
  });
});
