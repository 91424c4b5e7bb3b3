import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { normalizeName } from '../server/data/neighborhood/keys.js';
import { explainInvalidDid, explainRefusedMembership, toDidIssue } from './did-rules.js';
import type { LegacyMembership, LegacyNeighborhood } from './legacy-rows.js';
import type { LegacySource } from './legacy-source.js';
import { cleanDescription, cleanName, toSuffixedName } from './name-rules.js';
import { openPlanStore, type PlanStore } from './plan-store.js';
import { createTargetItems, type TargetItems } from './target-items.js';

/** Target items built only to be checked: the client never sends anything. */
function createOfflineTargetItems(): TargetItems {
  return createTargetItems(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' })), 'migration-plan');
}

const toLimitIssue = (legacyId: number, entity: string, violations: string[]): MigrationIssue => ({
  kind: 'item-limit',
  legacy_id: legacyId,
  detail: `the import refuses this ${entity}: ${violations.join('; ')}`,
  original: null,
  resolved: null,
});

/** Something in the legacy data the new rules reject, and what the migration did about it. */
export interface MigrationIssue {
  kind:
    | 'name-collision'
    | 'name-invalid'
    | 'description-invalid'
    | 'updated-at-null'
    | 'item-limit'
    | 'did-invalid'
    | 'neighborhood-refused';
  legacy_id: number;
  detail: string;
  original: string | null;
  resolved: string | null;
}

/**
 * What the import needs to know before writing a row: the final name of every neighborhood (after the
 * conflict rule) and its exact member count, plus the issues found. It lives in an on-disk store
 * (plan-store.ts), so memory stays flat however many rows there are; close() deletes it.
 */
export interface MigrationPlan {
  /** The name the neighborhood gets: its cleaned legacy name, or a suffixed one after a collision. */
  nameOf(legacyId: number): string | undefined;
  /** Counts only the memberships the import writes, so member_count always equals the membership items. */
  memberCountOf(legacyId: number): number;
  /** True for a row the import does not write (did-invalid, neighborhood-refused); verify and sync skip it too. */
  refusesNeighborhood(legacyId: number): boolean;
  refusesMembership(row: LegacyMembership): boolean;
  /** Issues in the order found: neighborhood checks in id order, then name collisions. */
  issues(): Iterable<MigrationIssue>;
  issueCounts: Record<string, number>;
  /** Rows read from the source. */
  counts: { neighborhoods: number; memberships: number };
  /** Rows the import writes: every row read, less the refused ones. */
  imported: { neighborhoods: number; memberships: number };
  close(): void;
}

/**
 * Applies the documented conflict rule (docs/migration.md) to every neighborhood:
 * 1. a neighborhood whose created_by, or a membership whose user_id, breaks the contract's Did schema is
 *    refused (did-invalid), and so are the memberships of a refused neighborhood (neighborhood-refused);
 *    refused rows take no part in the rest (did-rules.ts);
 * 2. invalid names are cleaned (name-rules.ts);
 * 3. names equal after normalizeName (case, Unicode form) collide: the oldest neighborhood
 *    (created_at, then legacy id) keeps the name, every other one gets " (#{legacy id})" appended.
 * Deterministic: the same source always gives the same plan, which is what makes import, verify and
 * sync agree with each other. `onNeighborhood`/`onMembership` see every row of this pass, so a caller that
 * needs one more pass over the source (the import's id map) does not read it again.
 */
export async function buildPlan(
  source: LegacySource,
  hooks: {
    onNeighborhood?: (row: LegacyNeighborhood) => unknown;
    onMembership?: (row: LegacyMembership) => unknown;
  } = {},
): Promise<MigrationPlan> {
  const store = openPlanStore();
  try {
    return await fillPlan(store, source, hooks);
  } catch (error) {
    store.close();
    throw error;
  }
}

async function fillPlan(
  store: PlanStore,
  source: LegacySource,
  hooks: Parameters<typeof buildPlan>[1] = {},
): Promise<MigrationPlan> {
  const addIssue = (issue: MigrationIssue) => store.addIssue(issue.kind, issue);
  const target = createOfflineTargetItems();
  let neighborhoods = 0;
  let refusedNeighborhoods = 0;
  for await (const row of source.neighborhoods()) {
    await hooks.onNeighborhood?.(row);
    const didProblem = explainInvalidDid(row.created_by);
    if (didProblem !== undefined) {
      addIssue(toDidIssue(row.id, `neighborhood: its created_by is ${didProblem}`, row.created_by));
      store.refuseNeighborhood(row.id);
      refusedNeighborhoods += 1;
      neighborhoods += 1;
      continue;
    }
    const cleaned = cleanName(row.name, row.id);
    if (cleaned.reasons.length > 0) {
      addIssue({
        kind: 'name-invalid',
        legacy_id: row.id,
        detail: cleaned.reasons.join('; '),
        original: row.name,
        resolved: cleaned.value,
      });
    }
    if (row.description !== null) {
      const description = cleanDescription(row.description);
      if (description.reasons.length > 0) {
        addIssue({
          kind: 'description-invalid',
          legacy_id: row.id,
          detail: description.reasons.join('; '),
          original: row.description,
          resolved: description.value,
        });
      }
    }
    if (row.updated_at === null) {
      addIssue({
        kind: 'updated-at-null',
        legacy_id: row.id,
        detail: 'kept as null (the API returns updated_at: null)',
        original: null,
        resolved: null,
      });
    }
    // The items the import writes, checked by the same code (a collision suffix keeps the name ≤ 100 characters).
    const limitViolations = target.findLimitViolations(
      target.toNeighborhoodItems(row, { nameOf: () => cleaned.value, memberCountOf: () => 0 }),
    );
    if (limitViolations.length > 0) addIssue(toLimitIssue(row.id, 'neighborhood', limitViolations));
    store.addNeighborhood({
      seq: neighborhoods++,
      id: row.id,
      createdAt: row.created_at,
      name: cleaned.value,
      normalized: normalizeName(cleaned.value),
    });
  }
  store.forEachCollision((candidate, names) => {
    let attempt = 1;
    let renamed = toSuffixedName(candidate.name, candidate.id, attempt);
    while (names.isTaken(normalizeName(renamed))) renamed = toSuffixedName(candidate.name, candidate.id, ++attempt);
    names.rename(candidate.id, renamed, normalizeName(renamed));
    addIssue({
      kind: 'name-collision',
      legacy_id: candidate.id,
      detail: `same name as legacy neighborhood ${candidate.owner} ignoring case/Unicode form; the older one keeps it`,
      original: candidate.name,
      resolved: renamed,
    });
  });
  let memberships = 0;
  let refusedMemberships = 0;
  const refusesMembership = (row: LegacyMembership) =>
    explainRefusedMembership(row, store.isRefused(row.neighborhood_id)) !== undefined;
  for await (const row of source.memberships()) {
    await hooks.onMembership?.(row);
    memberships += 1;
    const refusal = explainRefusedMembership(row, store.isRefused(row.neighborhood_id));
    if (refusal) {
      addIssue(refusal);
      refusedMemberships += 1;
      continue;
    }
    const limitViolations = target.findLimitViolations([target.toMembershipItem(row)]);
    if (limitViolations.length > 0) addIssue(toLimitIssue(row.id, 'membership', limitViolations));
    store.countMembership(row.neighborhood_id);
  }
  store.finish();
  return {
    nameOf: store.nameOf,
    memberCountOf: store.memberCountOf,
    refusesNeighborhood: store.isRefused,
    refusesMembership,
    *issues() {
      for (const json of store.issues()) yield JSON.parse(json) as MigrationIssue;
    },
    issueCounts: store.issueCounts(),
    counts: { neighborhoods, memberships },
    imported: { neighborhoods: neighborhoods - refusedNeighborhoods, memberships: memberships - refusedMemberships },
    close: store.close,
  };
}
