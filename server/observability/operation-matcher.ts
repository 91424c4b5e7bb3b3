import { findOperation, type RequestOperation } from '../http/request-operation.js';

/**
 * Builds a function that names the OpenAPI operation a request hits ("createNeighborhood"), so metrics
 * can be split per operation with a bounded set of values (paths carry ids; operation ids do not).
 * It matches with request validation's own findOperation (the same generated table, literal paths first);
 * requests that match no operation are "unmatched".
 *
 * @example
 * const matchOperation = createOperationMatcher(requestOperations);
 * matchOperation('GET', '/api/nbhds'); // "listNeighborhoods"
 */
export function createOperationMatcher(
  operations: readonly RequestOperation[],
): (method: string, path: string) => string {
  return (method, path) => findOperation(operations, method, path)?.operation.operationId ?? 'unmatched';
}
