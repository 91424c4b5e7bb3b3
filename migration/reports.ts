import { join } from 'node:path';
import { toMembershipUuid, toNeighborhoodUuid } from './ids.js';
import type { LegacyMembership, LegacyNeighborhood } from './legacy-rows.js';
import type { LegacySource } from './legacy-source.js';
import { createNdjsonWriter } from './ndjson.js';
import { buildPlan, type MigrationPlan } from './plan.js';
import { startPlanProgress } from './plan-progress.js';

export const reportFiles = { issues: 'issues.ndjson', idMap: 'id-map.ndjson' } as const;

/**
 * Builds the plan and, in the same pass over the source, writes the id map (legacy id → UUID, for links
 * that still carry old ids); then writes the issue report (every row the conflict rule changed, with
 * original and resolved values). Both files are rewritten whole on every run, so a resumed import leaves
 * no duplicate lines.
 */
export async function buildPlanWithReports(
  dir: string,
  source: LegacySource,
  options: { quiet?: boolean | undefined } = {},
): Promise<MigrationPlan> {
  const idMap = createNdjsonWriter(join(dir, reportFiles.idMap));
  const progress = await startPlanProgress(source, options.quiet);
  let plan: MigrationPlan;
  try {
    plan = await buildPlan(source, {
      onNeighborhood: (row: LegacyNeighborhood) => {
        progress.increment();
        return idMap.write({ entity: 'neighborhood', legacy_id: row.id, id: toNeighborhoodUuid(row.id) });
      },
      onMembership: (row: LegacyMembership) => {
        progress.increment();
        return idMap.write({ entity: 'membership', legacy_id: row.id, id: toMembershipUuid(row.id) });
      },
    });
  } finally {
    progress.stop();
    await idMap.close();
  }
  try {
    const issues = createNdjsonWriter(join(dir, reportFiles.issues));
    for (const issue of plan.issues()) await issues.write(issue);
    await issues.close();
  } catch (error) {
    plan.close();
    throw error;
  }
  return plan;
}
