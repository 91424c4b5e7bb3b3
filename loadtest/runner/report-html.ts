import type { OperationRow, SecondBucket } from './report-data.js';
import { formatCpuPerRequest } from './report-text.js';
import { escapeHtml, renderBarChart, renderLineChart } from './svg-charts.js';
import type { ThresholdResult } from './thresholds.js';

export interface RunReport {
  startedAt: string;
  target: string;
  profile: string;
  /** Target iterations per second and the planned duration. */
  rate: number;
  /** The rate in requests: iterations/s × the mix's requests per iteration. */
  plannedRequestsPerSecond: number;
  durationSeconds: number;
  elapsedSeconds: number;
  iterations: number;
  dropped: number;
  rows: OperationRow[];
  seconds: SecondBucket[];
  thresholds: ThresholdResult[];
  passed: boolean;
  /** Average CPU cores each process used while the load ran. */
  cpu: { process: string; cores: number }[];
  notes: string[];
}

const colors = { p50: '#2b7bb9', p95: '#e08a00', p99: '#b3261e', db: '#6a3d9a', app: '#33a02c', rest: '#b2b2b2' };
const f1 = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(1));

function renderTable(rows: readonly OperationRow[]): string {
  const head = [
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
    'DynamoDB p50',
    'DynamoDB calls',
  ];
  const body = rows.map((r) =>
    [
      r.operation,
      r.count,
      r.rps.toFixed(1),
      f1(r.latency.p50),
      f1(r.latency.p95),
      f1(r.latency.p99),
      f1(r.latency.max),
      r.errors,
      r.throttles,
      f1(r.server?.p50),
      f1(r.db?.p50),
      r.dbCallsAvg?.toFixed(2) ?? '–',
    ]
      .map((cell) => `<td>${escapeHtml(String(cell))}</td>`)
      .join(''),
  );
  return `<table><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>${body.map((b) => `<tr>${b}</tr>`).join('')}</table>`;
}

/** The run as one self-contained HTML page: verdict, thresholds, latency over time, per-operation figures. */
export function renderHtmlReport(report: RunReport): string {
  const all = report.rows.find((row) => row.operation === 'all');
  const operations = report.rows.filter((row) => row.operation !== 'all');
  const p95Limit = report.thresholds
    .filter((t) => t.metric === 'http_req_duration{expected_response:true}' && t.expression.startsWith('p(95)<'))
    .map((t) => Number(t.expression.slice(6)))
    .sort((a, b) => a - b)[0];
  const over = (key: 'p50' | 'p95' | 'p99') => ({
    name: key,
    color: colors[key],
    points: report.seconds.map((s) => [s.second, s[key]] as [number, number]),
  });
  const latencyChart = renderLineChart({
    series: [over('p50'), over('p95'), over('p99')],
    xLabel: 'seconds into the run',
    yLabel: 'latency (ms), expected responses',
    ...(p95Limit === undefined ? {} : { guide: { value: p95Limit, label: `p95 threshold ${p95Limit} ms` } }),
  });
  const rateChart = renderLineChart({
    series: [
      { name: 'requests/s', color: '#444', points: report.seconds.map((s) => [s.second, s.requests]) },
      { name: 'errors/s', color: colors.p99, points: report.seconds.map((s) => [s.second, s.errors]) },
    ],
    xLabel: 'seconds into the run',
    yLabel: 'requests per second',
    guide: {
      value: report.plannedRequestsPerSecond,
      label: `planned ≈ ${report.plannedRequestsPerSecond.toFixed(0)} req/s`,
    },
    height: 220,
  });
  const percentileChart = renderBarChart({
    groups: operations.map((r) => ({ label: r.operation, values: [r.latency.p50, r.latency.p95, r.latency.p99] })),
    legend: [
      { name: 'p50', color: colors.p50 },
      { name: 'p95', color: colors.p95 },
      { name: 'p99', color: colors.p99 },
    ],
    unit: 'ms',
  });
  const timed = operations.filter((r) => r.server && r.db);
  const splitChart = timed.length
    ? renderBarChart({
        groups: timed.map((r) => {
          const db = r.db?.p50 ?? 0;
          const app = Math.max(0, (r.server?.p50 ?? 0) - db);
          return { label: r.operation, values: [db, app, Math.max(0, r.latency.p50 - db - app)] };
        }),
        legend: [
          { name: 'waiting on DynamoDB', color: colors.db },
          { name: 'rest of the app', color: colors.app },
          { name: 'outside the app', color: colors.rest },
        ],
        unit: 'ms (p50)',
        stacked: true,
      })
    : '<p>The server sent no Server-Timing header, so app and DynamoDB time are unknown for this run.</p>';
  const thresholdRows = report.thresholds
    .map(
      (t) =>
        `<tr class="${t.ok ? 'ok' : 'bad'}"><td>${t.ok ? '✓' : '✗'}</td><td>${escapeHtml(t.metric)}</td><td>${escapeHtml(t.expression)}</td><td>${+t.value.toFixed(4)}</td><td>${t.samples}</td></tr>`,
    )
    .join('');
  const achieved = all ? all.rps.toFixed(1) : '0';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>nbhd.city load test ${escapeHtml(report.startedAt)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:960px;color:#222}table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}tr.ok td:first-child{color:#1a7f37}tr.bad{background:#fde7e9}.verdict{font-size:20px;font-weight:600}.pass{color:#1a7f37}.fail{color:#b3261e}svg{width:100%;height:auto;margin:6px 0 18px}</style></head><body>
<h1>nbhd.city load test</h1>
<p class="verdict ${report.passed ? 'pass' : 'fail'}">${report.passed ? 'PASSED: every threshold held' : 'FAILED: a threshold was crossed'}</p>
<p>${escapeHtml(report.startedAt)} · target ${escapeHtml(report.target)} · profile <b>${escapeHtml(report.profile)}</b> · ${report.rate} iterations/s planned for ${report.durationSeconds} s · ran ${report.elapsedSeconds.toFixed(1)} s · ${report.iterations} iterations (${report.dropped} dropped) · <b>${achieved} requests/s</b> achieved</p>
<p>CPU while loading: ${report.cpu.map((c) => `${escapeHtml(c.process)} ${c.cores.toFixed(2)} cores`).join(' · ') || 'not measured'}<br>CPU per request (ms): ${escapeHtml(formatCpuPerRequest(report.cpu, all?.rps ?? 0))}</p>
${report.notes.map((n) => `<p>${escapeHtml(n)}</p>`).join('')}
<h2>Thresholds</h2><table><tr><th></th><th>metric</th><th>threshold</th><th>value</th><th>samples</th></tr>${thresholdRows}</table>
<h2>Latency over time (per second)</h2>${latencyChart}
<h2>Throughput</h2>${rateChart}
<h2>Latency per operation</h2>${percentileChart}
<h2>Where the time goes (median request)</h2>${splitChart}
<h2>Figures (ms)</h2>${renderTable(report.rows)}
</body></html>
`;
}
