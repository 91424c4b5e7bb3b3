import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { TestTable } from './dynamodb.js';

/** Every item of the test table, serialized and sorted: compare two snapshots to prove nothing was written. */
export async function snapshotTable(table: TestTable): Promise<string[]> {
  const items: string[] = [];
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await table.client.send(
      new ScanCommand({ TableName: table.tableName, ConsistentRead: true, ExclusiveStartKey }),
    );
    for (const item of page.Items ?? [])
      items.push(JSON.stringify(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))));
    ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
  } while (ExclusiveStartKey);
  return items.sort();
}
