import type pg from 'pg';
import type { Finding, NormalizedWrite } from './check.js';
import type { ReplicationConflict } from './final-state.js';
import type { LagDirection } from './lag-probe.js';

/** For each finding's row (ten at most), the acknowledged writes on it, times in ms since the first write. */
export function historiesOf(lost: readonly Finding[], writes: readonly NormalizedWrite[]) {
  const start = writes[0]?.sentAt ?? 0;
  const rows = [...new Set(lost.map((f) => f.row))].slice(0, 10);
  return rows.map((row) => {
    const [uuid, user] = row.split(' ');
    const on = writes.filter(
      (w) => w.nbhd === uuid && (!user || w.user === user || w.kind === 'delete' || w.kind === 'create'),
    );
    return {
      row,
      writes: on.map(
        (w) =>
          `#${w.seq} step ${w.step + 1} ${w.side} ${w.kind}${w.name ? ` "${w.name}"` : ''} by ${w.user} sent ${w.sentAt - start} acked ${w.ackAt - start}`,
      ),
    };
  });
}

export function countConflicts(conflicts: readonly ReplicationConflict[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of conflicts) counts[c.kind] = (counts[c.kind] ?? 0) + 1;
  return counts;
}

export interface ReplicationCost {
  applied: number;
  dynamodbOperations: number;
  postgresOperations: number;
}

/** What each direction's processes counted and flushed to the progress rows (a killed one loses its last seconds). */
export async function readReplicationCost(sql: pg.Pool): Promise<Record<LagDirection, ReplicationCost>> {
  const { rows } = await sql.query<{ direction: LagDirection; applied: string; d: string; p: string }>(
    'SELECT direction, applied, dynamodb_operations AS d, postgres_operations AS p FROM nbhd_replication.progress',
  );
  const of = (direction: LagDirection): ReplicationCost => {
    const row = rows.find((r) => r.direction === direction);
    return {
      applied: Number(row?.applied ?? 0),
      dynamodbOperations: Number(row?.d ?? 0),
      postgresOperations: Number(row?.p ?? 0),
    };
  };
  return { forward: of('forward'), reverse: of('reverse') };
}
