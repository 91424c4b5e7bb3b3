import { describe, expect, it } from 'vitest';
import { listSpecExamples, validateSpecExamples } from '../../scripts/contract/spec-examples.js';
import { pick, readSpec } from '../helpers/spec-document.js';

describe('examples in openapi.yaml', () => {
  it('every example validates against its schema (Ajv, JSON Schema 2020-12, formats checked)', async () => {
    const spec = await readSpec();
    expect(listSpecExamples(spec).length).toBeGreaterThan(50);
    expect(validateSpecExamples(spec)).toEqual([]);
  });

  it('reports a response example that breaks its schema, naming where it is and what is wrong', async () => {
    const spec = await readSpec();
    const example = pick(
      spec,
      'paths',
      '/api/nbhds',
      'post',
      'responses',
      '201',
      'content',
      'application/json',
      'example',
    );
    example.member_count = -1;
    example.id = 'not-a-uuid';

    expect(validateSpecExamples(spec)).toEqual([
      {
        pointer: '/paths/~1api~1nbhds/post/responses/201/content/application~1json/example',
        errors: ['/id must match format "uuid"', '/member_count must be >= 0'],
      },
    ]);
  });

  it('reports a wrong example in a shared component, a parameter and a named schema', async () => {
    const spec = await readSpec();
    pick(spec, 'components', 'examples', 'InvalidCursor', 'value', 'errors', '0').location = 'cookie';
    pick(spec, 'components', 'parameters', 'Limit').example = 500;
    pick(spec, 'components', 'schemas', 'NbhdName').examples = [' leading space'];

    const failures = validateSpecExamples(spec).map((failure) => failure.pointer);
    expect(failures).toEqual(
      expect.arrayContaining([
        '/components/examples/InvalidCursor/value',
        '/components/parameters/Limit/example',
        '/components/schemas/NbhdName/examples/0',
      ]),
    );
    expect(failures).toHaveLength(3);
  });
});
