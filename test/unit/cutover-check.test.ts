import { describe, expect, it } from 'vitest';
import { type CheckInput, checkFinalState, type NormalizedWrite } from '../../scripts/cutover/check.js';
import type { FinalNbhd } from '../../scripts/cutover/final-state.js';

const ann = 'did:plc:annaaaaaaaaaaaaaaaaaaaaa';
const bo = 'did:plc:boboooooooooooooooooooooo';
const u1 = '11111111-1111-4111-8111-111111111111';
const u2 = '22222222-2222-4222-8222-222222222222';

let seq = 0;
const write = (
  w: Partial<NormalizedWrite> & Pick<NormalizedWrite, 'kind' | 'side' | 'nbhd' | 'user'>,
): NormalizedWrite => {
  seq += 1;
  return { seq, step: 0, sentAt: seq * 10 - 5, ackAt: seq * 10, ...w };
};
const nbhd = (uuid: string, name: string, members: string[], extra: Partial<FinalNbhd> = {}): FinalNbhd => ({
  uuid,
  legacyId: uuid === u1 ? 7 : 8,
  name,
  description: null,
  createdBy: ann,
  memberCount: members.length,
  members,
  ...extra,
});
const input = (writes: NormalizedWrite[], blue: FinalNbhd[], green: FinalNbhd[], extra: Partial<CheckInput> = {}) => ({
  writes,
  final: { blue, green },
  initial: new Set<string>(),
  conflicts: [],
  legacyIdOf: (uuid: string) => (uuid === u1 ? 7 : uuid === u2 ? 8 : undefined),
  ...extra,
});

describe('the rehearsal checker', () => {
  it('finds nothing lost when both sides hold the last acknowledged write of every row', () => {
    const writes = [
      write({ kind: 'create', side: 'green', nbhd: u1, user: ann, name: 'Elm', description: null }),
      write({ kind: 'join', side: 'blue', nbhd: u1, user: bo }),
      write({ kind: 'leave', side: 'green', nbhd: u1, user: bo }),
      write({ kind: 'rename', side: 'green', nbhd: u1, user: ann, name: 'Elm East' }),
    ];
    const result = checkFinalState(input(writes, [nbhd(u1, 'Elm East', [ann])], [nbhd(u1, 'Elm East', [ann])]));
    expect(result).toMatchObject({ lost: [], duplicated: [], checked: { neighborhoods: 1, memberships: 2 } });
  });

  it('counts a green create that never reached blue, and a leave undone on one side, as lost', () => {
    const writes = [
      write({ kind: 'create', side: 'green', nbhd: u1, user: ann, name: 'Elm' }),
      write({ kind: 'leave', side: 'green', nbhd: u1, user: ann }),
    ];
    const result = checkFinalState(input(writes, [], [nbhd(u1, 'Elm', [ann])]));
    expect(result.lost.map((f) => `${f.side} ${f.what}`).sort()).toEqual([
      'blue neighborhood missing',
      'green membership still there',
    ]);
  });

  it('accepts a collision rename only when a name-collision conflict names the neighborhood', () => {
    const writes = [write({ kind: 'create', side: 'blue', nbhd: u1, user: ann, name: 'oak' })];
    const final = [nbhd(u1, 'oak (#7)', [ann])];
    expect(checkFinalState(input(writes, final, final)).lost).toHaveLength(2);
    const conflicts = [{ kind: 'name-collision', key: 'oak', detail: { renamed: 7 } }];
    const result = checkFinalState(input(writes, final, final, { conflicts }));
    expect(result.lost).toEqual([]);
    expect(result.explained.map((f) => f.conflict)).toEqual(['name-collision', 'name-collision']);
  });

  it('accepts a join lost to a later-acknowledged delete only with a delete-vs-join conflict', () => {
    const writes = [
      write({ kind: 'create', side: 'green', nbhd: u2, user: ann, name: 'Gone' }),
      write({ kind: 'delete', side: 'green', nbhd: u2, user: ann }),
      write({ kind: 'join', side: 'blue', nbhd: u2, user: bo }),
    ];
    expect(checkFinalState(input(writes, [], [])).lost.map((f) => f.what)).toEqual([
      'membership missing',
      'membership missing',
    ]);
    const conflicts = [{ kind: 'delete-vs-join', key: `NBHD#${u2}`, detail: { user_id: bo } }];
    expect(checkFinalState(input(writes, [], [], { conflicts })).lost).toEqual([]);
  });

  it('counts a member_count off by one, a doubled member and an unknown neighborhood as duplicated', () => {
    const writes = [write({ kind: 'create', side: 'blue', nbhd: u1, user: ann, name: 'Elm' })];
    const result = checkFinalState(
      input(
        writes,
        [nbhd(u1, 'Elm', [ann, ann])],
        [nbhd(u1, 'Elm', [ann], { memberCount: 2 }), nbhd(u2, 'Elm', [ann])],
      ),
    );
    expect(result.duplicated.map((f) => `${f.side} ${f.what}`)).toEqual([
      'blue a membership listed twice',
      'green member_count differs from the memberships',
      'green a neighborhood no import or acknowledged create made',
    ]);
  });
});
