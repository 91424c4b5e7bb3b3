import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createIdempotencyEntity } from '../idempotency/entity.js';
import { createMembershipEntity } from '../membership/entity.js';
import { createNeighborhoodEntity } from '../neighborhood/entity.js';
import { createLegacyIdEntity } from '../neighborhood/legacy-id.js';
import { createNameClaimEntity } from '../neighborhood/name-claim.js';
import { createQuotaEntity } from '../quota/entity.js';
import { createTable } from './table.js';

/**
 * The table and every entity on it, built once per DocumentClient + table name (app start, a test file,
 * the migration's bulk writer).
 *
 * @example
 * const { table, neighborhoods } = createEntities({ documentClient, tableName: 'nbhd-city' });
 */
export function createEntities(options: { documentClient: DynamoDBDocumentClient; tableName: string }) {
  const table = createTable(options);
  return {
    table,
    neighborhoods: createNeighborhoodEntity(table),
    memberships: createMembershipEntity(table),
    nameClaims: createNameClaimEntity(table),
    idempotency: createIdempotencyEntity(table),
    legacyIds: createLegacyIdEntity(table),
    quotas: createQuotaEntity(table),
  };
}

export type Entities = ReturnType<typeof createEntities>;
