import { Entity } from 'dynamodb-toolbox/entity';
import { item } from 'dynamodb-toolbox/schema/item';
import { string } from 'dynamodb-toolbox/schema/string';
import { toKeyDigest } from '../table/key-digest.js';
import type { AppTable } from '../table/table.js';

/**
 * The form names are compared in: NFKC folds compatibility characters (full-width letters…),
 * lower-casing makes "Park" and "park" the same name. The migration uses this same function.
 */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

/**
 * Primary key of the uniqueness item that reserves a name: a digest of the normalized form, since 100
 * characters can normalize to 3,300 bytes (U+FDFA) and a legacy name of any length must still import.
 */
export function toNameClaimKey(name: string): { PK: string; SK: string } {
  return { PK: `NAME#${toKeyDigest(normalizeName(name))}`, SK: 'NAME' };
}

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
