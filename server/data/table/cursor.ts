import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../../errors.js';

/** A DynamoDB key (LastEvaluatedKey / ExclusiveStartKey): only string attributes in this table's keys. */
export type PageKey = Record<string, string>;

export interface CursorCodec {
  /** Opaque base64url cursor for `key`, bound to `scope` (which list, for whom). */
  encode(scope: string, key: PageKey): string;
  /** The key inside a cursor; throws ApiError invalid-cursor when it was altered or belongs to another list. */
  decode(scope: string, cursor: string): PageKey;
}

const macLength = 16;

function isPageKey(value: unknown): value is PageKey {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

/**
 * A cursor is `base64url(hmac[16] ‖ json)`, signed with a key derived from the app secret: a client cannot
 * forge a start key, so a tampered cursor is a 400 rather than a scan from an arbitrary place. The scope is
 * signed too, so a cursor from one list (or user) is refused by another.
 *
 * @example
 * const codec = createCursorCodec(config.secretKey);
 * const cursor = codec.encode('nbhds', lastEvaluatedKey);
 */
export function createCursorCodec(secret: string): CursorCodec {
  // Derived on the first cursor, not at a cold start.
  let key: Buffer | undefined;
  const getKey = () => {
    key ??= createHmac('sha256', secret).update('nbhd.city cursor v1').digest();
    return key;
  };
  const sign = (scope: string, payload: Buffer) =>
    createHmac('sha256', getKey()).update(scope).update('\0').update(payload).digest().subarray(0, macLength);
  const invalid = () =>
    new ApiError('invalid-cursor', 'The cursor is not valid for this list; start again without it.');
  return {
    encode(scope, pageKey) {
      const payload = Buffer.from(JSON.stringify(pageKey));
      return Buffer.concat([sign(scope, payload), payload]).toString('base64url');
    },
    decode(scope, cursor) {
      if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
      const bytes = Buffer.from(cursor, 'base64url');
      if (bytes.length <= macLength) throw invalid();
      const given = bytes.subarray(0, macLength);
      const payload = bytes.subarray(macLength);
      if (!timingSafeEqual(given, sign(scope, payload))) throw invalid();
      let decoded: unknown;
      try {
        decoded = JSON.parse(payload.toString('utf8'));
      } catch {
        throw invalid();
      }
      if (!isPageKey(decoded)) throw invalid();
      return decoded;
    },
  };
}
