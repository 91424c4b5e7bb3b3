import { join } from 'node:path';
import { toMembershipUuid, toNeighborhoodUuid } from './ids.js';
import type { LegacySource } from './legacy-source.js';
import { createNdjsonWriter } from './ndjson.js';
import type { MigrationPlan } from './plan.js';

export const reportFiles = { issues: 'issues.ndjson', idMap: 'id-map.ndjson' } as const;

/**
 * Writes the issue report (every row the conflict rule changed, with original and resolved values) and
 * the id map (legacy id → UUID, for links that still carry old ids). Both are rewritten whole on every
 * run, so a resumed import leaves no duplicate lines. Returns issue counts per kind.
 */
export async function writeReports(
  dir: string,
  source: LegacySource,
  plan: MigrationPlan,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const issues = createNdjsonWriter(join(dir, reportFiles.issues));
  for (const issue of plan.issues) {
    counts[issue.kind] = (counts[issue.kind] ?? 0) + 1;
    await issues.write(issue);
  }
  await issues.close();
  const idMap = createNdjsonWriter(join(dir, reportFiles.idMap));
  for await (const row of source.neighborhoods()) {
    await idMap.write({ entity: 'neighborhood', legacy_id: row.id, id: toNeighborhoodUuid(row.id) });
  }
  for await (const row of source.memberships()) {
    await idMap.write({ entity: 'membership', legacy_id: row.id, id: toMembershipUuid(row.id) });
  }
  await idMap.close();
  return counts;
}
