import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { normalizeMediaType } from '../../server/http/media-type.js';
import { resolveSpecRef } from '../../tooling/spec-refs.js';
import { compareWithCommitted, type GeneratedDrift, specUrl } from './generated-types.js';

/** The generated request validators: compiled from openapi.yaml by `npm run generate`, committed, drift-checked. */
export const requestValidatorsUrl = new URL('../../server/generated/request-validators.ts', import.meta.url);

type Json = Record<string, unknown>;
const require = createRequire(import.meta.url);
// CommonJS modules with a `default` export, seen from ESM.
const standaloneCode = standaloneModule.default;
const addFormats = addFormatsModule.default;
interface Parameter {
  name: string;
  in: 'query' | 'header' | 'path' | 'cookie';
  required?: boolean;
  schema?: Json;
  allowReserved?: boolean;
  allowEmptyValue?: boolean;
}

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const componentsId = 'nbhd-components';
const fields = { query: 'query', header: 'headers', path: 'params', cookie: 'cookies' } as const;

/** `#/components/schemas/X` → `nbhd-components#/schemas/X`: one shared copy of each component's code. */
function shareRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shareRefs);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string'
        ? value.replace(/^#\/components\//, `${componentsId}#/`)
        : shareRefs(value),
    ]),
  );
}

/**
 * Integer parameters arrive as strings, and ajv's type coercion takes anything `Number()` reads (`1e1`, `0x10`,
 * ` 5`, `Infinity`), then skips range checks on non-finite results. So each integer parameter is first checked
 * as the raw string: plain decimal digits, at most 15 (always a finite, exact number). An `allOf` on the group
 * runs before its `properties` coerce the values. `x-whole-number` carries the range for the error message.
 */
const maxIntegerDigits = 15;
function toRawIntegerCheck(schema: Json): Json | undefined {
  if (schema.type !== 'integer') return undefined;
  const range = Object.fromEntries(['minimum', 'maximum'].filter((k) => k in schema).map((k) => [k, schema[k]]));
  return { type: 'string', pattern: '^[0-9]+$', maxLength: maxIntegerDigits, 'x-whole-number': range };
}

/** The object a (possibly `$ref`) node of the spec stands for. */
const resolve = <T>(spec: Json, node: T | { $ref: string }) => resolveSpecRef(spec, node).node as T;

/** `/api/nbhds/{nbhd_id}` → a case-insensitive pattern with an optional trailing slash (Express's defaults). */
function toPattern(template: string): string {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '([^/]+?)' : part.replace(/[.*+?^$()|[\]\\/]/g, '\\$&')))
    .join('');
  return `/^${source}\\/?$/i`;
}

