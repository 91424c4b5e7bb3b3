import type { operations } from '../api-types.js';
import type { DefaultedQueryParameters, SecuredOperationId } from '../generated/request-validators.js';

export type OperationId = keyof operations;

type Parameters<OP extends OperationId, IN extends string> = operations[OP]['parameters'] extends {
  [K in IN]?: infer V;
}
  ? [NonNullable<V>] extends [never]
    ? Record<string, never>
    : NonNullable<V>
  : Record<string, never>;

/** Header parameters by their lower-case name, as Node hands them over. */
type HeaderParameters<OP extends OperationId> = {
  [K in keyof Parameters<OP, 'header'> as Lowercase<K & string>]: Parameters<OP, 'header'>[K];
};

type RequestBody<OP extends OperationId> = operations[OP] extends {
  requestBody?: { content: { 'application/json': infer BODY } };
}
  ? BODY
  : undefined;

/** Query parameters with the ones validation defaults made required. */
type QueryParameters<OP extends OperationId> = OP extends keyof DefaultedQueryParameters
  ? Omit<Parameters<OP, 'query'>, DefaultedQueryParameters[OP]> &
      Required<Pick<Parameters<OP, 'query'>, DefaultedQueryParameters[OP] & keyof Parameters<OP, 'query'>>>
  : Parameters<OP, 'query'>;

/** What a handler gets: the request as validation left it (types coerced, defaults filled in). */
export interface OperationInput<OP extends OperationId> {
  path: Parameters<OP, 'path'>;
  query: QueryParameters<OP>;
  headers: HeaderParameters<OP>;
  body: RequestBody<OP>;
  /** The DID the bearer token proved. */
  user: OP extends SecuredOperationId ? string : string | undefined;
  /** The raw path and query string as the client sent them (for Link headers and the OAuth callback). */
  url: { path: string; search: string };
  /** The client's address: the socket's peer (on Lambda, API Gateway's source IP, set by the event adapter). */
  client: string;
}

type Responses<OP extends OperationId> = operations[OP]['responses'];
/** Errors are thrown as ApiError; handlers return only these. */
type SuccessStatus<OP extends OperationId> = Extract<keyof Responses<OP>, 200 | 201 | 204 | 302>;
type ResponseHeaders = Record<string, string>;

type ResultFor<RESPONSE, STATUS> = RESPONSE extends { content: { 'application/json': infer BODY } }
  ? { status: STATUS; body: BODY; headers?: ResponseHeaders }
  : RESPONSE extends { content: infer CONTENT }
    ? { status: STATUS; body: string; type: keyof CONTENT & string; headers?: ResponseHeaders }
    : { status: STATUS; headers?: ResponseHeaders; body?: never };

/** What a handler returns: one of its operation's success responses, typed from the contract. */
export type OperationResult<OP extends OperationId> = {
  [S in SuccessStatus<OP>]: ResultFor<Responses<OP>[S], S>;
}[SuccessStatus<OP>];

export type OperationHandler<OP extends OperationId> = (
  input: OperationInput<OP>,
) => Promise<OperationResult<OP>> | OperationResult<OP>;

/** One handler per operationId of openapi.yaml: a missing or misspelled one fails the type check. */
export type OperationHandlers = { [OP in OperationId]: OperationHandler<OP> };
