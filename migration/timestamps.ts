const isoWithOffset = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * Converts an ISO-8601 / PostgreSQL timestamp with any offset to UTC ISO-8601 with six fractional digits
 * (`2024-01-02T03:04:05.123456Z`). Done on integers because a Date would drop the microseconds.
 */
export function toUtcIso(text: string): string {
  const match = isoWithOffset.exec(text);
  if (!match) throw new Error(`Not an ISO-8601 timestamp: ${text}`);
  const [, date, time, fraction = '', zone = 'Z'] = match;
  const offsetMinutes =
    zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const wholeMs = Date.parse(`${date}T${time}Z`) - offsetMinutes * 60_000;
  return formatUtcMicros(BigInt(wholeMs) * 1000n + BigInt(fraction.padEnd(6, '0')));
}

/** Formats epoch microseconds as UTC ISO-8601 with six fractional digits. */
export function formatUtcMicros(epochMicros: bigint): string {
  const ms = epochMicros / 1000n;
  const seconds = new Date(Number(ms)).toISOString().slice(0, 19);
  const micros = ((epochMicros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  return `${seconds}.${micros.toString().padStart(6, '0')}Z`;
}

/** Renders epoch microseconds in a given UTC offset, the way a legacy client might have sent it. */
export function formatWithOffset(epochMicros: bigint, offsetMinutes: number): string {
  const local = formatUtcMicros(epochMicros + BigInt(offsetMinutes) * 60_000_000n).slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
