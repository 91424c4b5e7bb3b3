import fc from 'fast-check';
import { resolveSpecRef } from '../../tooling/spec-refs.js';

type Json = Record<string, unknown>;

/** Strings no valid response may contain: if input could carry them, a leak check could not tell echo from leak. */
export const internalMarkers =
  /\bat [\w.<>]+ \(|node:internal|node_modules|\/work\/|\.ts:\d+|\bPK\b|\bSK\b|GSI\d|LSI\d|NBHD#|MEMBER#|NAME#|USER#|\bMETADATA\b|ConditionalCheck|TransactionCanceled|ValidationException|dynamodb-toolbox|DynamoDB|test-secret-key/;

/** Strings a careless or hostile client sends: Unicode edge cases, markup, traversal, escapes, huge ones. */
export const hostileString = fc
  .oneof(
    fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      '\ud800',
      '\udfff',
      'x\ud83d',
      '\ud83c\udf33',
      '\u202eevil',
      '\ufeffBOM',
      'e\u0301',
      '<script>alert(1)</script>',
      '../../etc/passwd',
      '%',
      '%E0%A4%A',
      '%00',
      '{"a":1}',
      'null',
      '__proto__',
      'constructor',
      '\\',
      '~',
      'a/b',
      "'; DROP TABLE x;--",
      '\t\n\r',
      '9'.repeat(400),
      'Infinity',
      'NaN',
    ),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', minLength: 90, maxLength: 1100 }),
  )
  .filter((text) => !internalMarkers.test(text));

/** Numbers that break naive range checks. */
export const hostileNumber = fc.constantFrom(
  'Infinity',
  '-Infinity',
  'NaN',
  '1e400',
  '9'.repeat(400),
  '-1',
  '0',
  '1e1',
  '0x10',
  '+5',
  ' 5',
  '5 ',
  '1.5',
  '-0',
  '10001',
  '101',
  '99999999999999999999',
);

const patternCache = new Map<string, RegExp>();
const toRegExp = (pattern: string) => {
  let regex = patternCache.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern, 'u');
    patternCache.set(pattern, regex);
  }
  return regex;
};

function arbitraryString(schema: Json): fc.Arbitrary<string> {
  return arbitraryPlainString(schema).filter((text) => !internalMarkers.test(text));
}

function arbitraryPlainString(schema: Json): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const maxLength = Math.min((schema.maxLength as number | undefined) ?? 60, 60);
  if (schema.format === 'uuid') return fc.uuid();
  if (typeof schema.pattern === 'string') {
    const regex = toRegExp(schema.pattern);
    const fits = (text: string) => regex.test(text) && [...text].length >= minLength && text.length <= maxLength;
    try {
      return fc.stringMatching(regex).filter(fits);
    } catch {
      // fast-check cannot build strings from \p{…} classes: draw Unicode text and keep what matches.
      return fc.string({ unit: 'grapheme', minLength: Math.max(minLength, 1), maxLength }).filter(fits);
    }
  }
  return fc.string({ unit: 'grapheme', minLength, maxLength }).filter((text) => text.length <= maxLength);
}

/** Arbitrary values valid against a JSON Schema of the contract (the subset openapi.yaml uses). */
export function arbitraryForSchema(spec: Json, node: unknown, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveSpecRef(spec, node).node as Json;
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((alt) => arbitraryForSchema(spec, alt, depth + 1)));
  if (Array.isArray(schema.allOf)) return arbitraryForSchema(spec, schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
  const arbitraries = type.map((one): fc.Arbitrary<unknown> => {
    switch (one) {
      case 'string':
        return arbitraryString(schema);
      case 'integer':
        return fc.integer({
          min: (schema.minimum as number | undefined) ?? -1000,
          max: (schema.maximum as number | undefined) ?? 1000,
        });
      case 'number':
        return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return depth > 3
          ? fc.constant([])
          : fc.array(arbitraryForSchema(spec, schema.items ?? {}, depth + 1), { maxLength: 3 });
      case 'object':
        return arbitraryObject(spec, schema, depth);
      default:
        return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean());
    }
  });
  return arbitraries.length === 1 ? (arbitraries[0] as fc.Arbitrary<unknown>) : fc.oneof(...arbitraries);
}

function arbitraryObject(spec: Json, schema: Json, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const minProperties = (schema.minProperties as number | undefined) ?? 0;
  const model = Object.fromEntries(
    Object.entries(properties).map(([name, sub]) => [name, arbitraryForSchema(spec, sub, depth + 1)]),
  );
  return fc
    .record(model, { requiredKeys: [...required].filter((name) => name in model) })
    .filter((value) => Object.keys(value as object).length >= minProperties);
}

/** The JSON types a schema accepts, through `$ref`, `oneOf`, `anyOf` and `allOf`. */
function collectTypes(spec: Json, node: unknown): string[] {
  const schema = resolveSpecRef(spec, node).node as Json;
  if (schema.type !== undefined)
    return Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  if ('const' in schema) return [schema.const === null ? 'null' : typeof schema.const];
  const alternatives = (schema.oneOf ?? schema.anyOf ?? schema.allOf ?? []) as unknown[];
  return alternatives.flatMap((alternative) => collectTypes(spec, alternative));
}

/** A value of the wrong JSON type for `schema` (a number where text belongs, and so on). */
export function arbitraryWrongType(spec: Json, node: unknown): fc.Arbitrary<unknown> {
  const types = collectTypes(spec, node);
  const all: Array<[string, fc.Arbitrary<unknown>]> = [
    ['string', fc.string({ maxLength: 5 })],
    ['integer', fc.integer()],
    ['number', fc.constantFrom(1.5, -0.5, 1e300)],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.constant([1, 'a'])],
    ['object', fc.constant({ nested: true })],
  ];
  const wrong = all.filter(([name]) => !types.includes(name) && !(name === 'integer' && types.includes('number')));
  return fc.oneof(...wrong.map(([, arbitrary]) => arbitrary));
}
