import { isDeepStrictEqual } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toNeighborhoodKey } from '../server/data/neighborhood/keys.js';
import { isQuotaItem } from '../server/data/quota/keys.js';
import { type DiffStore, openDiffStore } from './diff-store.js';
import type { LegacySource } from './legacy-source.js';
import { buildPlan } from './plan.js';
import { startPlanProgress } from './plan-progress.js';
import { toComparableInstant } from './replication/name-rule.js';
import { replicationMarkerAttribute } from './replication/names.js';
import { scanTable } from './table-scan.js';
import { createTargetItems, type StoredItem, toDelete, toKeyString, toPut, type WriteRequest } from './target-items.js';

export interface Difference {
  kind: 'missing' | 'extra' | 'changed' | 'member-count' | 'name-claim' | 'orphan-membership' | 'idempotency-orphan';
  entity: string;
  key: string;
  detail: string;
}

export interface TableDiff {
  counts: {
    source: { neighborhoods: number; nameClaims: number; legacyIds: number; memberships: number };
    /** Source rows the plan refuses (did-invalid, neighborhood-refused): not expected in the table. */
    refused: { neighborhoods: number; memberships: number };
    target: { neighborhoods: number; nameClaims: number; legacyIds: number; memberships: number; other: number };
  };
  differences: Difference[];
  /** The writes that make the table match the source: puts for missing/changed items, deletes for extras. */
  fixes: WriteRequest[];
}

/**
 * Compares what the source says the table must hold (the same items `import` writes, from the same plan)
 * with what it holds, item by item and attribute by attribute, then checks the table's own invariants:
 * member_count equals the membership items, every name claim points at a neighborhood of that name.
 * Quota counters are skipped. Items of other entities (idempotency records, OAuth state) are counted but not judged, except an idempotency
 * record that replays the create of a neighborhood the source does not have: sync deletes it with the neighborhood.
 */
export async function diffTable(
  source: LegacySource,
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  options: { quiet?: boolean | undefined } = {},
): Promise<TableDiff> {
  const store = openDiffStore();
  try {
    return await diffWithStore(store, source, documentClient, tableName, options.quiet);
  } finally {
    store.close();
  }
}

