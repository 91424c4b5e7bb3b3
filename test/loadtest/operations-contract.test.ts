import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type OperationId, operationSpecs } from '../../loadtest/shared/scenario-file.js';

type Spec = { paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>> };
const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as Spec;

describe('load-test operations against openapi.yaml', () => {
  it.each(Object.entries(operationSpecs))(
    'calls %s with its path, method and a documented success status',
    (id, op) => {
      const path = op.path.split('?')[0] as string;
      const operation = spec.paths[path]?.[op.method.toLowerCase()];
      expect(operation?.operationId).toBe(id as OperationId);
      expect(Object.keys(operation?.responses ?? {})).toContain(String(op.expectedStatus));
    },
  );
});
