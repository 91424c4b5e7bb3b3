import type { OperationId } from './operation-types.js';

/** One error of an ajv validate function (the shape ajv's standalone code reports). */
export interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** An ajv validate function compiled at build time (scripts/codegen/request-validators.ts). */
export type ValidateFunction = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

/**
 * What the dispatcher and request validation need to know about one operation of openapi.yaml. The generated
 * module server/generated/request-validators.ts holds one per operation (`npm run generate`).
 */
export interface RequestOperation {
  /** Upper case, e.g. `GET`. */
  method: string;
  /** The OpenAPI path template, e.g. `/api/nbhds/{nbhd_id}`. */
  path: string;
  operationId: OperationId;
  /** Matches the request path (case-insensitive, optional trailing slash); groups are `pathParams` in order. */
  pattern: RegExp;
  pathParams: string[];
  /** Security alternatives (any one suffices), each a list of scheme names; `[]` = no security. */
  security: string[][];
  /** Declared query parameters: anything else is rejected. */
  queryParams: string[];
  /** Query parameters whose raw value must not contain reserved characters (no `allowReserved`). */
  encodedQueryParams: string[];
  /** Query parameters that may be empty (`allowEmptyValue`). */
  emptyQueryParams: string[];
  /** `{query, headers, params}` against the parameters (coerces types, fills defaults). */
  validateParameters: ValidateFunction;
  /** The request body's validators by normalized media type; absent when the operation takes no body. */
  body?: { required: boolean; validators: Record<string, ValidateFunction> };
}

/** Where a request landed in the table: the path it matched (with its raw parameter values) and the operation. */
export interface OperationMatch {
  /** The first operation of the matched path (any method); its `pathParams` name `values`. */
  route: RequestOperation;
  /** Undefined when the path is known but the method is not. */
  operation: RequestOperation | undefined;
  values: string[];
}

/**
 * Matches a request against the table once: the first path that matches (the table lists literal paths before
 * templated ones), then that path's operation for the method (HEAD finds GET). Undefined for an unknown path.
 */
export function matchOperation(
  operations: readonly RequestOperation[],
  method: string,
  path: string,
): OperationMatch | undefined {
  const route = operations.find((operation) => operation.pattern.test(path));
  if (!route) return undefined;
  // HEAD is answered as GET without a body (Node drops the body of a HEAD response).
  const upper = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const operation = operations.find((candidate) => candidate.path === route.path && candidate.method === upper);
  return { route, operation, values: route.pattern.exec(path)?.slice(1) ?? [] };
}
