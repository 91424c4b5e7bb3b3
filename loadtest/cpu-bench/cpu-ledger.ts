import type { Server } from 'node:http';

export interface LedgerEntry {
  method: string;
  url: string;
  status: number;
  /** Process CPU (user + system, µs) since the previous measured response finished. */
  cpuUs: number;
}

export type LedgerMessage = { type: 'mark' } | { type: 'report' };

/**
 * Per-request CPU inside a bench child: the driver sends one request at a time to each server, so the process's
 * CPU between two response finishes (parsing, handler, DynamoDB calls, GC, socket work) all belongs to the
 * later request. `mark` (over IPC) starts the measured phase; `report` sends the entries back and the total.
 */
export function attachCpuLedger(server: Server): void {
  let entries: LedgerEntry[] | undefined;
  let last = process.cpuUsage();
  let marked = last;
  server.on('request', (req, res) => {
    res.on('finish', () => {
      if (!entries) return;
      const now = process.cpuUsage();
      const cpuUs = now.user - last.user + (now.system - last.system);
      last = now;
      entries.push({ method: req.method ?? '', url: req.url ?? '', status: res.statusCode, cpuUs });
    });
  });
  process.on('message', (message: LedgerMessage) => {
    if (message.type === 'mark') {
      entries = [];
      last = process.cpuUsage();
      marked = last;
    } else if (message.type === 'report') {
      const total = process.cpuUsage(marked);
      process.send?.({ entries: entries ?? [], totalUs: total.user + total.system });
    }
  });
}
