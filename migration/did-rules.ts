import { validateDid } from '../server/generated/request-validators.js';
import type { LegacyMembership } from './legacy-rows.js';
import type { MigrationIssue } from './plan.js';

interface SchemaError {
  keyword: string;
  params: { limit?: number };
}

/** The contract's own compiled Did schema (the one the API checks a token's `sub` with), typed for this use. */
const checkDid = validateDid as ((value: unknown) => boolean) & { errors?: SchemaError[] | null };

/**
 * Why a legacy DID breaks the contract's Did schema, or undefined when it is valid. The check is the
 * generated validator itself, so the migration and the API can never disagree about what a DID is.
 */
export function explainInvalidDid(value: unknown): string | undefined {
  if (checkDid(value)) return undefined;
  const error = checkDid.errors?.[0];
  if (typeof value !== 'string' || error?.keyword === 'type') return 'not a string';
  if (value === '') return 'empty';
  if (error?.keyword === 'maxLength') {
    return `${[...value].length} characters, over the Did schema's maxLength ${error.params.limit}`;
  }
  return "not atproto DID syntax (the Did schema's pattern: did:, a lower-case method, :, then ASCII letters, digits and ._:%-)";
}

/** A row refused because a DID in it breaks the contract's Did schema; `original` keeps the value as it was. */
export const toDidIssue = (legacyId: number, detail: string, original: string): MigrationIssue => ({
  kind: 'did-invalid',
  legacy_id: legacyId,
  detail: `not imported: this ${detail}`,
  original,
  resolved: null,
});

/** Why the import does not write this membership: its own DID, or its neighborhood was refused; undefined if it does. */
export function explainRefusedMembership(
  row: LegacyMembership,
  neighborhoodRefused: boolean,
): MigrationIssue | undefined {
  const didProblem = explainInvalidDid(row.user_id);
  if (didProblem !== undefined) {
    return toDidIssue(
      row.id,
      `membership of neighborhood ${row.neighborhood_id}: its user_id is ${didProblem}`,
      row.user_id,
    );
  }
  if (!neighborhoodRefused) return undefined;
  return {
    kind: 'neighborhood-refused',
    legacy_id: row.id,
    detail: `not imported: this membership belongs to legacy neighborhood ${row.neighborhood_id}, which is refused (did-invalid)`,
    original: row.user_id,
    resolved: null,
  };
}
