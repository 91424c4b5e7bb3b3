import type { RequestOperation } from '../http/request-operation.js';

/**
 * Builds a function that names the OpenAPI operation a request hits ("createNeighborhood"), so metrics
 * can be split per operation with a bounded set of values (paths carry ids; operation ids do not).
 * It matches exactly as request validation does (the same generated table, literal paths first); requests that
 * match no operation are "unmatched".
 *
 * @example
 * const matchOperation = createOperationMatcher(requestOperations);
 * matchOperation('GET', '/api/nbhds'); // "listNeighborhoods"
 */
export function createOperationMatcher(
  operations: readonly Pick<RequestOperation, 'method' | 'pattern' | 'operationId'>[],
): (method: string, path: string) => string {
  return (method, path) => {
    const upper = method.toUpperCase();
    return operations.find((route) => route.method === upper && route.pattern.test(path))?.operationId ?? 'unmatched';
  };
}
