import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  checkRequestValidators,
  renderRequestValidatorsFrom,
  requestValidatorsUrl,
} from '../../scripts/codegen/request-validators.js';
import { requestOperations } from '../../server/generated/request-validators.js';
import type { RequestOperation, ValidateFunction } from '../../server/http/request-operation.js';
import { listOperations, pick, readSpec } from '../helpers/spec-document.js';

const nbhdId = '3f1c9a52-7d4e-4b8a-9c2f-1e6d5b7a8c90';

function operation(operationId: string): RequestOperation {
  const found = requestOperations.find((candidate) => candidate.operationId === operationId);
  if (!found) throw new Error(`no generated operation ${operationId}`);
  return found;
}

function parameters(query: Record<string, unknown> = {}, params: Record<string, unknown> = {}, headers = {}) {
  return { query, headers, params, cookies: undefined, body: undefined };
}

function jsonBody(operationId: string): ValidateFunction {
  const validator = operation(operationId).body?.validators['application/json'];
  if (!validator) throw new Error(`${operationId} takes no JSON body`);
  return validator;
}

describe('generated request validators (server/generated/request-validators.ts)', () => {
  it('cover every operation of openapi.yaml with its method, path and security', async () => {
    const spec = await readSpec();
    const expected = listOperations(spec).map(({ method, path, operationId }) => `${method} ${path} ${operationId}`);
    const generated = requestOperations.map(({ method, path, operationId }) => `${method} ${path} ${operationId}`);
    expect(generated.sort()).toEqual(expected.map((line) => line.replace(/^\w+/, (m) => m.toUpperCase())).sort());
    expect(operation('createNeighborhood').security).toEqual([['bearerAuth']]);
    expect(operation('listNeighborhoods').security).toEqual([]);
  });

  it('match paths case-insensitively, with an optional trailing slash, capturing path parameters', () => {
    const getNeighborhood = operation('getNeighborhood');
    expect(getNeighborhood.pattern.exec(`/api/nbhds/${nbhdId}`)?.slice(1)).toEqual([nbhdId]);
    expect(getNeighborhood.pattern.test(`/API/nbhds/${nbhdId}/`)).toBe(true);
    expect(getNeighborhood.pattern.test(`/api/nbhds/${nbhdId}/members`)).toBe(false);
  });

  it('coerce query parameters to their types and fill in defaults', () => {
    const data = parameters({ limit: '20' });
    expect(operation('listNeighborhoods').validateParameters(data)).toBe(true);
    expect(data.query).toEqual({ limit: 20, skip: 0 });
  });

  it.each([
    ['listNeighborhoods', parameters({ limit: '0' }), '/query/limit'],
    ['listNeighborhoods', parameters({ limit: '1.5' }), '/query/limit'],
    ['listNeighborhoods', parameters({ cursor: '!!!' }), '/query/cursor'],
    ['getHealth', parameters({ deep: 'maybe' }), '/query/deep'],
    ['getNeighborhood', parameters({}, { nbhd_id: 'not-a-uuid' }), '/params/nbhd_id'],
    ['createNeighborhood', parameters({}, {}, { 'idempotency-key': 'a b' }), '/headers/idempotency-key'],
    ['completeLogin', parameters({}), '/query'],
  ])('%s rejects invalid parameters (%o)', (operationId, data, instancePath) => {
    const validate = operation(operationId).validateParameters;
    expect(validate(data)).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe(instancePath);
  });

  it('accept a valid body and reject what the schema forbids, without coercing body values', () => {
    const validate = jsonBody('createNeighborhood');
    expect(validate({ body: { name: 'Oak Park', description: 'Neighbors.' } })).toBe(true);
    for (const body of [{ name: '' }, { name: ' Oak' }, { name: 'Oa\u0000k' }, { name: 5 }, { name: 'Oak', x: 1 }]) {
      expect(validate({ body }), JSON.stringify(body)).toBe(false);
    }
    expect(validate({})).toBe(false);
    expect(validate.errors?.[0]?.params).toEqual({ missingProperty: 'body' });
    expect(jsonBody('updateNeighborhood')({ body: {} })).toBe(false);
    expect(jsonBody('updateNeighborhood')({ body: { description: null } })).toBe(true);
  });
});

describe('request validators drift check', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nbhd-validators-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the committed file up to date with openapi.yaml', async () => {
    expect(await checkRequestValidators()).toBeUndefined();
  });

  it('reports the file stale when the spec changed after the last `npm run generate`', async () => {
    const spec = await readSpec();
    pick(spec, 'components', 'schemas', 'NbhdName').maxLength = 80;
    const specUrl = pathToFileURL(join(dir, 'openapi.yaml'));
    await writeFile(specUrl, stringify(spec));

    const drift = await checkRequestValidators(specUrl);

    expect(drift).toBeDefined();
    expect(await renderRequestValidatorsFrom(specUrl)).toContain('params:{limit: 80}');
  });

  it('reports the file stale when the committed copy was edited by hand', async () => {
    const committed = await readFile(requestValidatorsUrl, 'utf8');
    const edited = committed.replace('"maximum":100', '"maximum":1000');
    expect(edited).not.toBe(committed);
    const editedUrl = pathToFileURL(join(dir, 'request-validators.ts'));
    await writeFile(editedUrl, edited);

    expect(await checkRequestValidators(undefined, editedUrl)).toBeDefined();
  });
});
