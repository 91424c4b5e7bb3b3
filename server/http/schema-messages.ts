import type { SchemaError } from './request-operation.js';

type Json = Record<string, unknown>;

const typeNames: Record<string, string> = {
  string: 'text',
  object: 'a JSON object',
  array: 'a list',
  boolean: 'true or false',
  number: 'a number',
  null: 'null',
};

/** `{minimum: 1, maximum: 100}` → "a whole number from 1 to 100". */
function describeWholeNumber(range: Json): string {
  const { minimum, maximum } = range;
  if (minimum !== undefined && maximum !== undefined) return `a whole number from ${minimum} to ${maximum}`;
  if (minimum !== undefined) return `a whole number of at least ${minimum}`;
  if (maximum !== undefined) return `a whole number of at most ${maximum}`;
  return 'a whole number';
}

/** The integer range an error's schema stands for: the schema itself, or the raw-digits check made from it. */
function findWholeNumberRange(schema: Json | undefined): Json | undefined {
  if (!schema) return undefined;
  if (schema['x-whole-number']) return schema['x-whole-number'] as Json;
  return schema.type === 'integer' ? schema : undefined;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, '');

/** A string that failed its pattern: say what is wrong with it in particular, else what the schema expects. */
function describePatternMismatch(data: unknown, schema: Json | undefined): string {
  if (typeof data === 'string') {
    if (/^\s|\s$/u.test(data)) return 'must not begin or end with spaces';
    if (/\p{Cs}/u.test(data)) return 'must be valid Unicode text (it has an unpaired surrogate)';
    if (/\p{Cc}/u.test(data)) return 'must not contain control characters';
  }
  const description = typeof schema?.description === 'string' ? schema.description.split(/:|;|\n/)[0] : undefined;
  return description
    ? `is not in the expected format (${lowerFirst(description.trim())})`
    : 'is not in the expected format';
}

/** What the value must be, from the failed keyword and its params (never a per-field table). */
function describeKeyword(error: SchemaError): string {
  const { keyword, params } = error;
  const parentSchema = (error as { parentSchema?: Json }).parentSchema;
  const data = (error as { data?: unknown }).data;
  const range = findWholeNumberRange(parentSchema);
  if (range && ['type', 'pattern', 'minimum', 'maximum', 'maxLength', 'multipleOf'].includes(keyword)) {
    return `must be ${describeWholeNumber(range)}`;
  }
  switch (keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return 'is not an accepted field';
    case 'type':
      return `must be ${typeNames[String(params.type)] ?? String(params.type)}`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `must be at least ${params.limit} characters`;
    case 'maxLength':
      return `must be at most ${params.limit} characters`;
    case 'minProperties':
      return params.limit === 1 ? 'must have at least one field' : `must have at least ${params.limit} fields`;
    case 'maxProperties':
      return `must have at most ${params.limit} fields`;
    case 'pattern':
      return describePatternMismatch(data, parentSchema);
    case 'format':
      return `must be a valid ${String(params.format)}`;
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${params.comparison} ${params.limit}`;
    case 'oneOf':
    case 'anyOf':
      if (Array.isArray(params.types)) {
        return `must be ${params.types.map((type) => typeNames[String(type)] ?? String(type)).join(' or ')}`;
      }
      return typeof parentSchema?.description === 'string'
        ? `must be ${lowerFirst(parentSchema.description.trim())}`
        : 'does not match any accepted form';
    case 'not':
      return 'is not allowed';
    default:
      return error.message ?? 'is invalid';
  }
}

/** A field name as a sentence can hold it: plain names as they are, anything else quoted (" ", "a b"). */
export const toFieldName = (name: string) => (/^[A-Za-z_][\w.-]*$/.test(name) ? name : JSON.stringify(name));

const unescapePointer = (segment: string) => segment.replaceAll('~1', '/').replaceAll('~0', '~');

/** RFC 6901: `~` → `~0`, `/` → `~1`, so a property named `a/b` or `~` points at itself. */
export const escapePointerSegment = (name: string) => name.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * One ajv error in plain words, named by its field: "name must not begin or end with spaces", "limit must be a
 * whole number from 1 to 100". `path` is the RFC 6901 pointer within its location ('' = the whole body).
 */
export function describeSchemaError(error: SchemaError, path: string): string {
  const field = path === '' ? 'the body' : toFieldName(unescapePointer(path.split('/').pop() ?? ''));
  return `${field} ${describeKeyword(error)}`;
}

/**
 * ajv reports each failed branch of a `oneOf`/`anyOf` before the `oneOf` error itself. Keeps the reason that
 * matters: the failures of the one branch whose type fit (e.g. a description's pattern); the alternative as a
 * whole, by its description, when several fit; else one "must be text or null" from the branches' types.
 */
export function collapseAlternatives(errors: SchemaError[]): SchemaError[] {
  const collapsed: SchemaError[] = [];
  for (const error of errors) {
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') {
      collapsed.push(error);
      continue;
    }
    const inside = (e: SchemaError) =>
      e.instancePath === error.instancePath || e.instancePath.startsWith(`${error.instancePath}/`);
    const branches = collapsed.filter(inside);
    const rest = collapsed.filter((e) => !inside(e));
    const substantive = branches.filter((e) => e.keyword !== 'type');
    const types = branches.map((e) => (e.keyword === 'type' ? e.params.type : undefined));
    const branchOf = (e: SchemaError) => e.schemaPath.slice(error.schemaPath.length + 1).split('/')[0];
    collapsed.length = 0;
    collapsed.push(...rest);
    // Several forms whose type fits all failed (a UUID or a legacy id): name the alternative as a whole.
    if (new Set(substantive.map(branchOf)).size > 1) collapsed.push(error);
    else if (substantive.length > 0) collapsed.push(...substantive);
    else if (types.length > 0 && types.every((type) => type !== undefined)) {
      collapsed.push({ ...error, params: { ...error.params, types } });
    } else collapsed.push(error);
  }
  return collapsed;
}

/** The `detail` of a 400: the one reason, or the first two and a count of the rest. */
export function summarizeReasons(reasons: string[]): string {
  const unique = [...new Set(reasons)];
  if (unique.length === 0) return 'The request is invalid.';
  if (unique.length <= 3) return unique.join('; ');
  return `${unique.slice(0, 2).join('; ')}; and ${unique.length - 2} more problems (see errors)`;
}
