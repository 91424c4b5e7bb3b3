import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * The parsed openapi.yaml (repo root). The Lambda build (scripts/build/build-lambda.ts) replaces this module with
 * the document inlined as JSON, so the bundle neither ships the YAML file nor parses it at cold start.
 */
export function loadOpenApiDocument(): Record<string, unknown> {
  return parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
}
