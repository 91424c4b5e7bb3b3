import { beforeAll, describe, expect, it } from 'vitest';
import { createSessionTokens } from '../../server/auth/session-tokens.js';
import type { LambdaHandler } from '../../server/lambda-adapter.js';
import { createHttpApiEvent, createRestApiEvent, type EventInput, lambdaContext } from '../../tooling/lambda-events.js';
import { createDid, createNeighborhoodName } from '../fixtures/users.js';
import { loadContract } from '../helpers/contract.js';
import { useTestTable } from '../helpers/dynamodb.js';
import { createTestLambdaHandler, type LambdaResult } from '../helpers/test-lambda.js';

let handler: LambdaHandler;
let tableName: string;
let endpoint: string;
let token: string;

beforeAll(async () => {
  const table = await useTestTable('lambda');
  tableName = table.tableName;
  endpoint = table.endpoint;
  handler = createTestLambdaHandler(table, { env: { SECRET_KEY: 'lambda-test-secret' } });
  token = await createSessionTokens({ secretKey: 'lambda-test-secret', expireMinutes: 5 }).issue(createDid('lambda'));
});

function toHeaders(result: LambdaResult): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(result.headers ?? {})) headers.set(name, value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    for (const value of values) headers.append(name, value);
  }
  return headers;
}

const kinds = [
  { kind: 'HTTP API (v2)', build: createHttpApiEvent },
  { kind: 'REST API (v1)', build: createRestApiEvent },
] as const;

describe.each(kinds)('the Lambda handler with $kind events', ({ build }) => {
  async function invoke(input: EventInput) {
    const result = (await handler(build(input), lambdaContext as never)) as LambdaResult;
    const headers = toHeaders(result);
    const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString('utf8') : result.body;
    const query = input.query ? `?${new URLSearchParams(input.query)}` : '';
    loadContract().validator.validate({
      method: input.method,
      path: `${input.path}${query}`,
      status: result.statusCode,
      headers,
      body,
    });
    return { status: result.statusCode, headers, body };
  }

  it('creates a neighborhood (201 + Location) and reads it back', async () => {
    const name = createNeighborhoodName('Lambda');
    const created = await invoke({
      method: 'POST',
      path: '/api/nbhds',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name }),
    });
    expect(created.status).toBe(201);
    const id = JSON.parse(created.body).id as string;
    expect(created.headers.get('location')).toBe(`/api/nbhds/${id}`);
    const detail = await invoke({ method: 'GET', path: `/api/nbhds/${id}` });
    expect(JSON.parse(detail.body)).toMatchObject({ name, member_count: 1 });
  });

  it('passes query strings through and announces the next page in Link', async () => {
    for (let i = 0; i < 2; i += 1) {
      await invoke({
        method: 'POST',
        path: '/api/nbhds',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ name: createNeighborhoodName('Paged') }),
      });
    }
    const page = await invoke({ method: 'GET', path: '/api/nbhds', query: { limit: '1' } });
    expect(JSON.parse(page.body)).toHaveLength(1);
    expect(page.headers.get('link')).toMatch(/rel="next"$/);
  });

  it('answers 204 with an empty body on leave', async () => {
    const created = await invoke({
      method: 'POST',
      path: '/api/nbhds',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: createNeighborhoodName('Leave') }),
    });
    const id = JSON.parse(created.body).id as string;
    const left = await invoke({
      method: 'DELETE',
      path: `/api/nbhds/${id}/leave`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(left.status).toBe(204);
    expect(left.body).toBe('');
  });

  it('answers malformed JSON with a 400 problem and a missing token with 401 + WWW-Authenticate', async () => {
    const malformed = await invoke({
      method: 'POST',
      path: '/api/nbhds',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"name":',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const anonymous = await invoke({ method: 'GET', path: '/auth/me' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});

describe('the exported Lambda handler', () => {
  it('wires itself from the environment when its module loads (the init phase) and answers a deep health check', async () => {
    // The entry reads settings the way Lambda provides them: environment variables.
    Object.assign(process.env, {
      SECRET_KEY: 'lambda-entry-secret',
      DYNAMODB_TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT_URL: endpoint,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      LOG_LEVEL: 'error',
    });
    // Imported only now: the module builds the whole runtime as it loads, from the environment set above.
    const { handler: lambdaEntry } = await import('../../server/lambda.js');
    const result = (await lambdaEntry(
      createHttpApiEvent({ method: 'GET', path: '/health', query: { deep: 'true' } }),
      lambdaContext as never,
    )) as LambdaResult;
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ status: 'healthy', checks: { dynamodb: 'ok' } });
  });
});
