/**
 * A fresh `Idempotency-Key` for one logical create call (every retry of that call reuses it).
 * Uses Web Crypto's `randomUUID` (browsers, Node ≥ 19 and Node 18 with Web Crypto global); without it,
 * falls back to a random v4-shaped id, which is enough for a key scoped to one user and a day.
 */
export function createIdempotencyKey(): string {
  const webCrypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof webCrypto?.randomUUID === 'function') return webCrypto.randomUUID();
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const n = (Math.random() * 16) | 0;
    return (c === 'x' ? n : (n & 0x3) | 0x8).toString(16);
  });
}
