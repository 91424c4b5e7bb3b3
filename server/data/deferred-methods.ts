type AsyncMethods = Record<string, (...args: never[]) => Promise<unknown>>;

/**
 * An object whose async methods load their implementation on the first call of any of them: the write side of a
 * repository (the toolbox's write actions, transaction builders) is code a cold start serving a read never runs,
 * and in the Lambda bundle a dynamic import keeps it out of what every cold start parses. `methods` lists every
 * method, so the compiler catches one left out. A load that fails is tried again on the next call.
 *
 * @example
 * const writes = deferMethods(() => import('./writes.js').then((m) => m.createMembershipWrites(deps)), {
 *   joinNeighborhood: true,
 *   leaveNeighborhood: true,
 * });
 */
export function deferMethods<T extends AsyncMethods>(load: () => Promise<T>, methods: { [K in keyof T]: true }): T {
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
