import { describe, expect, it } from 'vitest';
import { createCursorCodec } from '../../server/data/table/cursor.js';
import { ApiError } from '../../server/errors.js';

const codec = createCursorCodec('unit-secret');
const key = { PK: 'NBHD#1', SK: 'METADATA', entity_type: 'NBHD', created_at: '2026-01-01T00:00:00.000Z' };

function expectInvalid(action: () => unknown) {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).slug).toBe('invalid-cursor');
    return;
  }
  throw new Error('expected an invalid-cursor error');
}

describe('cursor codec', () => {
  it('round-trips a key as a base64url string', () => {
    const cursor = codec.encode('nbhds', key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(codec.decode('nbhds', cursor)).toEqual(key);
  });

  it('refuses a cursor with one flipped character', () => {
    const cursor = codec.encode('nbhds', key);
    const flipped = `${cursor.slice(0, 30)}${cursor[30] === 'A' ? 'B' : 'A'}${cursor.slice(31)}`;
    expectInvalid(() => codec.decode('nbhds', flipped));
  });

  it('refuses a cursor made for another list or signed with another secret', () => {
    expectInvalid(() => codec.decode('members:1', codec.encode('nbhds', key)));
    expectInvalid(() => codec.decode('nbhds', createCursorCodec('other').encode('nbhds', key)));
  });

  it('refuses short, empty and non-base64url cursors', () => {
    for (const bad of ['', 'AAAA', 'a.b', '%%%']) expectInvalid(() => codec.decode('nbhds', bad));
  });
});
