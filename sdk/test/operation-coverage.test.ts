import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createNbhdClient } from '../src/index.js';

type Spec = { paths: Record<string, Record<string, { operationId?: string }>> };

describe('SDK coverage of the contract', () => {
  it('has one method named by each operationId in openapi.yaml', async () => {
    const spec = parse(await readFile(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as Spec;
    const operationIds = Object.values(spec.paths).flatMap((item) =>
      Object.values(item).flatMap((operation) => (operation?.operationId ? [operation.operationId] : [])),
    );
    const client = createNbhdClient({ baseUrl: 'https://api.example.test' }) as unknown as Record<string, unknown>;

    expect(operationIds.length).toBeGreaterThanOrEqual(21);
    expect(operationIds.filter((id) => typeof client[id] !== 'function')).toEqual([]);
  });
});
