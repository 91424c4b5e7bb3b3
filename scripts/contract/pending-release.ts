import { readChangesets } from '@changesets/read';
import type { Impact } from './redocly-diff.js';
import { rankImpact } from './redocly-diff.js';

/**
 * The bump the pending changesets (`.changeset/*.md`) give `packageName` at the next `changeset version`:
 * the biggest of their bump types, or 'none' when no changeset names the package.
 */
export async function readPendingBump(rootDir: string, packageName: string): Promise<Impact> {
  const changesets = await readChangesets(rootDir);
  let bump: Impact = 'none';
  for (const changeset of changesets) {
    for (const release of changeset.releases) {
      if (release.name !== packageName || release.type === 'none') continue;
      if (rankImpact(release.type) > rankImpact(bump)) bump = release.type;
    }
  }
  return bump;
}
