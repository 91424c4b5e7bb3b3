import { normalizeName } from '../../server/data/name-claim.js';
import type { LegacySource } from './legacy-source.js';
import { cleanDescription, cleanName, toSuffixedName } from './name-rules.js';

/** Something in the legacy data the new rules reject, and what the migration did about it. */
export interface MigrationIssue {
  kind: 'name-collision' | 'name-invalid' | 'description-invalid' | 'updated-at-null';
  legacy_id: number;
  detail: string;
  original: string | null;
  resolved: string | null;
}

/**
 * What the import needs to know before writing a row: the final name of every neighborhood (after the
 * conflict rule) and its exact member count. Memory grows with the number of neighborhoods (a name and
 * two numbers each), never with memberships, which are streamed.
 */
export interface MigrationPlan {
  names: Map<number, string>;
  memberCounts: Map<number, number>;
  issues: MigrationIssue[];
  counts: { neighborhoods: number; memberships: number };
}

interface Candidate {
  id: number;
  createdAt: string;
  name: string;
  normalized: string;
}

/**
 * Applies the documented conflict rule (docs/migration.md) to every neighborhood:
 * 1. invalid names are cleaned (name-rules.ts);
 * 2. names equal after normalizeName (case, Unicode form) collide: the oldest neighborhood
 *    (created_at, then legacy id) keeps the name, every other one gets " (#{legacy id})" appended.
 * Deterministic: the same source always gives the same plan, which is what makes import, verify and
 * sync agree with each other.
 */
export async function buildPlan(source: LegacySource): Promise<MigrationPlan> {
  const issues: MigrationIssue[] = [];
  const candidates: Candidate[] = [];
  const owners = new Map<string, Candidate>();
  for await (const row of source.neighborhoods()) {
    const cleaned = cleanName(row.name, row.id);
    if (cleaned.reasons.length > 0) {
      issues.push({
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
        issues.push({
          kind: 'description-invalid',
          legacy_id: row.id,
          detail: description.reasons.join('; '),
          original: row.description,
          resolved: description.value,
        });
      }
    }
    if (row.updated_at === null) {
      issues.push({
        kind: 'updated-at-null',
        legacy_id: row.id,
        detail: 'kept as null (the API returns updated_at: null)',
        original: null,
        resolved: null,
      });
    }
    const candidate = {
      id: row.id,
      createdAt: row.created_at,
      name: cleaned.value,
      normalized: normalizeName(cleaned.value),
    };
    candidates.push(candidate);
    const owner = owners.get(candidate.normalized);
    if (!owner || isOlder(candidate, owner)) owners.set(candidate.normalized, candidate);
  }
  const names = new Map<number, string>();
  const taken = new Set(owners.keys());
  for (const candidate of candidates) {
    const owner = owners.get(candidate.normalized);
    if (owner === candidate) {
      names.set(candidate.id, candidate.name);
      continue;
    }
    let attempt = 1;
    let renamed = toSuffixedName(candidate.name, candidate.id, attempt);
    while (taken.has(normalizeName(renamed))) renamed = toSuffixedName(candidate.name, candidate.id, ++attempt);
    taken.add(normalizeName(renamed));
    names.set(candidate.id, renamed);
    issues.push({
      kind: 'name-collision',
      legacy_id: candidate.id,
      detail: `same name as legacy neighborhood ${owner?.id} ignoring case/Unicode form; the older one keeps it`,
      original: candidate.name,
      resolved: renamed,
    });
  }
  const memberCounts = new Map<number, number>();
  let memberships = 0;
  for await (const row of source.memberships()) {
    memberCounts.set(row.neighborhood_id, (memberCounts.get(row.neighborhood_id) ?? 0) + 1);
    memberships += 1;
  }
  return { names, memberCounts, issues, counts: { neighborhoods: candidates.length, memberships } };
}

function isOlder(a: Candidate, b: Candidate): boolean {
  return a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);
}
