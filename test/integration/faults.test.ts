import { beforeAll, describe, expect, it } from 'vitest';
import type { Nbhd, NbhdDetail } from '../../server/api-types.js';
import { createAwsError } from '../../tooling/dynamodb-probes.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { useTestTable } from '../helpers/dynamodb.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

let api: TestApp;
let token: string;
let nbhd: Nbhd;

const conflict = () =>
  createAwsError('TransactionCanceledException', {
    CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
  });
const throttle = () => createAwsError('ProvisionedThroughputExceededException');

beforeAll(async () => {
  api = await startTestApp(await useTestTable('faults'));
  token = await api.tokenFor(createDid('owner'));
  nbhd = (await api.request<Nbhd>('POST', '/api/nbhds', { token, body: { name: createNeighborhoodName() } })).body;
});

describe('DynamoDB faults DynamoDB Local never raises', () => {
  it('retries a join whose transaction conflicted and succeeds', async () => {
    api.faults.add({ command: 'TransactWriteItemsCommand', times: 2, error: conflict });
    api.calls.reset();
    const response = await api.request('POST', `/api/nbhds/${nbhd.id}/join`, {
      token: await api.tokenFor(createDid()),
    });
    expect(response.status).toBe(201);
    expect(api.calls.calls.filter((c) => c.command === 'TransactWriteItemsCommand')).toHaveLength(3);
    const detail = await api.request<NbhdDetail>('GET', `/api/nbhds/${nbhd.id}`);
    expect(detail.body.member_count).toBe(detail.body.members.length);
  });

  it('gives up after bounded retries with 503 + Retry-After, writing nothing', async () => {
    api.faults.add({ command: 'TransactWriteItemsCommand', times: 10, error: conflict });
    const response = await api.request('POST', `/api/nbhds/${nbhd.id}/join`, {
      token: await api.tokenFor(createDid()),
    });
    api.faults.clear();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    const detail = await api.request<NbhdDetail>('GET', `/api/nbhds/${nbhd.id}`);
    expect(detail.body.member_count).toBe(2);
  });

  it.each([
    ['a query (list)', 'QueryCommand', 'GET', '/api/nbhds'],
    ['a transaction (create)', 'TransactWriteItemsCommand', 'POST', '/api/nbhds'],
  ])('turns throttling of %s into 503 + Retry-After, not 500', async (_label, command, method, path) => {
    api.faults.add({ command, times: 1, error: throttle });
    const response = await api.request(method, path, {
      token,
      ...(method === 'POST' ? { body: { name: createNeighborhoodName() } } : {}),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.body).toMatchObject({ type: 'https://nbhd.city/problems/service-unavailable' });
  });

  it('answers the deep health check with 503 when DynamoDB fails, and 200 when it answers', async () => {
    api.faults.add({ command: 'GetItemCommand', times: 1, error: () => createAwsError('InternalServerError') });
    expect((await api.request('GET', '/health?deep=true')).status).toBe(503);
    expect((await api.request('GET', '/health?deep=true')).body).toEqual({
      status: 'healthy',
      checks: { dynamodb: 'ok' },
    });
  });

  it('answers an unexpected DynamoDB error with a 500 problem that leaks no internals', async () => {
    api.faults.add({ command: 'QueryCommand', times: 1, error: () => createAwsError('ValidationException') });
    const response = await api.request('GET', '/api/nbhds');
    expect(response.status).toBe(500);
    expect(response.text).not.toMatch(/ValidationException|QueryCommand|stack/);
  });
});
