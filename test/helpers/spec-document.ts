import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

export const specPath = new URL('../../openapi.yaml', import.meta.url);

export interface SpecOperation {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  tag: string;
}

type OperationObject = { operationId: string; summary: string; tags: string[] };
export type SpecDocument = {
  tags: { name: string }[];
  paths: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
};

const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Reads and parses openapi.yaml (a fresh object each call, so tests may mutate it). */
export async function readSpec(): Promise<SpecDocument> {
  return parse(await readFile(specPath, 'utf8')) as SpecDocument;
}

/** Lists every operation of a spec in document order. */
export function listOperations(spec: SpecDocument): SpecOperation[] {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => methods.has(method))
      .map(([method, value]) => {
        const operation = value as OperationObject;
        return {
          method,
          path,
          operationId: operation.operationId,
          summary: operation.summary,
          tag: operation.tags[0] ?? '',
        };
      }),
  );
}

/** Walks into a parsed document by keys, failing loudly on a wrong path (tests mutate what it returns). */
export function pick(value: unknown, ...keys: string[]): Record<string, unknown> {
  const found = keys.reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], value);
  if (typeof found !== 'object' || found === null) throw new Error(`no object at ${keys.join(' > ')}`);
  return found as Record<string, unknown>;
}
