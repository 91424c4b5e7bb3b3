import type { LegacySource } from './legacy-source.js';
import { type Progress, startProgress } from './progress.js';

/**
 * Progress for building a plan: it reads every source row before anything is written or compared, which on a
 * large export takes minutes. Pass `tick` from the plan's row hooks; `stop` prints the last line.
 */
export async function startPlanProgress(source: LegacySource, quiet: boolean | undefined): Promise<Progress> {
  const counts = await source.counts();
  return startProgress({ label: 'plan', total: counts.neighborhoods + counts.memberships, quiet });
}
