import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Table } from 'dynamodb-toolbox/table';
import { tableIndexes, tableKeys } from './definition.js';

export interface CreateTableOptions {
  /** The DocumentClient every command of this table sends through (injected, never a singleton). */
  documentClient: DynamoDBDocumentClient;
  tableName: string;
}

/**
 * The toolbox view of the one table, built from definition.ts so keys and indexes are declared once.
 *
 * @example
 * const table = createTable({ documentClient, tableName: 'nbhd-city' });
 */
export function createTable({ documentClient, tableName }: CreateTableOptions) {
  return new Table({
    name: tableName,
    documentClient,
    partitionKey: { name: tableKeys.partitionKey.name, type: tableKeys.partitionKey.type },
    sortKey: { name: tableKeys.sortKey.name, type: tableKeys.sortKey.type },
    indexes: {
      GSI1: {
        type: 'global',
        partitionKey: { name: tableIndexes.GSI1.partitionKey.name, type: tableIndexes.GSI1.partitionKey.type },
        sortKey: { name: tableIndexes.GSI1.sortKey.name, type: tableIndexes.GSI1.sortKey.type },
      },
      GSI3: {
        type: 'global',
        partitionKey: { name: tableIndexes.GSI3.partitionKey.name, type: tableIndexes.GSI3.partitionKey.type },
        sortKey: { name: tableIndexes.GSI3.sortKey.name, type: tableIndexes.GSI3.sortKey.type },
      },
      LSI1: {
        type: 'local',
        sortKey: { name: tableIndexes.LSI1.sortKey.name, type: tableIndexes.LSI1.sortKey.type },
      },
    },
  });
}

export type AppTable = ReturnType<typeof createTable>;
