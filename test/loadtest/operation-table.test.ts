import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkOperationTable } from '../../scripts/codegen/operation-table.js';
import { pick, readSpec } from '../helpers/spec-document.js';

const dir = await mkdtemp(join(tmpdir(), 'nbhd-operations-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the generated operation table (contract/generated/operations.ts)', () => {
  it('matches a fresh generation from openapi.yaml', async () => {
    expect(await checkOperationTable()).toBeUndefined();
  });

  it('is reported stale when a path in the spec changed after the last `npm run generate`', async () => {
    const spec = await readSpec();
    const paths = pick(spec, 'paths');
    paths['/api/nbhds/{nbhd_id}/membership'] = paths['/api/nbhds/{nbhd_id}/join'];
    delete paths['/api/nbhds/{nbhd_id}/join'];
    const specUrl = pathToFileURL(join(dir, 'openapi.yaml'));
    await writeFile(specUrl, stringify(spec));

    const drift = await checkOperationTable(specUrl);

    expect(drift?.actual).toContain("joinNeighborhood: { method: 'POST', path: '/api/nbhds/{nbhd_id}/join'");
    expect(drift?.expected).not.toContain('/join');
  });
});
