import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { operations } from '../../contract/generated/operations.js';
import { type FlowStep, fixtureSteps, flowDefinitions } from '../../loadtest/shared/flows.js';

interface SpecOperation {
  operationId?: string;
  security?: Record<string, unknown>[];
  parameters?: ({ name: string; in: string } | { $ref: string })[];
  responses?: Record<string, unknown>;
}
const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, SpecOperation>>;
  components: { parameters: Record<string, { name: string; in: string }> };
};
const resolveParameter = (p: NonNullable<SpecOperation['parameters']>[number]) =>
  '$ref' in p ? spec.components.parameters[p.$ref.replace('#/components/parameters/', '')] : p;

const steps: [string, FlowStep][] = [
  ...Object.entries(flowDefinitions).flatMap(([name, flow]) =>
    flow.steps.map((step: FlowStep, index) => [`${name}[${index}]`, step] as [string, FlowStep]),
  ),
  ...Object.entries(fixtureSteps).map(([name, step]) => [`fixture ${name}`, step] as [string, FlowStep]),
];

describe('load-test flow steps against openapi.yaml', () => {
  it.each(steps)('%s calls its operation as the contract documents it', (_name, step) => {
    const { method, path } = operations[step.operation];
    const operation = spec.paths[path]?.[method.toLowerCase()];
    expect(operation?.operationId).toBe(step.operation);
    expect(Object.keys(operation?.responses ?? {})).toContain(String(step.expectedStatus));
    const needsBearer = (operation?.security ?? []).some((alternative) => 'bearerAuth' in alternative);
    expect(Boolean(step.signedIn)).toBe(needsBearer);
    const queryNames = (operation?.parameters ?? [])
      .map(resolveParameter)
      .filter((p) => p?.in === 'query')
      .map((p) => p?.name);
    for (const name of Object.keys(step.query ?? {})) expect(queryNames).toContain(name);
  });
});
