import { findConflict } from './conflict-match.js';
import type { FinalNbhd, FinalStates, ReplicationConflict } from './final-state.js';
import type { AckedWrite, Side } from './ledger.js';

/** An acknowledged write whose nbhd is the UUID (blue's integers mapped). */
export type NormalizedWrite = Omit<AckedWrite, 'nbhd'> & { nbhd: string };

export interface Finding {
  side: Side;
  row: string;
  what: string;
  expected?: unknown;
  found?: unknown;
  /** The write the expectation comes from. */
  write?: Pick<AckedWrite, 'seq' | 'side' | 'kind' | 'user' | 'ackAt'>;
  /** For an explained difference, the conflict kind that explains it. */
  conflict?: string;
}

export interface CheckInput {
  writes: readonly NormalizedWrite[];
  final: FinalStates;
  /** UUIDs of the neighborhoods the import brought (before the workload). */
  initial: ReadonlySet<string>;
  conflicts: readonly ReplicationConflict[];
  legacyIdOf(uuid: string): number | undefined;
}

export interface CheckResult {
  lost: Finding[];
  duplicated: Finding[];
  explained: Finding[];
  checked: { neighborhoods: number; memberships: number };
}

const sides: Side[] = ['blue', 'green'];
const brief = (w: NormalizedWrite) => ({ seq: w.seq, side: w.side, kind: w.kind, user: w.user, ackAt: w.ackAt });

interface NbhdExpectation {
  exists: boolean;
  name?: string;
  description?: string | null;
  last: NormalizedWrite;
  names: string[];
}

/** Folds each neighborhood's writes (create, rename, describe, delete) in acknowledgement order. */
function expectNeighborhoods(writes: readonly NormalizedWrite[]): Map<string, NbhdExpectation> {
  const expected = new Map<string, NbhdExpectation>();
  for (const w of writes) {
    if (w.kind === 'join' || w.kind === 'leave') continue;
    const current = expected.get(w.nbhd);
    const next: NbhdExpectation = current ? { ...current, last: w } : { exists: true, last: w, names: [] };
    if (w.kind === 'create') Object.assign(next, { exists: true, name: w.name, description: w.description ?? null });
    if (w.kind === 'rename') next.name = w.name;
    if (w.kind === 'describe') next.description = w.description ?? null;
    if (w.kind === 'delete') next.exists = false;
    if (w.name) next.names = [...next.names, w.name];
    expected.set(w.nbhd, next);
  }
  return expected;
}

/**
 * Checks every acknowledged write against what both sides serve at the end: each neighborhood's existence, name
 * and description and each user's membership match the last acknowledged write on that row, unless a recorded
 * conflict explains the difference; and nothing is there twice (two rows for one id, a neighborhood no
 * acknowledged create or import made, a member listed twice, `member_count` ≠ members).
 */
export function checkFinalState(input: CheckInput): CheckResult {
  const result: CheckResult = {
    lost: [],
    duplicated: [],
    explained: [],
    checked: { neighborhoods: 0, memberships: 0 },
  };
  const sorted = [...input.writes].sort((a, b) => a.ackAt - b.ackAt || a.seq - b.seq);
  const bySide = new Map<Side, Map<string, FinalNbhd>>();
  const expected = expectNeighborhoods(sorted);

  for (const side of sides) {
    const index = new Map<string, FinalNbhd>();
    bySide.set(side, index);
    for (const nbhd of input.final[side]) {
      const row = nbhd.uuid ?? `legacy:${nbhd.legacyId}`;
      if (!nbhd.uuid) {
        result.duplicated.push({ side, row, what: 'a blue neighborhood whose integer id green does not know' });
        continue;
      }
      if (index.has(nbhd.uuid)) result.duplicated.push({ side, row, what: 'two neighborhoods with one id' });
      index.set(nbhd.uuid, nbhd);
      if (!input.initial.has(nbhd.uuid) && !expected.has(nbhd.uuid)) {
        result.duplicated.push({
          side,
          row,
          what: 'a neighborhood no import or acknowledged create made',
          found: nbhd.name,
        });
      }
      const seen = new Set<string>();
      for (const member of nbhd.members) {
        if (seen.has(member))
          result.duplicated.push({ side, row: `${row} ${member}`, what: 'a membership listed twice' });
        seen.add(member);
      }
      if (nbhd.memberCount !== nbhd.members.length) {
        result.duplicated.push({
          side,
          row,
          what: 'member_count differs from the memberships',
          expected: nbhd.members.length,
          found: nbhd.memberCount,
        });
      }
    }
  }

  const judge = (finding: Finding, explainedBy: ReplicationConflict | undefined) => {
    if (explainedBy) result.explained.push({ ...finding, conflict: explainedBy.kind });
    else result.lost.push(finding);
  };

  for (const [uuid, want] of expected) {
    result.checked.neighborhoods += 1;
    const row = { uuid, legacyId: input.legacyIdOf(uuid), names: want.names };
    for (const side of sides) {
      const found = bySide.get(side)?.get(uuid);
      const base = { side, row: uuid, write: brief(want.last) };
      if (want.exists !== Boolean(found)) {
        judge(
          {
            ...base,
            what: want.exists ? 'neighborhood missing' : 'deleted neighborhood still there',
            expected: want.exists,
          },
          undefined,
        );
        continue;
      }
      if (!found || !want.exists) continue;
      if (want.name !== undefined && found.name !== want.name) {
        const collision =
          found.name.startsWith(`${want.name} (#`) && findConflict(input.conflicts, ['name-collision'], row);
        judge(
          { ...base, what: 'name', expected: want.name, found: found.name },
          collision || findConflict(input.conflicts, ['rename-vs-rename', 'delete-vs-rename'], row),
        );
      }
      if (want.description !== undefined && found.description !== want.description) {
        judge(
          { ...base, what: 'description', expected: want.description, found: found.description },
          findConflict(input.conflicts, ['rename-vs-rename'], row),
        );
      }
    }
  }

  const membershipEvents = new Map<string, NormalizedWrite[]>();
  const deletes = new Map<string, NormalizedWrite[]>();
  for (const w of sorted) {
    if (w.kind === 'delete') deletes.set(w.nbhd, [...(deletes.get(w.nbhd) ?? []), w]);
    if (w.kind === 'create' || w.kind === 'join' || w.kind === 'leave') {
      const key = `${w.nbhd} ${w.user}`;
      membershipEvents.set(key, [...(membershipEvents.get(key) ?? []), w]);
    }
  }
  for (const [key, own] of membershipEvents) {
    result.checked.memberships += 1;
    const [uuid = '', user = ''] = key.split(' ');
    const events = [...own, ...(deletes.get(uuid) ?? [])].sort((a, b) => a.ackAt - b.ackAt || a.seq - b.seq);
    const last = events[events.length - 1] as NormalizedWrite;
    const present = last.kind === 'create' || last.kind === 'join';
    const row = { uuid, legacyId: input.legacyIdOf(uuid), user };
    for (const side of sides) {
      const found = bySide.get(side)?.get(uuid)?.members.includes(user) ?? false;
      if (found === present) continue;
      const finding = {
        side,
        row: key,
        what: present ? 'membership missing' : 'membership still there',
        write: brief(last),
      };
      const kinds = present
        ? expected.get(uuid)?.exists === false
          ? ['delete-vs-join']
          : []
        : ['leave-vs-join', 'duplicate-join'];
      judge({ ...finding, expected: present, found }, findConflict(input.conflicts, kinds, row));
    }
  }
  return result;
}
