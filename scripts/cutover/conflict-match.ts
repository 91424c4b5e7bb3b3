import type { ReplicationConflict } from './final-state.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fold = (text: string) => text.normalize('NFKC').toLowerCase();

/**
 * Finds a recorded conflict of one of `kinds` about a row: its key or detail names the neighborhood (UUID, legacy
 * id as a whole token, or name) and, when it names any DID, the user. The replicator's key format is its own, so
 * the match reads what the record says rather than parsing one spelling.
 */
export function findConflict(
  conflicts: readonly ReplicationConflict[],
  kinds: readonly string[],
  row: { uuid: string; legacyId?: number | undefined; names?: readonly string[]; user?: string },
): ReplicationConflict | undefined {
  return conflicts.find((conflict) => {
    if (!kinds.includes(conflict.kind)) return false;
    const text = `${conflict.key} ${JSON.stringify(conflict.detail ?? null)}`;
    const tokens = [row.uuid, ...(row.legacyId === undefined ? [] : [String(row.legacyId)])];
    const namesNbhd =
      tokens.some((token) => new RegExp(`(?<![A-Za-z0-9-])${escapeRegExp(token)}(?![A-Za-z0-9-])`).test(text)) ||
      (row.names ?? []).some((name) => name && fold(text).includes(fold(JSON.stringify(name).slice(1, -1))));
    if (!namesNbhd) return false;
    return !row.user || !text.includes('did:') || text.includes(row.user);
  });
}
