import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createResponseValidator, type ResponseValidator } from './response-validator.js';

const specUrl = new URL('../../openapi.yaml', import.meta.url);

let cached: { spec: Record<string, unknown>; text: string; validator: ResponseValidator } | undefined;

/** openapi.yaml parsed once per test file, and its response validator. */
export function loadContract() {
  if (!cached) {
    const text = readFileSync(specUrl, 'utf8');
    const spec = parse(text) as Record<string, unknown>;
    cached = { spec, text, validator: createResponseValidator(spec) };
  }
  return cached;
}
