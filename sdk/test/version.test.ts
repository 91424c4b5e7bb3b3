import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const read = (path: string) => readFile(new URL(path, import.meta.url), 'utf8');

describe('@nbhd-city/sdk version', () => {
  it('equals the OpenAPI document info.version, so releases move in step with the contract', async () => {
    const spec = parse(await read('../../openapi.yaml')) as { info: { version: string } };
    const pkg = JSON.parse(await read('../package.json')) as { version: string };

    expect(pkg.version).toBe(spec.info.version);
  });

  it('is listed in the changelog', async () => {
    const pkg = JSON.parse(await read('../package.json')) as { version: string };

    expect(await read('../CHANGELOG.md')).toContain(`## ${pkg.version}`);
  });
});
