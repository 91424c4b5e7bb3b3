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
 * argv: <batch|seed> <export dir> <endpoint> <table> [item limit for seed]
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

async function runSeedApproach(limit: number): Promise<number> {
  // The seed plan: one PutItem per item, one after the other, same items as the batch import.
  const source = openExportSource(dir as string);
  const plan = await buildPlan(source);
  const target = createTargetItems(documentClient, tableName as string);
  let written = 0;
  const put = async (item: Record<string, unknown>) => {
    await documentClient.send(new PutCommand({ TableName: tableName, Item: item }));
    written += 1;
  };
  for await (const row of source.neighborhoods()) {
    for (const item of target.toNeighborhoodItems(row, plan)) {
      if (written >= limit) return written;
      await put(item);
    }
  }
  for await (const row of source.memberships()) {
    if (written >= limit) return written;
    await put(target.toMembershipItem(row));
  }
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
