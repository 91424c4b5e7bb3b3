import type { components, operations, paths } from '../../contract/generated/openapi.js';

export type { components, operations, paths };

type Schemas = components['schemas'];

/** A neighborhood as the API returns it. */
export type Nbhd = Schemas['Nbhd'];
/** A neighborhood with its first page of members. */
export type NbhdDetail = Schemas['NbhdDetail'];
/** One membership of a neighborhood. */
export type Member = Schemas['Member'];
/** Body of `createNeighborhood`. */
export type NbhdCreate = Schemas['NbhdCreate'];
/** Body of `updateNeighborhood` (at least one field). */
export type NbhdUpdate = Schemas['NbhdUpdate'];
/** An RFC 9457 problem document, the body of every error response. */
export type Problem = Schemas['Problem'];
/** One entry of `Problem.errors`: what was wrong and where. */
export type ProblemFieldError = NonNullable<Problem['errors']>[number];

/** Query parameters of an operation, by operationId. */
export type QueryOf<Id extends keyof operations> = NonNullable<operations[Id]['parameters']['query']>;

/** JSON request body of an operation, by operationId. */
export type BodyOf<Id extends keyof operations> =
  NonNullable<operations[Id]['requestBody']> extends { content: { 'application/json': infer Body } } ? Body : never;

/** Options every SDK method accepts. */
export interface CallOptions {
  /** Aborts the call (including any retry waits); the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call; the deadline covers retries and reading the body. */
  timeoutMs?: number;
}
