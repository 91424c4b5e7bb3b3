import type { RequestSample } from '../runner/samples.js';
import type { LedgerEntry } from './cpu-ledger.js';

export interface CpuRow {
  operation: string;
  requests: number;
  appMs: number;
  floorMs: number;
  ratio: number;
}

/** Per operation (and `all`): CPU ms per request of each server and app/floor; entries pair with samples by order. */
export function summarizeCpu(
  samples: { app: RequestSample[]; floor: RequestSample[] },
  ledgers: { app: LedgerEntry[]; floor: LedgerEntry[] },
): CpuRow[] {
  const sums = new Map<string, { requests: number; app: number; floor: number }>();
  const add = (operation: string, server: 'app' | 'floor', us: number, count: boolean) => {
    const sum = sums.get(operation) ?? { requests: 0, app: 0, floor: 0 };
    sum[server] += us;
    if (count) sum.requests += 1;
    sums.set(operation, sum);
  };
  for (const server of ['app', 'floor'] as const) {
    samples[server].forEach((sample, index) => {
      const us = (ledgers[server][index] as LedgerEntry).cpuUs;
      add(sample.operation, server, us, server === 'app');
      add('all', server, us, server === 'app');
    });
  }
  return [...sums]
    .map(([operation, sum]) => ({
      operation,
      requests: sum.requests,
      appMs: sum.app / 1000 / sum.requests,
      floorMs: sum.floor / 1000 / sum.requests,
      ratio: sum.app / sum.floor,
    }))
    .sort((a, b) => (a.operation === 'all' ? 1 : b.operation === 'all' ? -1 : b.requests - a.requests));
}

/** Problems that make the comparison void: a request without its ledger entry, or an unexpected status. */
export function findMismatches(samples: RequestSample[], ledger: LedgerEntry[], server: string): string[] {
  const problems: string[] = [];
  if (samples.length !== ledger.length) {
    problems.push(`${server}: ${samples.length} requests sent, ${ledger.length} measured`);
  }
  const unexpected = samples.filter((sample) => !sample.expected);
  for (const sample of unexpected.slice(0, 5)) {
    problems.push(`${server}: ${sample.operation} answered ${sample.status}`);
  }
  if (unexpected.length > 5) problems.push(`${server}: ${unexpected.length - 5} more unexpected statuses`);
  return problems;
}

export function formatCpuTable(rows: CpuRow[]): string {
  const header = ['operation', 'requests', 'app ms', 'floor ms', 'app/floor'];
  const lines = rows.map((row) => [
    row.operation,
    String(row.requests),
    row.appMs.toFixed(2),
    row.floorMs.toFixed(2),
    `${row.ratio.toFixed(2)}×`,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => (line[i] as string).length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
      .join('  ');
  return [format(header), ...lines.map(format)].join('\n');
}
