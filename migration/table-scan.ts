import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';

/** Reads every item of the table with a parallel scan (segments run concurrently, items arrive unordered). */
export async function scanTable(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  onItem: (item: Record<string, unknown>) => void,
  segments = 4,
): Promise<void> {
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      const pages = paginateScan(
        { client: documentClient, pageSize: 1_000 },
        { TableName: tableName, Segment: segment, TotalSegments: segments, ConsistentRead: true },
      );
      for await (const page of pages) for (const item of page.Items ?? []) onItem(item);
    }),
  );
}
