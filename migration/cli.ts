import { parseArgs } from 'node:util';
import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chooseLocalCredentials } from '../server/data/table/client.js';
import { explainFailure } from './cli-errors.js';
import { formatExportSummary, formatImportSummary, formatSyncSummary, formatVerifyReport } from './cli-output.js';
import {
  assertTableExists,
  formatTableDescription,
  MissingTableError,
  runTableCommand,
  type TableCommandContext,
} from './cli-table.js';
import { exportLegacyData } from './export.js';
import { importExport } from './import.js';
import { loadGeneratedData } from './legacy-data/load.js';
import { openExportSource, openPostgresSource } from './legacy-source.js';
import { formatReplicationReport, formatReplicationStatus, formatSetupSteps } from './replication/cli-output.js';
import { CaptureNotEnabledError, createPool, isSetUp, ReplicationNotSetUpError } from './replication/postgres-side.js';
import {
  readReplicationStatus,
  runReplication,
  setUpReplication,
  tearDownReplication,
} from './replication/replicator.js';
import { CheckpointTrimmedError, StreamMissingError } from './replication/stream-reader.js';
import { syncMigration, verifyMigration } from './verify.js';

const usage = {
  export: 'export --dir <folder>            stream both legacy tables from DATABASE_URL to NDJSON files',
  import:
    'import --dir <folder> [--dry-run] [--restart] [--concurrency n]   write the export into the table (resumes from its checkpoint)',
  verify:
    'verify [--from-dir <folder>]     compare the source (DATABASE_URL, or an export) with the table; exit 1 on any difference',
  sync: 'sync [--dry-run] [--force]       bring the table in line with DATABASE_URL (new, changed, deleted rows)',
  replicate:
    'replicate [setup|status|teardown] [--once] [--json]   two-way replication PostgreSQL <-> DynamoDB for the blue-green cutover',
  generate: 'generate --neighborhoods n --memberships m   fill an empty legacy database with awkward test data',
  table:
    "table <create|describe>          create the table from the code's definition (if missing), or describe it and how it differs",
} as const;

const help = `Usage: npm run migrate -- <command> [options]

Commands:
${Object.values(usage)
  .map((u) => `  ${u}`)
  .join('\n')}

Options:
  --dir <folder>          export folder (default ./migration-data); import writes issues.ndjson, id-map.ndjson and its checkpoint there
  --database-url <url>    legacy PostgreSQL (default: DATABASE_URL)
  --table <name>          DynamoDB table (default: DYNAMODB_TABLE_NAME or nbhd-city)
  --endpoint <url>        DynamoDB endpoint (default: DYNAMODB_ENDPOINT_URL; AWS otherwise). A local one
                          (localhost, 127.x, ::1) gets local credentials; AWS the default credential chain
  --concurrency <n>       BatchWriteItem calls in flight (default 8)
  --dry-run               report what would be written, write nothing
  --restart               import: ignore the checkpoint and start from the first row
  --checkpoint-interval   import: milliseconds between checkpoint writes (default 1000)
  --json                  print the summary as JSON, and nothing else, on stdout (use \`npm run -s\`)
  --once                  replicate: drain what is pending in both directions, then exit 0
  --direction <d>         replicate: forward (PostgreSQL -> table), reverse (stream -> PostgreSQL) or both (default)
  --force                 sync: run although replication is set up (it would undo writes made on the table)
  --quiet                 no progress output
  -h, --help              this help

Exit codes: 0 success, 1 verify found differences, 2 bad usage, 3 the run failed.
See docs/migration.md for the runbook and the rule for legacy data the new rules reject.`;

