import { Entity } from 'dynamodb-toolbox/entity';
import { item } from 'dynamodb-toolbox/schema/item';
import { string } from 'dynamodb-toolbox/schema/string';
import type { AppTable } from '../table/table.js';
import { normalizeName, toNameClaimKey } from './keys.js';

export const nameClaimSchema = item({
  /** The name as written; the key uses a digest of its normalized form. */
  name: string().key(),
  nbhd_id: string(),
});

const nameClaimItemSchema = nameClaimSchema.and((schema) => ({
  /** The compared form, readable (the key holds only its digest). */
  normalized_name: string().link<typeof schema>(({ name }) => normalizeName(name)),
}));

/**
 * The name uniqueness item `NAME#{digest(normalizeName(name))}` / `NAME`, written in the same transaction as the
 * neighborhood so two racing creates cannot both win (a GSI query first could not guarantee that).
 */
export function createNameClaimEntity(table: AppTable) {
  return new Entity({
    name: 'NAME',
    table,
    schema: nameClaimItemSchema,
    computeKey: ({ name }) => toNameClaimKey(name),
    timestamps: false,
  });
}

export type NameClaimEntity = ReturnType<typeof createNameClaimEntity>;
