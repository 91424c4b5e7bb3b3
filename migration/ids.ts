import { parse as parseUuid, v5 as uuidv5 } from 'uuid';

/**
 * The fixed UUIDv5 namespace of the nbhd.city migration. Never change it: every migrated id, every
 * re-run and every old-id link depends on it mapping legacy integers to the same UUIDs.
 */
export const migrationNamespace = '4d2b7c1e-8f3a-5b6c-9d0e-1f2a3b4c5d6e';

/**
 * The namespace parsed once and names passed as bytes: uuid's v5 otherwise re-parses the namespace string and
 * re-encodes the name on every call, which was a third of its cost (the import makes three per membership).
 */
const namespaceBytes = parseUuid(migrationNamespace);
const toUuid = (name: string) => uuidv5(Buffer.from(name, 'utf8'), namespaceBytes);

/** The UUID a legacy neighborhood id becomes. */
export function toNeighborhoodUuid(legacyId: number): string {
  return toUuid(`neighborhood:${legacyId}`);
}

/** The UUID a legacy membership id becomes. */
export function toMembershipUuid(legacyId: number): string {
  return toUuid(`membership:${legacyId}`);
}
