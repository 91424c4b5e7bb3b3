import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { resolveSpecRef } from '../../tooling/spec-refs.js';

/** One example in the spec, with where it sits and where its schema sits (JSON pointers into the spec). */
export interface SpecExample {
  pointer: string;
  schemaPointer: string;
  value: unknown;
}

export interface ExampleFailure {
  pointer: string;
  errors: string[];
}

type Json = Record<string, unknown>;
const specId = 'urn:nbhd-city:openapi';

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
const escapePointerKey = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** Examples of a media type, parameter or header object: `example` or each `examples.*.value`. */
function examplesOf(spec: Json, owner: Json, pointer: string): SpecExample[] {
  if (!isObject(owner.schema)) return [];
  const schemaPointer = `${pointer}/schema`;
  const found: SpecExample[] = [];
  if ('example' in owner) found.push({ pointer: `${pointer}/example`, schemaPointer, value: owner.example });
  for (const [name, raw] of Object.entries(isObject(owner.examples) ? owner.examples : {})) {
    const example = resolveSpecRef(spec, raw, `${pointer}/examples/${escapePointerKey(name)}`);
    if (isObject(example.node) && 'value' in example.node) {
      found.push({ pointer: `${example.pointer}/value`, schemaPointer, value: example.node.value });
    }
  }
  return found;
}

function examplesOfContent(spec: Json, content: unknown, pointer: string): SpecExample[] {
  if (!isObject(content)) return [];
  return Object.entries(content).flatMap(([type, media]) =>
    isObject(media) ? examplesOf(spec, media, `${pointer}/content/${escapePointerKey(type)}`) : [],
  );
}

/**
 * Lists every example in an OpenAPI 3.1 document: request and response bodies, parameters, headers
 * (following $refs, so a shared response's examples are listed once per use) and named schemas' `examples`.
 */
export function listSpecExamples(spec: Json): SpecExample[] {
  const found: SpecExample[] = [];
  const paths = isObject(spec.paths) ? spec.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (!isObject(operation) && !Array.isArray(operation)) continue;
      const at = `/paths/${escapePointerKey(path)}/${method}`;
      const parameters = method === 'parameters' ? operation : isObject(operation) ? operation.parameters : [];
      const parametersAt = method === 'parameters' ? at : `${at}/parameters`;
      (Array.isArray(parameters) ? parameters : []).forEach((raw, index) => {
        const parameter = resolveSpecRef(spec, raw, `${parametersAt}/${index}`);
        if (isObject(parameter.node)) found.push(...examplesOf(spec, parameter.node, parameter.pointer));
      });
      if (!isObject(operation) || method === 'parameters') continue;
      const body = resolveSpecRef(spec, operation.requestBody, `${at}/requestBody`);
      if (isObject(body.node)) found.push(...examplesOfContent(spec, body.node.content, body.pointer));
      for (const [status, raw] of Object.entries(isObject(operation.responses) ? operation.responses : {})) {
        const response = resolveSpecRef(spec, raw, `${at}/responses/${status}`);
        if (!isObject(response.node)) continue;
        found.push(...examplesOfContent(spec, response.node.content, response.pointer));
        for (const [name, rawHeader] of Object.entries(isObject(response.node.headers) ? response.node.headers : {})) {
          const header = resolveSpecRef(spec, rawHeader, `${response.pointer}/headers/${escapePointerKey(name)}`);
          if (isObject(header.node)) found.push(...examplesOf(spec, header.node, header.pointer));
        }
      }
    }
  }
  const components = isObject(spec.components) ? spec.components : {};
  for (const [name, schema] of Object.entries(isObject(components.schemas) ? components.schemas : {})) {
    if (!isObject(schema) || !Array.isArray(schema.examples)) continue;
    const schemaPointer = `/components/schemas/${escapePointerKey(name)}`;
    schema.examples.forEach((value, index) => {
      found.push({ pointer: `${schemaPointer}/examples/${index}`, schemaPointer, value });
    });
  }
  // A shared component used by many operations yields the same example many times; check each once.
  return [...new Map(found.map((example) => [example.pointer, example])).values()];
}

/** An Ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses) that knows the spec, so `#/components/...` refs resolve. */
export function createSpecValidator(spec: Json): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: true });
  addFormats.default(ajv);
  // OpenAPI-only format: documentation for UIs, no constraint.
  ajv.addFormat('password', true);
  // The document's non-schema parts are only containers for the schemas that refs point into.
  ajv.addKeyword({ keyword: 'paths' }).addKeyword({ keyword: 'components' });
  ajv.addSchema({ $id: specId, paths: spec.paths, components: spec.components });
  return ajv;
}

const describeError = (error: ErrorObject) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`;

/** Validates every example against its schema; returns the ones that fail (empty when all pass). */
export function validateSpecExamples(spec: Json): ExampleFailure[] {
  const ajv = createSpecValidator(spec);
  return listSpecExamples(spec).flatMap((example) => {
    const validate = ajv.getSchema(`${specId}#${example.schemaPointer}`);
    if (!validate) return [{ pointer: example.pointer, errors: [`no schema at ${example.schemaPointer}`] }];
    return validate(example.value)
      ? []
      : [{ pointer: example.pointer, errors: (validate.errors ?? []).map(describeError) }];
  });
}
