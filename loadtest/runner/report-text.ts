import type { OperationRow } from './report-data.js';
import type { ThresholdResult } from './thresholds.js';

const ms = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(1));

function pad(cells: string[][]): string {
  const widths = cells[0]?.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length))) ?? [];
  return cells
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
        .join('  '),
    )
    .join('\n');
}

/** The per-operation table: rate, latency percentiles (ms), errors, throttles, server vs DynamoDB time. */
export function formatOperationTable(rows: readonly OperationRow[]): string {
  const header = [
    'operation',
    'reqs',
    'req/s',
    'p50',
    'p95',
    'p99',
    'max',
    'errors',
    'throttled',
    'app p50',
    'app p95',
    'ddb p50',
    'ddb p95',
    'ddb calls',
  ];
  return pad([
    header,
    ...rows.map((row) => [
      row.operation,
      String(row.count),
      row.rps.toFixed(1),
      ms(row.latency.p50),
      ms(row.latency.p95),
      ms(row.latency.p99),
      ms(row.latency.max),
      String(row.errors),
      String(row.throttles),
      ms(row.server?.p50),
      ms(row.server?.p95),
      ms(row.db?.p50),
      ms(row.db?.p95),
      row.dbCallsAvg === undefined ? '-' : row.dbCallsAvg.toFixed(2),
    ]),
  ]);
}

/** One line per threshold, k6-style: ✓/✗ metric expression (value). */
export function formatThresholds(results: readonly ThresholdResult[]): string {
  return results
    .map(
      (r) =>
        `${r.ok ? '✓' : '✗'} ${r.metric} ${r.expression}  (${Number.isInteger(r.value) ? r.value : r.value.toFixed(4)}, ${r.samples} samples)`,
    )
    .join('\n');
}

/**
 * CPU milliseconds each of our processes spent per request (cores × 1000 / req/s): unlike latency, this
 * hardly depends on how busy the machine is, so it shows which process would run out of cores first.
 */
export function formatCpuPerRequest(cpu: readonly { process: string; cores: number }[], rps: number): string {
  if (rps <= 0) return '–';
  return cpu
    .filter((c) => !c.process.startsWith('everything else'))
    .map((c) => `${c.process} ${((c.cores * 1000) / rps).toFixed(1)}`)
    .join(', ');
}
