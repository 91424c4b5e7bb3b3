import type { DynamoDBDocumentClient, QueryCommandInput, QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { QueryCommand as DocumentQueryCommand } from '@aws-sdk/lib-dynamodb';

interface BuiltQuery {
  params(): QueryCommandInput;
  table: { getDocumentClient(): DynamoDBDocumentClient };
}

/**
 * Sends a query the toolbox built (key names, index, conditions, options all come from it) but skips its
 * per-item schema formatting, the largest CPU cost of a 100-item page. Callers map the raw items with the
 * server/data/shapes.ts mappers, which pick only the API's fields.
 */
export function sendUnformattedQuery(query: BuiltQuery): Promise<QueryCommandOutput> {
  return query.table.getDocumentClient().send(new DocumentQueryCommand(query.params()));
}