const options = {
  dir: { type: 'string', default: './migration-data' },
  'from-dir': { type: 'string' },
  'database-url': { type: 'string' },
  table: { type: 'string' },
  endpoint: { type: 'string' },
  concurrency: { type: 'string', default: '8' },
  'checkpoint-interval': { type: 'string', default: '1000' },
  neighborhoods: { type: 'string', default: '100' },
  memberships: { type: 'string', default: '1000' },
  'dry-run': { type: 'boolean', default: false },
  restart: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  once: { type: 'boolean', default: false },
  direction: { type: 'string', default: 'both' },
  force: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

class UsageError extends Error {}
class SyncDuringReplicationError extends Error {}

/**
 * While two-way replication runs, the table takes writes PostgreSQL has not seen yet: a sync (which makes the
 * table equal to PostgreSQL) would delete or revert them. Refused with one line unless --force.
 */
async function refuseSyncDuringReplication(url: string): Promise<void> {
  const pool = createPool(url);
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      if (await isSetUp(client))
        throw new SyncDuringReplicationError(
          'replication is set up on this database: sync would undo the writes made through the new API that have not reached PostgreSQL yet. Use `replicate` (its --once drains both ways), or `--force` when nothing writes to the table.',
        );
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const consoleOutput: CliOutput = { out: (text) => console.log(text), err: (text) => console.error(text) };

/** Runs one CLI invocation; returns the exit code. The environment is read here and nowhere else. */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CliOutput = consoleOutput,
): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${help}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || !command) {
    io.out(
      command && command in usage
        ? `Usage: npm run migrate -- ${usage[command as keyof typeof usage]}\n\n${help}`
        : help,
    );
    return values.help ? 0 : 2;
  }
  const print = (text: string, data: unknown) => io.out(values.json ? JSON.stringify(data, null, 2) : text);
  const databaseUrl = () => {
    const url = values['database-url'] ?? env.DATABASE_URL;
    if (!url) throw new UsageError('Set DATABASE_URL (or --database-url) to the legacy PostgreSQL database.');
    return url;
  };
  const concurrency = Number(values.concurrency);
  const tableName = values.table ?? env.DYNAMODB_TABLE_NAME ?? 'nbhd-city';
  const endpoint = values.endpoint ?? env.DYNAMODB_ENDPOINT_URL;
  const region = env.AWS_REGION ?? 'us-east-1';
  let clients: ReturnType<typeof createClients> | undefined;
  const tableContext = (): TableCommandContext => {
    clients ??= createClients(endpoint, region, env);
    return {
      client: clients.client,
      tableName,
      where: endpoint ?? `AWS ${region}`,
      fixFlags: ` --table ${tableName}${endpoint ? ` --endpoint ${endpoint}` : ''}`,
    };
  };
  /** The table's DocumentClient, after checking the table is there (one line with the fix when it is not). */
  const documentClientOfTable = async () => {
    const context = tableContext();
    await assertTableExists(context);
    return clients?.documentClient as DynamoDBDocumentClient;
  };
  const documentClient = () => {
    clients ??= createClients(endpoint, region, env);
    return clients.documentClient;
  };
  try {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new UsageError('--concurrency must be a positive integer');
    switch (command) {
      case 'export': {
        const manifest = await exportLegacyData({ databaseUrl: databaseUrl(), dir: values.dir, quiet: values.quiet });
        print(formatExportSummary(manifest, values.dir), manifest);
        return 0;
      }
      case 'import': {
        const summary = await importExport({
          dir: values.dir,
          documentClient: values['dry-run'] ? documentClient() : await documentClientOfTable(),
          log: (line) => io.err(line),
          tableName,
          concurrency,
          dryRun: values['dry-run'],
          restart: values.restart,
          checkpointEveryMs: Number(values['checkpoint-interval']),
          quiet: values.quiet,
        });
        print(formatImportSummary(summary, values.dir), summary);
        return 0;
      }
      case 'verify': {
        const fromDir = values['from-dir'];
        const tableClient = await documentClientOfTable();
        const source = fromDir ? openExportSource(fromDir) : await openPostgresSource(databaseUrl());
        try {
          const report = await verifyMigration(source, tableClient, tableName, { quiet: values.quiet });
          print(formatVerifyReport(report), report);
          return report.ok ? 0 : 1;
        } finally {
          await source.close();
        }
      }
      case 'sync': {
        if (!values['dry-run'] && !values.force) await refuseSyncDuringReplication(databaseUrl());
        const tableClient = await documentClientOfTable();
        const source = await openPostgresSource(databaseUrl());
        try {
          const summary = await syncMigration(source, {
            documentClient: tableClient,
            tableName,
            concurrency,
            dryRun: values['dry-run'],
            quiet: values.quiet,
          });
          print(formatSyncSummary(summary), summary);
          return 0;
        } finally {
          await source.close();
        }
      }
      case 'replicate': {
        const action = positionals[1];
        const direction = values.direction;
        if (action !== undefined && !['setup', 'status', 'teardown'].includes(action))
          throw new UsageError('`replicate` takes setup, status, teardown, or nothing (run both directions).');
        if (!['both', 'forward', 'reverse'].includes(direction))
          throw new UsageError('--direction must be forward, reverse or both');
        const pool = createPool(databaseUrl());
        pool.on('error', () => undefined);
        try {
          if (action === 'status') {
            const status = await readReplicationStatus(pool);
            print(formatReplicationStatus(status), status);
            return 0;
          }
          if (action === 'teardown') {
            const steps = await tearDownReplication(pool);
            print(formatSetupSteps('replicate teardown', steps), steps);
            return 0;
          }
          await documentClientOfTable();
          const deps = {
            pool,
            dynamodb: clients?.client as DynamoDBClient,
            documentClient: clients?.documentClient as DynamoDBDocumentClient,
            streams: createStreamsClient(endpoint, region, env),
            tableName,
          };
          try {
            if (action === 'setup') {
              const steps = await setUpReplication(deps);
              print(formatSetupSteps('replicate setup', steps), steps);
              return 0;
            }
            const stop = new AbortController();
            const onSignal = () => stop.abort();
            process.once('SIGINT', onSignal);
            process.once('SIGTERM', onSignal);
            try {
              const report = await runReplication(deps, {
                once: values.once,
                signal: stop.signal,
                directions: direction === 'both' ? ['forward', 'reverse'] : [direction as 'forward' | 'reverse'],
                onReport: values.quiet ? undefined : (r) => io.err(formatReplicationReport(r)),
              });
              print(formatReplicationReport(report), report);
              return 0;
            } finally {
              process.off('SIGINT', onSignal);
              process.off('SIGTERM', onSignal);
            }
          } finally {
            deps.streams.destroy();
          }
        } finally {
          await pool.end();
        }
      }
      case 'generate': {
        const counts = { neighborhoods: Number(values.neighborhoods), memberships: Number(values.memberships) };
        await loadGeneratedData(databaseUrl(), counts);
        print(`generated ${counts.neighborhoods} neighborhoods and ${counts.memberships} memberships`, counts);
        return 0;
      }
      case 'table': {
        const action = positionals[1];
        if (action !== 'create' && action !== 'describe')
          throw new UsageError('Say what to do with the table: `table create` or `table describe`.');
        const result = await runTableCommand(action, tableContext());
        const heading =
          result.created === undefined
            ? ''
            : result.created
              ? 'table created\n'
              : 'table exists already: not changed\n';
        print(`${heading}${formatTableDescription(result.description)}`, result);
        return result.description.differences.length === 0 ? 0 : 1;
      }
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${help}`);
      return 2;
    }
    if (
      error instanceof CaptureNotEnabledError ||
      error instanceof ReplicationNotSetUpError ||
      error instanceof StreamMissingError ||
      error instanceof CheckpointTrimmedError ||
      error instanceof SyncDuringReplicationError
    ) {
      io.err(`migrate ${command}: ${error.message}`);
      return 3;
    }
    if (error instanceof MissingTableError) {
      io.err(`migrate ${command}: ${error.message}`);
      return 3;
    }
    if (error instanceof ResourceNotFoundException) {
      io.err(
        `migrate ${command}: ${new MissingTableError(tableName, tableContext().where, tableContext().fixFlags).message}`,
      );
      return 3;
    }
    const explained = explainFailure(error, {
      databaseUrl: values['database-url'] ?? env.DATABASE_URL,
      dynamodb: endpoint ?? `AWS ${region}`,
    });
    if (explained) {
      io.err(`migrate ${command} failed: ${explained}`);
      return 3;
    }
    // Not a failure of the environment: a bug, whose stack trace is worth having.
    io.err(`migrate ${command} failed: ${(error as Error).stack ?? String(error)}`);
    return 3;
  } finally {
    clients?.client.destroy();
  }
}

function createClients(endpoint: string | undefined, region: string, env: NodeJS.ProcessEnv) {
  const client = new DynamoDBClient({
    region,
    ...(endpoint ? { endpoint } : {}),
    // A local engine accepts any credentials; real AWS uses the default provider chain.
    ...chooseLocalCredentials(endpoint, env),
  });
  const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { client, documentClient };
}

function createStreamsClient(endpoint: string | undefined, region: string, env: NodeJS.ProcessEnv) {
  return new DynamoDBStreamsClient({
    region,
    ...(endpoint ? { endpoint } : {}),
    ...chooseLocalCredentials(endpoint, env),
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2));
}
