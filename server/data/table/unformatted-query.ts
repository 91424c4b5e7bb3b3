import type { DynamoDBDocumentClient, QueryCommandInput, QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { QueryCommand as DocumentQueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PageKey } from './cursor.js';

interface BuiltQuery {
  params(): QueryCommandInput;
  table: { getDocumentClient(): DynamoDBDocumentClient };
}

export type QueryTemplate = (
  partition: string,
  page: { limit: number; exclusiveStartKey?: PageKey | undefined },
) => Promise<QueryCommandOutput>;

/** Stands for the partition while the toolbox builds the template: no key of this table can hold it. */
const partitionPlaceholder = '\uffffpartition\uffff';

/**
 * A query the toolbox builds once (key names, index, entity filter, order), sent with only what varies per call
 * filled in: the partition value, the limit and the start key. It skips the toolbox's per-item schema formatting
 * too (the largest CPU cost of a 100-item page): callers map the raw items with the server/data/shapes.ts
 * mappers, which pick only the API's fields.
 *
 * @example
 * const queryMembers = createQueryTemplate((partition) =>
 *   table.build(QueryCommand).query({ index: 'LSI1', partition }).options({ reverse: true }));
 * await queryMembers(toNeighborhoodPartition(id), { limit: 21 });
 */
export function createQueryTemplate(build: (partition: string) => BuiltQuery): QueryTemplate {
  // Built on the first call, not at init: cold starts pay nothing for queries they do not send.
  let template: QueryTemplate | undefined;
  return (partition, page) => {
    template ??= buildTemplate(build);
    return template(partition, page);
  };
}

function buildTemplate(build: (partition: string) => BuiltQuery): QueryTemplate {
  const query = build(partitionPlaceholder);
  const { Limit: _limit, ExclusiveStartKey: _start, ...params } = query.params();
  const values = params.ExpressionAttributeValues ?? {};
  const names = Object.keys(values).filter((name) => values[name] === partitionPlaceholder);
  if (names.length !== 1 || JSON.stringify(params).split(partitionPlaceholder).length !== 2) {
    throw new Error('createQueryTemplate: the partition must appear exactly once, as an expression value');
  }
  const valueName = names[0] as string;
  const client = query.table.getDocumentClient();
  return (partition, page) =>
    client.send(
      new DocumentQueryCommand({
        ...params,
        ExpressionAttributeValues: { ...values, [valueName]: partition },
        Limit: page.limit,
        ...(page.exclusiveStartKey ? { ExclusiveStartKey: page.exclusiveStartKey } : {}),
      }),
    );
}
