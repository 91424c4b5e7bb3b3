/** A row of the legacy `neighborhoods` table as exported (timestamps already UTC ISO-8601, microseconds kept). */
export interface LegacyNeighborhood {
  id: number;
  name: string;
  description: string | null;
  created_by: string;
  created_at: string;
  updated_at: string | null;
  /** Set during replication for a row made on green: the UUID it has in the table (else the UUIDv5 of `id`). */
  uuid?: string | null;
}

/** A row of the legacy `memberships` table as exported. */
export interface LegacyMembership {
  id: number;
  user_id: string;
  neighborhood_id: number;
  joined_at: string;
  /** Set during replication for a membership made on green or merged with one (else the UUIDv5 of `id`). */
  uuid?: string | null;
  /** Set during replication: the UUID of its neighborhood (else the UUIDv5 of `neighborhood_id`). */
  neighborhood_uuid?: string | null;
}

/**
 * SQL expression that renders a timestamptz as UTC ISO-8601 with all six fractional digits.
 * Formatting in PostgreSQL keeps the microseconds that a JavaScript Date would truncate.
 */
export function toUtcIsoSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export const neighborhoodColumnsSql = `id, name, description, created_by,
  ${toUtcIsoSql('created_at')} AS created_at, ${toUtcIsoSql('updated_at')} AS updated_at`;

export const membershipColumnsSql = `id, user_id, neighborhood_id, ${toUtcIsoSql('joined_at')} AS joined_at`;

export const exportFiles = {
  neighborhoods: 'neighborhoods.ndjson',
  memberships: 'memberships.ndjson',
  manifest: 'manifest.json',
} as const;

export interface ExportManifest {
  exported_at: string;
  counts: { neighborhoods: number; memberships: number };
}