async function diffWithStore(
  store: DiffStore,
  source: LegacySource,
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  quiet: boolean | undefined,
): Promise<TableDiff> {
  const target = createTargetItems(documentClient, tableName);
  const names = target.entityNames;
  const et = target.entityAttribute;
  const progress = await startPlanProgress(source, quiet);
  const plan = await buildPlan(source, {
    onNeighborhood: () => progress.increment(),
    onMembership: () => progress.increment(),
  });
  progress.stop();
  try {
    // Rows the plan refuses (did-invalid, neighborhood-refused) are not expected: the import does not write them.
    for await (const row of source.neighborhoods()) {
      if (plan.refusesNeighborhood(row.id)) continue;
      for (const item of target.toNeighborhoodItems(row, plan)) store.expect(item);
    }
    for await (const row of source.memberships()) {
      if (!plan.refusesMembership(row)) store.expect(target.toMembershipItem(row));
    }
  } finally {
    plan.close();
  }
  const counts: TableDiff['counts'] = {
    source: {
      neighborhoods: plan.imported.neighborhoods,
      nameClaims: plan.imported.neighborhoods,
      legacyIds: plan.imported.neighborhoods,
      memberships: plan.imported.memberships,
    },
    refused: {
      neighborhoods: plan.counts.neighborhoods - plan.imported.neighborhoods,
      memberships: plan.counts.memberships - plan.imported.memberships,
    },
    target: { neighborhoods: 0, nameClaims: 0, legacyIds: 0, memberships: 0, other: 0 },
  };
  const idempotencyRecords: Array<{ item: StoredItem; nbhdId: string }> = [];
  const unexpectedLegacyIds: Array<{ item: StoredItem; key: string }> = [];
  const differences: Difference[] = [];
  const fixes: WriteRequest[] = [];
  await scanTable(documentClient, tableName, (item) => {
    // Quota counters are the service's own bookkeeping (per user and window, expiring): never in the source, never
    // judged, counted or fixed.
    if (isQuotaItem(item)) return;
    const entity = String(item[et]);
    if (entity === names.neighborhood) {
      counts.target.neighborhoods += 1;
      store.addNeighborhood(item);
    } else if (entity === names.membership) {
      counts.target.memberships += 1;
      store.countMembership(String(item.PK));
    } else if (entity === names.nameClaim) {
      counts.target.nameClaims += 1;
      store.addClaim(item);
    } else if (entity === names.legacyId) {
      counts.target.legacyIds += 1;
    } else {
      counts.target.other += 1;
      const nbhdId = entity === names.idempotency ? readCreatedNeighborhoodId(item) : undefined;
      if (nbhdId) idempotencyRecords.push({ item, nbhdId });
      return;
    }
    const key = toKeyString(item);
    const want = store.take(key);
    if (!want && entity === names.legacyId) {
      unexpectedLegacyIds.push({ item, key });
      return;
    }
    if (!want) {
      differences.push({ kind: 'extra', entity, key: printable(key), detail: 'not in the source' });
      fixes.push(toDelete(item));
      return;
    }
    const changed = [...new Set([...Object.keys(want), ...Object.keys(item)])].filter(
      (attribute) => !isSameStoredValue(attribute, want[attribute], item[attribute]),
    );
    if (changed.length > 0) {
      const detail = changed.map((a) => `${a}: expected ${JSON.stringify(want[a])}, found ${JSON.stringify(item[a])}`);
      differences.push({ kind: 'changed', entity, key: printable(key), detail: detail.join('; ') });
      fixes.push(toPut(want));
    }
  });
  // A neighborhood deleted through the API keeps its legacy id, so an old link redirects to a 404 rather than
  // answering as unknown: with replication its PostgreSQL row is gone too. Only one pointing at a neighborhood the
  // table holds, or that the source expects, is a difference, unless the neighborhood has its own legacy id in the
  // source: then this integer is one no row ever kept (a replicator killed between the pointer's write and its
  // PostgreSQL commit landed the neighborhood again under the next id), and no client was ever given it.
  for (const { item, key } of unexpectedLegacyIds) {
    const nbhdId = String(item.nbhd_id);
    const held = store.hasNeighborhood(nbhdId) || store.expects(toKeyString(toNeighborhoodKey(nbhdId)));
    if (!held || store.hasLegacyIdFor(nbhdId)) {
      counts.target.legacyIds -= 1;
      counts.target.other += 1;
      continue;
    }
    differences.push({ kind: 'extra', entity: names.legacyId, key: printable(key), detail: 'not in the source' });
    fixes.push(toDelete(item));
  }
  for (const item of store.unseen()) {
    differences.push({
      kind: 'missing',
      entity: String(item[et]),
      key: printable(toKeyString(item)),
      detail: 'in the source, not in the table',
    });
    fixes.push(toPut(item));
  }
  for (const { nbhd, members } of store.neighborhoodsWithMembers()) {
    if (nbhd.member_count !== members) {
      differences.push({
        kind: 'member-count',
        entity: names.neighborhood,
        key: String(nbhd.PK),
        detail: `member_count ${String(nbhd.member_count)} but ${members} membership items`,
      });
    }
  }
  for (const { partition, members } of store.orphanPartitions()) {
    differences.push({
      kind: 'orphan-membership',
      entity: names.membership,
      key: partition,
      detail: `${members} membership items without a neighborhood item`,
    });
  }
  // A replayed create must not answer 201 with a neighborhood the source does not have (sync deletes it).
  for (const { item, nbhdId } of idempotencyRecords) {
    if (store.expects(toKeyString(toNeighborhoodKey(nbhdId)))) continue;
    differences.push({
      kind: 'idempotency-orphan',
      entity: names.idempotency,
      key: printable(toKeyString(item)),
      detail: `replays the create of neighborhood ${nbhdId}, which is not in the source`,
    });
    fixes.push(toDelete(item));
  }
  for (const { claim, nbhd } of store.claims()) {
    const claimKey = toKeyString(claim);
    if (!nbhd) {
      differences.push({
        kind: 'name-claim',
        entity: names.nameClaim,
        key: printable(claimKey),
        detail: `points at missing neighborhood ${String(claim.nbhd_id)}`,
      });
    } else if (toKeyString(target.toNameClaimKey(String(nbhd.name))) !== claimKey) {
      differences.push({
        kind: 'name-claim',
        entity: names.nameClaim,
        key: printable(claimKey),
        detail: `points at ${String(nbhd.id)}, whose name is ${JSON.stringify(nbhd.name)}`,
      });
    }
  }
  return { counts, differences, fixes };
}

/** Attributes whose text holds an instant: the API writes three fractional digits, PostgreSQL six. */
const instantAttributes = new Set(['created_at', 'updated_at', 'joined_at']);

/**
 * Equal as the API and PostgreSQL see them: instants compared as instants (a row made on green comes back from
 * PostgreSQL with six fractional digits), and replication's own marker ignored.
 */
function isSameStoredValue(attribute: string, want: unknown, found: unknown): boolean {
  if (attribute === replicationMarkerAttribute) return true;
  if (typeof want === 'string' && typeof found === 'string') {
    if (instantAttributes.has(attribute)) return toComparableInstant(want) === toComparableInstant(found);
    if (attribute === 'member_order') return toComparableOrder(want) === toComparableOrder(found);
  }
  return isDeepStrictEqual(want, found);
}

const toComparableOrder = (order: string) =>
  order.replace(
    /^(MEMBER#)([^#]+)(#.*)$/,
    (_, prefix: string, at: string, rest: string) => `${prefix}${toComparableInstant(at)}${rest}`,
  );

/** The neighborhood a stored idempotent create answered with, if the record is one. */
function readCreatedNeighborhoodId(item: StoredItem): string | undefined {
  try {
    const response = JSON.parse(String(item.response)) as { status?: number; body?: { id?: unknown } };
    return response.status === 201 && typeof response.body?.id === 'string' ? response.body.id : undefined;
  } catch {
    return undefined;
  }
}

function printable(key: string): string {
  return key.replace('\u0000', ' / ');
}
