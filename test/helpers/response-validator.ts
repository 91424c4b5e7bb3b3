import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { resolveSpecRef } from '../../tooling/spec-refs.js';

type Json = Record<string, unknown>;

export interface ObservedResponse {
  method: string;
  /** The request path (query string allowed), e.g. `/api/nbhds/3f1c…?limit=2`. */
  path: string;
  status: number;
  headers: Headers;
  /** Raw body text. */
  body: string;
}

export interface ResponseValidator {
  /** Throws an Error listing every way the response differs from the contract (status, headers, media type, body). */
  validate(response: ObservedResponse): void;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        key === '$ref' && typeof inner === 'string' && inner.startsWith('#/') ? `spec${inner}` : rewriteRefs(inner),
      ]),
    );
  }
  return value;
}

const resolveRef = (spec: Json, value: unknown) => resolveSpecRef(spec, value).node as Json;

/**
 * Checks real responses against openapi.yaml: the status is documented for the operation, required headers are
 * present and match their schemas, the media type is the documented one, and the body matches its schema
 * (JSON Schema 2020-12, as OpenAPI 3.1 uses). Reusable by any test that talks HTTP to the API.
 *
 * @example
 * const validator = createResponseValidator(parse(readFileSync('openapi.yaml', 'utf8')));
 * validator.validate({ method: 'GET', path: '/api/nbhds', status: res.status, headers: res.headers, body: text });
 */
export function createResponseValidator(spec: Json): ResponseValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('password', true);
  ajv.addSchema({ $id: 'spec', components: rewriteRefs(spec.components) as Json });
  const cache = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: unknown) => {
    let fn = cache.get(key);
    if (!fn) {
      fn = ajv.compile(rewriteRefs(schema) as Json);
      cache.set(key, fn);
    }
    return fn;
  };
  const paths = Object.entries(spec.paths as Record<string, Json>).map(([template, item]) => ({
    template,
    literal: !template.includes('{'),
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    item,
  }));

  return {
    validate(response) {
      const problems: string[] = [];
      // The server routes with Express's defaults: one trailing slash is the same path (`/api/nbhds/`).
      const pathname = (response.path.split('?')[0] ?? response.path).replace(/(.)\/$/, '$1');
      const match =
        paths.find((p) => p.literal && p.pattern.test(pathname)) ?? paths.find((p) => p.pattern.test(pathname));
      const where = `${response.method} ${pathname} → ${response.status}`;
      const operation = match?.item[response.method.toLowerCase()] as Json | undefined;
      if (!match || !operation) {
        // Outside the contract the only acceptable answer is a 404 problem.
        const problem = compile('undocumented', { $ref: '#/components/schemas/Problem' });
        const contentType = response.headers.get('content-type') ?? '';
        if (
          response.status !== 404 ||
          !contentType.startsWith('application/problem+json') ||
          !problem(JSON.parse(response.body))
        ) {
          throw new Error(`${where}: not in the contract, and not a 404 problem`);
        }
        return;
      }
      const responses = operation.responses as Record<string, unknown>;
      const documented = responses[String(response.status)] ?? responses.default;
      if (!documented) throw new Error(`${where}: status not documented (has ${Object.keys(responses).join(', ')})`);
      const definition = resolveRef(spec, documented);
      for (const [name, rawHeader] of Object.entries((definition.headers ?? {}) as Json)) {
        const header = resolveRef(spec, rawHeader);
        const value = response.headers.get(name);
        if (value === null) {
          if (header.required) problems.push(`missing header ${name}`);
          continue;
        }
        const schema = header.schema as Json | undefined;
        const typed = schema?.type === 'integer' ? Number(value) : value;
        const check = compile(`${match.template} ${response.method} ${response.status} header ${name}`, schema ?? {});
        if (!check(typed)) problems.push(`header ${name}=${value}: ${ajv.errorsText(check.errors)}`);
      }
      const content = definition.content as Record<string, Json> | undefined;
      const contentType = response.headers.get('content-type')?.split(';')[0]?.trim();
      if (!content) {
        if (response.body.length > 0) problems.push(`expected no body, got ${response.body.slice(0, 80)}`);
      } else if (!contentType || !content[contentType]) {
        problems.push(`content-type ${contentType} not documented (${Object.keys(content).join(', ')})`);
      } else {
        const schema = content[contentType]?.schema;
        const isJson = contentType.endsWith('json');
        let value: unknown = response.body;
        if (isJson) {
          try {
            value = JSON.parse(response.body);
          } catch {
            problems.push('body is not JSON');
          }
        }
        const check = compile(`${match.template} ${response.method} ${response.status} ${contentType}`, schema ?? {});
        if (!check(value)) problems.push(`body: ${ajv.errorsText(check.errors)}`);
      }
      if (problems.length > 0) throw new Error(`${where} breaks the contract:\n- ${problems.join('\n- ')}`);
    },
  };
}
