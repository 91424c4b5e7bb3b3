import type { RequestSample } from '../runner/samples.js';
import type { BenchServerName } from './bench-stack.js';
import type { LedgerEntry } from './cpu-ledger.js';

export interface CpuRow {
  operation: string;
  requests: number;
  appMs: number;
  floorMs: number;
  expressMs: number;
  /** app / floor: the goal. */
  ratio: number;
  /** The Express floor / floor: what the framework alone costs. */
  expressRatio: number;
}

type PerServer<T> = Record<BenchServerName, T>;
const serverNames: BenchServerName[] = ['app', 'floor', 'express'];

/** Per operation (and `all`): CPU ms per request of each server and the ratios; entries pair with samples by order. */
export function summarizeCpu(samples: PerServer<RequestSample[]>, ledgers: PerServer<LedgerEntry[]>): CpuRow[] {
  const sums = new Map<string, PerServer<number> & { requests: number }>();
  const add = (operation: string, server: BenchServerName, us: number) => {
    const sum = sums.get(operation) ?? { requests: 0, app: 0, floor: 0, express: 0 };
    sum[server] += us;
    if (server === 'app') sum.requests += 1;
    sums.set(operation, sum);
  };
  for (const server of serverNames) {
    samples[server].forEach((sample, index) => {
      const us = (ledgers[server][index] as LedgerEntry).cpuUs;
      add(sample.operation, server, us);
      add('all', server, us);
    });
  }
  return [...sums]
    .map(([operation, sum]) => ({
      operation,
      requests: sum.requests,
      appMs: sum.app / 1000 / sum.requests,
      floorMs: sum.floor / 1000 / sum.requests,
      expressMs: sum.express / 1000 / sum.requests,
      ratio: sum.app / sum.floor,
      expressRatio: sum.express / sum.floor,
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
  const header = ['operation', 'requests', 'app ms', 'floor ms', 'app/floor', 'express ms', 'express/floor'];
  const lines = rows.map((row) => [
    row.operation,
    String(row.requests),
    row.appMs.toFixed(2),
    row.floorMs.toFixed(2),
    `${row.ratio.toFixed(2)}×`,
    row.expressMs.toFixed(2),
    `${row.expressRatio.toFixed(2)}×`,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => (line[i] as string).length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
      .join('  ');
  return [format(header), ...lines.map(format)].join('\n');
}
