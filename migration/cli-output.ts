import type { ImportSummary } from './import.js';
import type { ExportManifest } from './legacy-rows.js';
import type { SyncSummary, VerifyReport } from './verify.js';

const line = (label: string, value: unknown) => `  ${label.padEnd(22)} ${String(value)}`;

export function formatExportSummary(manifest: ExportManifest, dir: string): string {
  return [
    'export finished',
    line('folder', dir),
    line('neighborhoods', manifest.counts.neighborhoods),
    line('memberships', manifest.counts.memberships),
  ].join('\n');
}

export function formatImportSummary(s: ImportSummary, dir: string): string {
  const total = s.items.neighborhoods + s.items.nameClaims + s.items.legacyIds + s.items.memberships;
  return [
    s.dryRun ? 'import dry run: nothing written' : 'import finished',
    line('rows', `${s.rows.neighborhoods} neighborhoods, ${s.rows.memberships} memberships`),
    line(
      s.dryRun ? 'items it would write' : 'items in the table',
      `${total} (${s.items.neighborhoods} neighborhoods, ${s.items.nameClaims} name claims, ${s.items.legacyIds} legacy ids, ${s.items.memberships} memberships)`,
    ),
    ...(s.resumedFrom ? [line('resumed from', `${s.resumedFrom.phase} line ${s.resumedFrom.line}`)] : []),
    ...(s.dryRun
      ? []
      : [
          line(
            'BatchWriteItem calls',
            `${s.writer.calls} (${s.writer.retries} retries, ${s.writer.throttled} throttled, ${s.writer.unprocessed} unprocessed items)`,
          ),
        ]),
    line('rate', `${Math.round(s.written / Math.max(s.seconds, 0.001))} items/s over ${s.seconds.toFixed(1)} s`),
    line('legacy data issues', formatCounts(s.issues) || 'none'),
    line('issue report', `${dir}/issues.ndjson`),
    line('id map', `${dir}/id-map.ndjson`),
  ].join('\n');
}

export function formatVerifyReport(r: VerifyReport, maxShown = 50): string {
  const { source, target } = r.counts;
  const rows = [
    r.ok ? 'verify: OK, the table matches the source' : `verify: FAILED, ${r.differenceCount} differences`,
    line('', 'source    table'),
    line('neighborhoods', `${String(source.neighborhoods).padEnd(9)} ${target.neighborhoods}`),
    line('name claims', `${String(source.nameClaims).padEnd(9)} ${target.nameClaims}`),
    line('legacy ids', `${String(source.legacyIds).padEnd(9)} ${target.legacyIds}`),
    line('memberships', `${String(source.memberships).padEnd(9)} ${target.memberships}`),
    line('other items', target.other),
  ];
  const { refused } = r.counts;
  if (refused.neighborhoods + refused.memberships > 0) {
    rows.push(
      line(
        'refused rows',
        `${refused.neighborhoods} neighborhoods, ${refused.memberships} memberships (not expected: see did-invalid in docs/migration.md)`,
      ),
    );
  }
  if (!r.ok) rows.push(line('by kind', formatCounts(r.byKind)));
  for (const d of r.differences.slice(0, maxShown)) rows.push(`  - ${d.kind} ${d.entity} ${d.key}: ${d.detail}`);
  if (r.differences.length > maxShown)
    rows.push(`  … and ${r.differences.length - maxShown} more (use --json for all)`);
  return rows.join('\n');
}

export function formatSyncSummary(s: SyncSummary): string {
  return [
    s.dryRun ? 'sync dry run: nothing written' : 'sync finished',
    line('puts', s.puts),
    line('deletes', s.deletes),
    line('differences fixed', formatCounts(s.byKind) || 'none (already in sync)'),
    line('took', `${s.seconds.toFixed(1)} s`),
  ].join('\n');
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