/** Literal paths before parameterized ones, as express-openapi-validator orders its routes. */
const byLiteralFirst = (a: string, b: string) => a.replace(/\/\{/g, '/~').localeCompare(b.replace(/\/\{/g, '/~'));

interface OperationPlan {
  operationId: string;
  /** Every security alternative names a scheme: the handler always gets a user. */
  secured: boolean;
  /** Query parameters with a default: validation fills them in, so handlers always get them. */
  defaultedQuery: string[];
  meta: string;
  exports: Record<string, string>;
}

function planOperation(spec: Json, path: string, method: string, item: Json, operation: Json): OperationPlan {
  const operationId = operation.operationId as string;
  const parameters = [...((operation.parameters as Json[]) ?? []), ...((item.parameters as Json[]) ?? [])].map((p) =>
    resolve<Parameter>(spec, p as unknown as Parameter),
  );
  const groups: Record<string, { type: 'object'; properties: Json; required?: string[]; allOf?: Json[] }> = {};
  for (const parameter of parameters) {
    const field = fields[parameter.in];
    const group = groups[field] ?? { type: 'object', properties: {} };
    groups[field] = group;
    const name = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
    group.properties[name] = parameter.schema ?? {};
    if (parameter.required) group.required = [...(group.required ?? []), name];
    const rawCheck = toRawIntegerCheck(resolve<Json>(spec, (parameter.schema ?? {}) as Json));
    if (rawCheck) {
      const earlier = (group.allOf?.[0]?.properties ?? {}) as Json;
      group.allOf = [{ properties: { ...earlier, [name]: rawCheck } }];
    }
  }
  const exports: Record<string, string> = {
    [`${operationId}Parameters`]: JSON.stringify({
      required: ['query', 'headers', 'params'],
      properties: {
        query: groups.query ?? {},
        headers: groups.headers ?? {},
        params: groups.params ?? {},
        cookies: groups.cookies ?? {},
        body: {},
      },
    }),
  };
  const query = parameters.filter((p) => p.in === 'query');
  const security = (operation.security ?? spec.security ?? []) as Json[];
  const lines = [
    `method: ${JSON.stringify(method.toUpperCase())}`,
    `path: ${JSON.stringify(path)}`,
    `operationId: ${JSON.stringify(operationId)}`,
    `pattern: ${toPattern(path)}`,
    `pathParams: ${JSON.stringify(parameters.filter((p) => p.in === 'path').map((p) => p.name))}`,
    `security: ${JSON.stringify(security.map((alternative) => Object.keys(alternative)))}`,
    `queryParams: ${JSON.stringify(query.map((p) => p.name))}`,
    `encodedQueryParams: ${JSON.stringify(query.filter((p) => !p.allowReserved).map((p) => p.name))}`,
    `emptyQueryParams: ${JSON.stringify(query.filter((p) => p.allowEmptyValue).map((p) => p.name))}`,
    `validateParameters: ${operationId}Parameters`,
  ];
  const requestBody = operation.requestBody ? resolve<Json>(spec, operation.requestBody as Json) : undefined;
  if (requestBody) {
    const validators = Object.entries((requestBody.content ?? {}) as Record<string, Json>).map(([type, media], i) => {
      const name = `${operationId}Body${i}`;
      exports[name] = JSON.stringify({
        properties: { query: {}, headers: {}, params: {}, cookies: {}, body: media.schema ?? {} },
        ...(requestBody.required ? { required: ['body'] } : {}),
      });
      return `${JSON.stringify(normalizeMediaType(type))}: ${name}`;
    });
    lines.push(`body: { required: ${requestBody.required === true}, validators: { ${validators.join(', ')} } }`);
  }
  const secured = security.length > 0 && security.every((alternative) => Object.keys(alternative).length > 0);
  const defaultedQuery = query
    .filter((p) => p.schema && resolve<Json>(spec, p.schema).default !== undefined)
    .map((p) => p.name);
  return { operationId, secured, defaultedQuery, meta: `  {\n    ${lines.join(',\n    ')},\n  }`, exports };
}

/**
 * Compiles the request validation of every operation in `spec` to standalone JavaScript with ajv, exactly as
 * express-openapi-validator's request validator configured ajv (OpenAPI 3.1 → JSON Schema 2020-12, type coercion
 * and defaults for parameters, none for bodies, ajv-formats "fast" formats), so a cold start compiles nothing.
 */
export function renderRequestValidators(spec: Json): string {
  const components = shareRefs(spec.components ?? {}) as Json;
  const plans: OperationPlan[] = [];
  const paths = (spec.paths ?? {}) as Record<string, Json>;
  for (const path of Object.keys(paths).sort(byLiteralFirst)) {
    const item = paths[path] as Json;
    for (const method of httpMethods) {
      if (item[method]) plans.push(planOperation(spec, path, method, item, item[method] as Json));
    }
  }
  const options = {
    strict: false,
    strictNumbers: true,
    strictTuples: true,
    allowUnionTypes: false,
    validateSchema: false,
    useDefaults: true,
    removeAdditional: false,
    validateFormats: true,
    // Errors carry their schema and data: the plain-words messages (server/http/schema-messages.ts) read them.
    verbose: true,
    code: { source: true, esm: true, lines: false },
  };
  // Parameters are strings on the wire: coerced (as express-openapi-validator does); bodies are JSON: not coerced.
  const coercing = new Ajv2020({ ...options, coerceTypes: true });
  const strict = new Ajv2020({ ...options, coerceTypes: false });
  const exportNames: Record<string, Record<string, string>> = { coercing: {}, strict: {} };
  for (const ajv of [coercing, strict]) {
    addFormats(ajv, { mode: 'fast' });
    ajv.addSchema({ $id: componentsId, ...components });
  }
  // The token's `sub` is checked with the contract's own DID schema (server/auth/session-tokens.ts).
  strict.addSchema({ $id: 'validateDid', $ref: `${componentsId}#/schemas/Did` });
  (exportNames.strict as Record<string, string>).validateDid = 'validateDid';
  for (const plan of plans) {
    for (const [name, schemaText] of Object.entries(plan.exports)) {
      const ajv = name.endsWith('Parameters') ? coercing : strict;
      ajv.addSchema({ $id: name, ...(shareRefs(JSON.parse(schemaText)) as Json) });
      (exportNames[ajv === coercing ? 'coercing' : 'strict'] as Record<string, string>)[name] = name;
    }
  }
  const code = [standaloneCode(coercing, exportNames.coercing), standaloneCode(strict, exportNames.strict)]
    .map((source, index) =>
      // Each standalone module names its functions validate0…; two modules in one file need distinct names.
      source
        .replace(/^"use strict";/, '')
        .replace(/\b(validate|schema|formats|func|pattern|wrapper)(\d+)\b/g, `$1_${index}_$2`)
        // ajv's runtime helpers (ucs2length for maxLength) are small self-contained functions: inlined, so the
        // output imports nothing and behaves the same under Node, esbuild and vitest's module interop.
        .replace(/const (\w+) = require\("([^"]+)"\)\.default;/g, (_match, local: string, module: string) => {
          const helper = (require(module) as { default: (...args: unknown[]) => unknown }).default;
          return `const ${local} = ${helper.toString()};`;
        }),
    )
    .join('\n');
  return [
    '// @ts-nocheck: ajv standalone output (plain JavaScript); the exported table is typed below.',
    '// Generated by `npm run generate` from openapi.yaml (scripts/codegen/request-validators.ts). Do not edit.',
    "import type { RequestOperation } from '../http/request-operation.js';",
    '',
    code,
    '',
    'export const requestOperations: readonly RequestOperation[] = [',
    plans.map((plan) => `${plan.meta},`).join('\n'),
    '];',
    '',
    '/** The operations whose security always proves a user (their handlers get `user` as a string). */',
    `export type SecuredOperationId = ${
      [...new Set(plans.filter((plan) => plan.secured).map((plan) => JSON.stringify(plan.operationId)))].join(' | ') ||
      'never'
    };`,
    '',
    '/** Per operation, the query parameters validation fills in with their defaults. */',
    'export interface DefaultedQueryParameters {',
    ...plans
      .filter((plan) => plan.defaultedQuery.length > 0)
      .map((plan) => `  ${plan.operationId}: ${plan.defaultedQuery.map((name) => JSON.stringify(name)).join(' | ')};`),
    '}',
    '',
  ].join('\n');
}

/** Renders the validators for the spec at `source` (a file URL of openapi.yaml). */
export async function renderRequestValidatorsFrom(source: URL = specUrl): Promise<string> {
  return renderRequestValidators(parse(await readFile(source, 'utf8')) as Json);
}

/** Compares a fresh generation with the committed file; `undefined` means they are identical. */
export function checkRequestValidators(
  spec: URL = specUrl,
  generated: URL = requestValidatorsUrl,
): Promise<GeneratedDrift | undefined> {
  return compareWithCommitted(renderRequestValidatorsFrom(spec), generated);
}
