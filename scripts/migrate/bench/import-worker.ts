import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { localCredentials } from '../../lib/dynamodb-local.js';
import { exportLegacyData } from '../export.js';
import { importExport } from '../import.js';
import { openExportSource } from '../legacy-source.js';
import { buildPlan } from '../plan.js';
import { createTargetItems } from '../target-items.js';

/**
 * One measured run, in its own process so its peak RSS is its own.
 * argv: <batch|seed> <export dir> <endpoint> <table> [sample size for seed]
 *       export <export dir> <database url>
 * Prints one JSON line: { items, seconds, cpuSeconds, maxRssMb }. BENCH_CONCURRENCY overrides the
 * importer's default concurrency.
 */
const [mode, dir, endpoint, tableName, limitArg] = process.argv.slice(2);
if (!mode || !dir || !endpoint || (mode !== 'export' && !tableName)) {
  throw new Error('usage: import-worker <batch|seed> <dir> <endpoint> <table> [limit] | export <dir> <database url>');
}
const client = new DynamoDBClient({ endpoint, region: 'local', credentials: localCredentials });
const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

async function runSeedApproach(sample: number): Promise<number> {
  // The seed plan: one PutItem per item, one after the other, the same items as the batch import.
  // With a sample, every k-th item is written (so all item kinds are represented), built only when chosen.
  const source = openExportSource(dir as string);
  const plan = await buildPlan(source);
  const target = createTargetItems(documentClient, tableName as string);
  const total = plan.counts.neighborhoods * 2 + plan.counts.memberships;
  const stride = Number.isFinite(sample) ? Math.max(1, Math.floor(total / sample)) : 1;
  let index = 0;
  let written = 0;
  const put = async (item: Record<string, unknown>) => {
    await documentClient.send(new PutCommand({ TableName: tableName, Item: item }));
    written += 1;
  };
  for await (const row of source.neighborhoods()) {
    const chosen = [index % stride === 0, (index + 1) % stride === 0];
    index += 2;
    if (!chosen.includes(true)) continue;
    const items = target.toNeighborhoodItems(row, plan);
    for (const [i, item] of items.entries()) if (chosen[i] && written < sample) await put(item);
  }
  for await (const row of source.memberships()) {
    if (index++ % stride === 0 && written < sample) await put(target.toMembershipItem(row));
  }
  plan.close();
  return written;
}

const started = performance.now();
let items: number;
if (mode === 'export') {
  const manifest = await exportLegacyData({ databaseUrl: endpoint, dir, quiet: true });
  items = manifest.counts.neighborhoods + manifest.counts.memberships;
} else if (mode === 'seed') {
  items = await runSeedApproach(limitArg ? Number(limitArg) : Number.POSITIVE_INFINITY);
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
process.stdout.write(`${JSON.stringify({ items, seconds, cpuSeconds, maxRssMb: usage.maxRSS / 1024 })}\n`);
