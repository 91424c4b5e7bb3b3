import { v5 as uuidv5 } from 'uuid';

/**
 * The fixed UUIDv5 namespace of the nbhd.city migration. Never change it: every migrated id, every
 * re-run and every old-id link depends on it mapping legacy integers to the same UUIDs.
 */
export const migrationNamespace = '4d2b7c1e-8f3a-5b6c-9d0e-1f2a3b4c5d6e';

/** The UUID a legacy neighborhood id becomes. */
export function toNeighborhoodUuid(legacyId: number): string {
  return uuidv5(`neighborhood:${legacyId}`, migrationNamespace);
}

/** The UUID a legacy membership id becomes. */
export function toMembershipUuid(legacyId: number): string {
  return uuidv5(`membership:${legacyId}`, migrationNamespace);
}
