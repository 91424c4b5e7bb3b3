import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pg from 'pg';
import { afterAll } from 'vitest';
import { loadGeneratedData } from '../../migration/legacy-data/load.js';
import { createTestDocumentClient } from './document-client.js';
import { type TestTable, useTestTable } from './dynamodb.js';
import { usePostgres } from './postgres.js';

export interface MigrationFixture {
  databaseUrl: string;
  /** A folder for the export, removed after the file. */
  dir: string;
  table: TestTable;
  documentClient: DynamoDBDocumentClient;
  /** Runs SQL against the legacy database (for inserts/updates/deletes before a sync). */
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

/**
 * A legacy PostgreSQL database filled with generated awkward data, an empty DynamoDB table and an export
 * folder: everything a migration test drives the CLI against.
 */
export async function useMigrationFixture(counts: {
  neighborhoods: number;
  memberships: number;
}): Promise<MigrationFixture> {
  const postgres = usePostgres();
  const [databaseUrl, table] = await Promise.all([postgres.createLegacyDatabase(), useTestTable('migration')]);
  await loadGeneratedData(databaseUrl, counts);
  const dir = mkdtempSync(join(tmpdir(), 'nbhd-export-'));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  afterAll(async () => {
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    databaseUrl,
    dir,
    table,
    documentClient: createTestDocumentClient(table),
    sql: (text, values) => client.query(text, values),
  };
}
