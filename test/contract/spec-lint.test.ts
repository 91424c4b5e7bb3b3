import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { lintSpec } from '../../scripts/contract/spec-lint.js';
import { pick, readSpec } from '../helpers/spec-document.js';

const redoclyConfig = fileURLToPath(new URL('../../redocly.yaml', import.meta.url));

describe('redocly.yaml (npm run lint:spec)', () => {
  it('rejects a spec that drops examples, documented headers, problem+json and descriptions', async () => {
    const spec = await readSpec();
    delete pick(spec, 'paths', '/', 'get', 'responses', '200', 'content', 'application/json').example;
    delete pick(spec, 'paths', '/auth/me', 'get', 'responses', '200').headers;
    delete pick(spec, 'components', 'responses', 'Unauthorized', 'headers')['WWW-Authenticate'];
    delete pick(spec, 'components', 'responses', 'ServiceUnavailable', 'headers')['Retry-After'];
    delete pick(spec, 'components', 'responses', 'TooManyRequests', 'headers')['Retry-After'];
    delete pick(spec, 'components', 'responses', 'LoginTooManyRequests', 'headers')['Retry-After'];
    const forbidden = pick(spec, 'components', 'responses', 'Forbidden', 'content');
    forbidden['application/json'] = forbidden['application/problem+json'];
    delete forbidden['application/problem+json'];
    delete pick(spec, 'paths', '/api/nbhds/{nbhd_id}', 'delete').description;
    delete pick(spec, 'paths', '/auth/logout', 'post').security;

    const dir = await mkdtemp(join(tmpdir(), 'nbhd-lint-'));
    try {
      await writeFile(join(dir, 'openapi.yaml'), stringify(spec));
      await copyFile(redoclyConfig, join(dir, 'redocly.yaml'));
      const report = await lintSpec('openapi.yaml', dir);

      const rules = new Set(report.problems.map((problem) => problem.ruleId));
      expect([...rules].sort()).toEqual(
        [
          // Retry-After is no longer referenced anywhere once the 503 and both 429 responses drop it.
          'no-unused-components',
          'operation-4xx-problem-details-rfc7807',
          'operation-description',
          'response-contains-header',
          'rule/error-responses-are-problem-json',
          'rule/media-type-example',
          'rule/operation-security-explicit',
        ].sort(),
      );
      const headers = report.problems.filter((problem) => problem.ruleId === 'response-contains-header');
      expect(headers.map((problem) => problem.message)).toEqual(
        expect.arrayContaining([
          'Response object must contain a "X-Request-Id" header.',
          'Response object must contain a "WWW-Authenticate" header.',
          'Response object must contain a "Retry-After" header.',
        ]),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
