import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { exportLegacyData } from '../../../migration/export.js';
import { importExport } from '../../../migration/import.js';
import { openExportSource } from '../../../migration/legacy-source.js';
import { buildPlan } from '../../../migration/plan.js';
import { createTargetItems, itemsPerNeighborhood } from '../../../migration/target-items.js';
import { localCredentials } from '../../../tooling/dynamodb-local.js';

/**
 * One measured run, in its own process so its peak RSS is its own.
 * argv: <batch|seed> <export dir> <endpoint> <table> [sample size for seed]
 *       export <export dir> <database url>
 * Prints one JSON line: { items, seconds, cpuSeconds, maxRssMb, projected? } (projected: a sampled seed run's
 * estimate for all items). BENCH_CONCURRENCY overrides the
 * importer's default concurrency.
 */
const [mode, dir, endpoint, tableName, limitArg] = process.argv.slice(2);
if (!mode || !dir || !endpoint || (mode !== 'export' && !tableName)) {
  throw new Error('usage: import-worker <batch|seed> <dir> <endpoint> <table> [limit] | export <dir> <database url>');
}
const client = new DynamoDBClient({ endpoint, region: 'local', credentials: localCredentials });
const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

/**
 * The seed plan: one PutItem per item, one after the other, the same items as the batch import.
 * With a sample, every k-th item is written (so all item kinds are represented), built only when chosen, and
 * the time a full run would take is projected: what happens once (start, plan, one read of the files, the
 * warm-up puts) at its measured cost, plus the steady time to build and write one item for every other item.
 */
async function runSeedApproach(sample: number): Promise<{ written: number; total: number; projectedSeconds: number }> {
  const runStarted = performance.now();
  const source = openExportSource(dir as string);
  const plan = await buildPlan(source);
  const target = createTargetItems(documentClient, tableName as string);
  const total = plan.imported.neighborhoods * itemsPerNeighborhood + plan.imported.memberships;
  const stride = Number.isFinite(sample) ? Math.max(1, Math.floor(total / sample)) : 1;
  let index = 0;
  let written = 0;
  const durations: number[] = [];
  const put = async (build: () => Record<string, unknown>) => {
    const itemStarted = performance.now();
    await documentClient.send(new PutCommand({ TableName: tableName, Item: build() }));
    durations.push(performance.now() - itemStarted);
    written += 1;
  };
  for await (const row of source.neighborhoods()) {
    if (plan.refusesNeighborhood(row.id)) continue;
    const chosen = Array.from({ length: itemsPerNeighborhood }, (_, i) => (index + i) % stride === 0);
    index += itemsPerNeighborhood;
    let built: Record<string, unknown>[] | undefined;
    for (const [i, isChosen] of chosen.entries()) {
      if (!isChosen || written >= sample) continue;
      await put(() => {
        built ??= target.toNeighborhoodItems(row, plan);
        return built[i] ?? {};
      });
    }
  }
  for await (const row of source.memberships()) {
    if (plan.refusesMembership(row)) continue;
    if (index++ % stride === 0 && written < sample) await put(() => target.toMembershipItem(row));
  }
  plan.close();
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  // The first fifth of the puts warm the process up (JIT, connections): counted once, at their real cost; the
  // rest give the steady per-item time every further item would take.
  const warm = durations.slice(0, Math.ceil(durations.length / 5));
  const steady = durations.slice(warm.length);
  const onceMs = performance.now() - runStarted - sum(durations) + sum(warm);
  const steadyMs = steady.length > 0 ? sum(steady) / steady.length : 0;
  return { written, total, projectedSeconds: (onceMs + steadyMs * (total - warm.length)) / 1000 };
}

const started = performance.now();
let items: number;
let projected: { items: number; seconds: number } | undefined;
if (mode === 'export') {
  const manifest = await exportLegacyData({ databaseUrl: endpoint, dir, quiet: true });
  items = manifest.counts.neighborhoods + manifest.counts.memberships;
} else if (mode === 'seed') {
  const seed = await runSeedApproach(limitArg ? Number(limitArg) : Number.POSITIVE_INFINITY);
  items = seed.written;
  if (seed.written < seed.total) projected = { items: seed.total, seconds: seed.projectedSeconds };
} else {
  const concurrency = process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : undefined;
  const summary = await importExport({
    dir,
    documentClient,
    tableName: tableName ?? '',
    quiet: true,
    restart: true,
    concurrency,
  });
  items = summary.written;
}
const seconds = (performance.now() - started) / 1000;
client.destroy();
// maxRSS is in kilobytes.
const usage = process.resourceUsage();
const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
process.stdout.write(`${JSON.stringify({ items, seconds, cpuSeconds, maxRssMb: usage.maxRSS / 1024, projected })}\n`);
