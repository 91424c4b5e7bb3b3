import fc from 'fast-check';
import { resolveSpecRef } from '../../tooling/spec-refs.js';
import {
  arbitraryForSchema,
  arbitraryWrongType,
  hostileNumber,
  hostileString,
  internalMarkers,
} from './schema-arbitrary.js';
import { type OperationModel, type Parameter, readOperations } from './spec-operations.js';

type Json = Record<string, unknown>;

/** A path parameter: the id of a neighborhood the run created (by index into its pool), or a literal. */
export type PathValue = { pool: number } | { literal: string; raw?: boolean };

/** A generated request, symbolic where it needs run state (tokens, existing ids); `change` says what was broken. */
export interface FuzzRequest {
  operationId: string;
  method: string;
  change: string;
  pathValues: Record<string, PathValue>;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  /** `user` = a valid token of one of the run's users; `bad` = one of the refused tokens. */
  auth: { user: number } | { bad: number } | 'none';
  body?: { json: unknown } | { text: string };
  contentType?: string;
  /** The status the change must get, when the change alone makes the request certainly wrong. */
  expected?: number;
}

const headerSafe = (text: string) => /^[\x21-\x7e\x80-\xff]([\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?$/.test(text);
/** Names for unknown parameters and fields (none that the leak check would take for an internal name). */
const arbitraryName = fc.string({ minLength: 1, maxLength: 12 }).filter((name) => !internalMarkers.test(name));
const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** A valid value for a parameter, as the client would write it on the wire. */
function validParameter(spec: Json, parameter: Parameter): fc.Arbitrary<string> {
  return arbitraryForSchema(spec, parameter.schema).map(asText);
}

/** The changes that make a valid request invalid, each as a function of the valid request. */
function arbitraryChange(spec: Json, op: OperationModel, valid: FuzzRequest, badTokenCount: number) {
  const changes: Array<fc.Arbitrary<FuzzRequest>> = [];
  const query = op.parameters.filter((p) => p.in === 'query');
  const path = op.parameters.filter((p) => p.in === 'path');
  const headers = op.parameters.filter((p) => p.in === 'header');
  const withQuery = (name: string, value: string, change: string): FuzzRequest => ({
    ...valid,
    change,
    query: [...valid.query.filter(([n]) => n !== name), [name, value]],
  });
  for (const p of query) {
    changes.push(hostileString.map((v) => withQuery(p.name, v, `hostile query ${p.name}`)));
    changes.push(
      fc.tuple(validParameter(spec, p), validParameter(spec, p)).map(([a, b]) => ({
        ...valid,
        change: `repeated ${p.name}`,
        query: [...valid.query.filter(([n]) => n !== p.name), [p.name, a] as [string, string], [p.name, b]],
      })),
    );
    changes.push(arbitraryWrongType(spec, p.schema).map((v) => withQuery(p.name, asText(v), `wrong type ${p.name}`)));
    const schema = resolveSpecRef(spec, p.schema).node as Json;
    if (schema.type === 'integer') {
      // The contract: plain decimal digits (at most 15) within minimum..maximum; anything else is a 400.
      const fits = (v: string) =>
        /^[0-9]{1,15}$/.test(v) &&
        Number(v) >= ((schema.minimum as number | undefined) ?? 0) &&
        Number(v) <= ((schema.maximum as number | undefined) ?? Number.MAX_SAFE_INTEGER);
      changes.push(
        hostileNumber.map((v) => ({
          ...withQuery(p.name, v, `hostile number ${p.name}`),
          ...(fits(v) ? {} : { expected: 400 }),
        })),
      );
    }
  }
  changes.push(
    fc.tuple(arbitraryName, hostileString).map(([name, value]) => ({
      ...valid,
      change: 'unknown query parameter',
      query: [...valid.query, [name, value] as [string, string]],
    })),
  );
  for (const p of path) {
    changes.push(
      fc
        .oneof(
          hostileString.map((literal) => ({ literal })),
          fc
            .constantFrom('%', '%E0%A4%A', '%zz', '%ED%A0%80', '..', '12345')
            .map((literal) => ({ literal, raw: true })),
        )
        .map((value) => ({
          ...valid,
          change: `bad path ${p.name}`,
          pathValues: { ...valid.pathValues, [p.name]: value },
        })),
    );
  }
  for (const p of headers) {
    changes.push(
      hostileString
        .filter(headerSafe)
        .map((v) => ({ ...valid, change: `hostile header ${p.name}`, headers: { ...valid.headers, [p.name]: v } })),
    );
  }
  if (op.bearer) {
    changes.push(fc.constant({ ...valid, change: 'no token', auth: 'none' as const, expected: 401 }));
    changes.push(
      fc.nat(badTokenCount - 1).map((bad) => ({ ...valid, change: 'bad token', auth: { bad }, expected: 401 })),
    );
  }
  if (op.body) {
    const schema = resolveSpecRef(spec, op.body.schema).node as Json;
    const properties = Object.keys((schema.properties ?? {}) as Json);
    const json = (valid.body && 'json' in valid.body ? valid.body.json : {}) as Json;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const withJson = (value: unknown, change: string, expected?: number) => ({
      ...valid,
      change,
      body: { json: value },
      ...(expected ? { expected } : {}),
    });
    changes.push(
      fc.constantFrom('{"name": "x"', '{', '[1,]', '{"a":1}}', "{'a':1}", '\u0000', '').map((text) => ({
        ...valid,
        change: 'malformed JSON',
        body: { text },
        expected: 400,
      })),
      fc
        .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data')
        .map((contentType) => ({ ...valid, change: 'wrong content type', contentType, expected: 415 })),
      fc
        .constantFrom(
          'application/json; charset=latin1',
          'application/json; charset=utf-16',
          'application/problem+json',
        )
        .map((contentType) => ({ ...valid, change: 'odd JSON content type', contentType })),
      fc.nat(3).map((extra) => ({
        ...valid,
        change: 'body over 16 KiB',
        body: { json: { ...json, padding: 'x'.repeat(16 * 1024 + extra * 1000) } },
        expected: 413,
      })),
      fc.constant({ ...valid, change: 'no body' }).map(({ body: _body, ...rest }) => rest),
      arbitraryWrongType(spec, schema).map((v) => withJson(v, 'body of the wrong type', 400)),
      fc
        .tuple(arbitraryName, hostileString)
        .filter(([name]) => !properties.includes(name))
        .map(([name, value]) => withJson({ ...json, [name]: value }, 'extra field', 400)),
    );
    for (const name of properties) {
      const sub = (schema.properties as Json)[name];
      changes.push(
        hostileString.map((v) => withJson({ ...json, [name]: v }, `hostile ${name}`)),
        arbitraryWrongType(spec, sub).map((v) => withJson({ ...json, [name]: v }, `wrong type ${name}`, 400)),
        fc.constant(
          withJson(
            Object.fromEntries(Object.entries(json).filter(([k]) => k !== name)),
            `without ${name}`,
            required.has(name) ? 400 : undefined,
          ),
        ),
      );
    }
  }
  return fc.oneof(...changes);
}

/** A valid request for `op` (valid token, existing or random ids, parameters and body from their schemas). */
function arbitraryValid(spec: Json, op: OperationModel, userCount: number): fc.Arbitrary<FuzzRequest> {
  const optional = (p: Parameter) => fc.option(validParameter(spec, p), { nil: undefined });
  const params = (where: Parameter['in']) => op.parameters.filter((p) => p.in === where);
  return fc.record({
    operationId: fc.constant(op.operationId),
    method: fc.constant(op.method),
    change: fc.constant('none'),
    pathValues: fc.record(
      Object.fromEntries(
        params('path').map((p) => [
          p.name,
          fc.oneof(
            { weight: 4, arbitrary: fc.nat(40).map((pool) => ({ pool })) },
            { weight: 1, arbitrary: validParameter(spec, p).map((literal) => ({ literal })) },
          ),
        ]),
      ),
    ),
    query: fc
      .tuple(...params('query').map((p) => optional(p).map((v) => [p.name, v] as const)))
      .map((pairs) => pairs.filter((pair): pair is [string, string] => pair[1] !== undefined)),
    headers: fc
      .tuple(...params('header').map((p) => optional(p).map((v) => [p.name, v] as const)))
      .map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== undefined && headerSafe(v)))),
    auth: op.bearer ? fc.nat(userCount - 1).map((user) => ({ user })) : fc.constant('none' as const),
    ...(op.body?.schema ? { body: arbitraryForSchema(spec, op.body.schema).map((json) => ({ json })) } : {}),
  }) as fc.Arbitrary<FuzzRequest>;
}

/** Requests for every operation of the contract: a third valid, the rest with one thing broken. */
export function arbitraryRequest(
  spec: Json,
  options: { userCount: number; badTokenCount: number },
): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    ...readOperations(spec).map((op) =>
      arbitraryValid(spec, op, options.userCount).chain((valid) =>
        fc.oneof(
          { weight: 1, arbitrary: fc.constant(valid) },
          { weight: 2, arbitrary: arbitraryChange(spec, op, valid, options.badTokenCount) },
          // HEAD on a GET operation is answered as GET without a body.
          { weight: op.method === 'GET' ? 1 : 0, arbitrary: fc.constant({ ...valid, method: 'HEAD', change: 'HEAD' }) },
        ),
      ),
    ),
  );
}
