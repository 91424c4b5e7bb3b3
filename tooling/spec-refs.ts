type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

/**
 * Follows a local `$ref` of openapi.yaml (responses, parameters, headers, examples, request bodies), through
 * chains of them, and returns the target with its JSON pointer; a node without `$ref` comes back as it is.
 */
export function resolveSpecRef(spec: Json, node: unknown, pointer = ''): { node: unknown; pointer: string } {
  if (!isObject(node) || typeof node.$ref !== 'string') return { node, pointer };
  const target = node.$ref.replace(/^#/, '');
  const found = target
    .split('/')
    .slice(1)
    .reduce<unknown>(
      (at, key) => (isObject(at) ? at[key.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined),
      spec,
    );
  if (found === undefined) throw new Error(`unresolved $ref ${node.$ref}${pointer ? ` at ${pointer}` : ''}`);
  return resolveSpecRef(spec, found, target);
}
