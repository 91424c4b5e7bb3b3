/** What the server reported about one request in its Server-Timing header. */
export interface ServerTiming {
  serverMs?: number;
  dbMs?: number;
  dbCalls?: number;
}

/**
 * Reads `app;dur=…` (time in the app) and `dynamodb;dur=…;desc="N calls"` (time waiting on DynamoDB)
 * from a Server-Timing header (RFC: W3C Server Timing); other metrics are ignored.
 */
export function parseServerTiming(header: string | string[] | undefined): ServerTiming {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const timing: ServerTiming = {};
  for (const entry of text.split(',')) {
    const [name, ...params] = entry.split(';').map((part) => part.trim());
    const values = Object.fromEntries(
      params.map((param) => {
        const eq = param.indexOf('=');
        return [
          param.slice(0, eq).trim().toLowerCase(),
          param
            .slice(eq + 1)
            .trim()
            .replace(/^"|"$/g, ''),
        ];
      }),
    );
    const dur = Number(values.dur);
    if (name === 'app' && Number.isFinite(dur)) timing.serverMs = dur;
    if (name === 'dynamodb' && Number.isFinite(dur)) {
      timing.dbMs = dur;
      const calls = Number.parseInt(values.desc ?? '', 10);
      if (Number.isFinite(calls)) timing.dbCalls = calls;
    }
  }
  return timing;
}

/** Formats the header the load-test server wrapper sends (server-child.ts). */
export function formatServerTiming(serverMs: number, dbMs: number, dbCalls: number): string {
  return `app;dur=${serverMs.toFixed(2)}, dynamodb;dur=${dbMs.toFixed(2)};desc="${dbCalls} calls"`;
}
