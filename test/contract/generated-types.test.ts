import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkGeneratedTypes, findDrift, generatedTypesUrl } from '../../scripts/codegen/generated-types.js';
import { pick, readSpec } from '../helpers/spec-document.js';

describe('generated types (contract/generated/openapi.ts)', () => {
  it('match a fresh generation from openapi.yaml', async () => {
    expect(await checkGeneratedTypes()).toBeUndefined();
  });

  it('are reported stale when the spec changed after the last `npm run generate`', async () => {
    const spec = await readSpec();
    pick(spec, 'components', 'schemas', 'Nbhd', 'properties').archived = { type: 'boolean' };

    const drift = await checkGeneratedTypes(stringify(spec));

    expect(drift).toBeDefined();
    expect(drift?.expected).toContain('archived?: boolean;');
  });

  it('are reported stale when the committed copy was edited by hand', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nbhd-generated-'));
    try {
      const committed = await readFile(generatedTypesUrl, 'utf8');
      const stale = committed.replace('member_count: number;', 'member_count: string;');
      expect(stale).not.toBe(committed);
      const staleUrl = pathToFileURL(join(dir, 'openapi.ts'));
      await writeFile(staleUrl, stale);

      const drift = await checkGeneratedTypes(undefined, staleUrl);

      expect(drift?.actual).toContain('member_count: string;');
      expect(drift?.expected).toContain('member_count: number;');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds the first differing line, including a truncated file', () => {
    expect(findDrift('a\nb\nc', 'a\nb\nc')).toBeUndefined();
    expect(findDrift('a\nb\nc', 'a\nB\nc')).toEqual({ line: 2, expected: 'b', actual: 'B' });
    expect(findDrift('a\nb\nc', 'a\nb')).toEqual({ line: 3, expected: 'c', actual: undefined });
  });
});
