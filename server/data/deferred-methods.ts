/**
 * An object whose methods load their implementation on the first call of any of them (each returns a promise, so
 * its callers await it, as they do the async methods and handlers this serves). For code a cold start serving a
 * read never runs: the repositories' write side (the toolbox's write actions, transaction builders) and the
 * Bluesky login handlers. In the Lambda bundle a dynamic import keeps it out of what every cold start parses. `methods` lists every
 * method, so the compiler catches one left out. A load that fails is tried again on the next call.
 *
 * @example
 * const writes = deferMethods(() => import('./writes.js').then((m) => m.createMembershipWrites(deps)), {
 *   joinNeighborhood: true,
 *   leaveNeighborhood: true,
 * });
 */
export function deferMethods<T extends { [K in keyof T]: (...args: never[]) => unknown }>(
  load: () => Promise<T>,
  methods: { [K in keyof T]: true },
): T {
  let loading: Promise<T> | undefined;
  const loaded = () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  const deferred: Partial<T> = {};
  for (const name of Object.keys(methods) as (keyof T)[]) {
    deferred[name] = (async (...args: never[]) => {
      const implementation = await loaded();
      return (implementation[name] as T[keyof T])(...args);
    }) as T[keyof T];
  }
  return deferred as T;
}
