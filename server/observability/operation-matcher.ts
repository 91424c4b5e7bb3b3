/** The part of an OpenAPI document this module reads. */
export interface OpenApiPaths {
  paths?: Record<string, Record<string, unknown> | undefined>;
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface Route {
  method: string;
  pattern: RegExp;
  operationId: string;
}

/**
 * Builds a function that names the OpenAPI operation a request hits ("createNeighborhood"), so metrics
 * can be split per operation with a bounded set of values (paths carry ids; operation ids do not).
 * Requests that match no operation are "unmatched".
 */
export function createOperationMatcher(spec: OpenApiPaths): (method: string, path: string) => string {
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(spec.paths ?? {})) {
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
      .join('');
    const pattern = new RegExp(`^${source}/?$`);
    for (const method of methods) {
      const operation = item?.[method] as { operationId?: string } | undefined;
      if (operation?.operationId) routes.push({ method, pattern, operationId: operation.operationId });
    }
  }
  // Literal segments win over parameters (`/api/users/me/nbhds` before a `{id}` path of the same length).
  routes.sort((a, b) => countParams(a.pattern) - countParams(b.pattern));
  return (method, path) => {
    const lower = method.toLowerCase();
    return routes.find((route) => route.method === lower && route.pattern.test(path))?.operationId ?? 'unmatched';
  };
}

function countParams(pattern: RegExp): number {
  return pattern.source.split('[^/]+').length - 1;
}
