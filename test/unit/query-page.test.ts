import { describe, expect, it } from 'vitest';
import { takeQueryPage, toIndexKeyNames } from '../../server/data/table/query-page.js';

const member = (n: number) => ({
  PK: 'NBHD#a',
  SK: `MEMBER#d${n}`,
  member_order: `MEMBER#2026-0${n}#d${n}`,
  user_key: 'USER#u',
  joined_at: `2026-0${n}`,
  id: `m${n}`,
});

describe('takeQueryPage', () => {
  it('drops the extra item and continues after the last item kept, with the index key only', () => {
    const page = takeQueryPage({ Items: [member(3), member(2), member(1)], LastEvaluatedKey: { PK: 'x' } }, 2, 'LSI1');
    expect(page.items).toEqual([member(3), member(2)]);
    expect(page.lastKey).toEqual({ PK: 'NBHD#a', SK: 'MEMBER#d2', member_order: 'MEMBER#2026-02#d2' });
  });

  it('gives no key for a page that is exactly full when no extra item came', () => {
    const page = takeQueryPage({ Items: [member(2), member(1)] }, 2, 'GSI3');
    expect(page).toEqual({ items: [member(2), member(1)], lastKey: undefined });
  });

  it('keeps DynamoDB’s own key when the read stopped short of the limit (1 MB or a filter)', () => {
    const stopped = { PK: 'NBHD#a', SK: 'MEMBER#d2', user_key: 'USER#u', joined_at: '2026-02' };
    const page = takeQueryPage({ Items: [member(2)], LastEvaluatedKey: stopped }, 2, 'GSI3');
    expect(page).toEqual({ items: [member(2)], lastKey: stopped });
  });
});

describe('toIndexKeyNames', () => {
  it('names the table key and the index key, as a LastEvaluatedKey on that index holds them', () => {
    expect(toIndexKeyNames('LSI1')).toEqual(['PK', 'SK', 'member_order']);
    expect(toIndexKeyNames('GSI3')).toEqual(['PK', 'SK', 'user_key', 'joined_at']);
    expect(toIndexKeyNames('GSI1')).toEqual(['PK', 'SK', 'entity_type', 'created_at']);
  });
});
