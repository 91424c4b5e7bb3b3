/** Seconds since the epoch, the unit of the table's TTL attribute `expires_at`. */
export function toEpochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/**
 * True when a TTL'd item is past its expiry. DynamoDB deletes expired items only eventually (DynamoDB Local
 * never), so every reader of a TTL'd record checks this itself.
 */
export function isExpired(expiresAt: number, now: Date): boolean {
  return expiresAt <= toEpochSeconds(now);
}
