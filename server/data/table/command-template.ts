import isDeepEqual from 'fast-deep-equal';

/** The kind of each value a template is filled with; `string?` may be undefined (the attribute is left out). */
export type ValueKind = 'string' | 'string?' | 'number';
export type ValueShape = Record<string, ValueKind>;
export type TemplateValues<S extends ValueShape> = {
  [K in keyof S]: S[K] extends 'number' ? number : S[K] extends 'string?' ? string | undefined : string;
};

export interface CommandTemplateSpec<S extends ValueShape, T> {
  /** Names the template in the errors it throws. */
  name: string;
  shape: S;
  /**
   * Strings the toolbox derives from the values through a function the template cannot see through (a key with a
   * digest, a shard, a normalized form): the same pure functions (the concept's keys.ts) the entity's computeKey
   * and links call.
   */
  derive?: Record<string, (values: TemplateValues<S>) => string>;
  /** The command input (or part of one) as the toolbox builds it from the values. */
  build: (values: TemplateValues<S>) => T;
}

type Filler = (values: Record<string, unknown>, derived: Record<string, unknown>) => unknown;
type Token = { source: 'value' | 'derived'; name: string };

/**
 * A command input the toolbox builds once, from placeholder values, then filled in per call with the real ones:
 * the toolbox stays the source of key formats, attribute names, expressions and entity tags, and a call skips
 * its schema parsing and expression building. On first use the template checks itself: filled with a second,
 * awkward set of placeholders (upper case, full-width, '#', spaces) it must equal what the toolbox builds from
 * them, so a value the toolbox transforms in a way the template does not know fails loudly instead of being
 * written wrong. The values' types are checked on every call, as the toolbox's parser would.
 *
 * @example
 * const deleteMembership = createCommandTemplate({
 *   name: 'leave membership', shape: { nbhdId: 'string', userId: 'string' },
 *   derive: { sortKey: ({ nbhdId, userId }) => toMembershipKey(nbhdId, userId).SK },
 *   build: (v) => memberships.build(DeleteTransaction).key({ nbhd_id: v.nbhdId, user_id: v.userId }).params(),
 * });
 */
export function createCommandTemplate<S extends ValueShape, T>(spec: CommandTemplateSpec<S, T>) {
  let fill: Filler | undefined;
  const derive = Object.entries(spec.derive ?? {});
  const kinds = Object.entries(spec.shape);
  return (values: TemplateValues<S>): T => {
    fill ??= compileTemplate(spec);
    const derived: Record<string, unknown> = {};
    for (const [name, kind] of kinds) {
      const value = values[name];
      const expected = kind === 'number' ? 'number' : 'string';
      if (typeof value !== expected && !(kind === 'string?' && value === undefined)) {
        throw new TypeError(`${spec.name}: ${name} must be a ${expected}`);
      }
    }
    for (const [name, compute] of derive) derived[name] = compute(values);
    return fill(values, derived) as T;
  };
}

/** Placeholder set 0 builds the template; set 1, deliberately awkward, checks it (with and without optionals). */
function toPlaceholders(shape: ValueShape, variant: 0 | 1, withOptionals: boolean) {
  const placeholders: Record<string, string | number | undefined> = {};
  Object.entries(shape).forEach(([name, kind], index) => {
    placeholders[name] =
      kind === 'string?' && !withOptionals
        ? undefined
        : kind === 'number'
          ? -(987_654_321.25 + index * 1_000 + variant * 7)
          : variant === 0
            ? `\uffff${index}VALUE\uffff`
            : `\uffff${index} Ｖal#ue ${name}\uffff`;
  });
  return placeholders;
}

function compileTemplate<S extends ValueShape, T>(spec: CommandTemplateSpec<S, T>): Filler {
  const buildVariant = (variant: 0 | 1, withOptionals = true) => {
    const values = toPlaceholders(spec.shape, variant, withOptionals) as TemplateValues<S>;
    const derived = Object.fromEntries(Object.entries(spec.derive ?? {}).map(([name, f]) => [name, f(values)]));
    return { values, derived, built: spec.build(values) };
  };
  const first = buildVariant(0);
  const tokens = new Map<string | number, Token>();
  for (const [name, value] of Object.entries(first.values)) {
    if (value !== undefined) tokens.set(value, { source: 'value', name });
  }
  for (const [name, value] of Object.entries(first.derived)) tokens.set(value, { source: 'derived', name });
  const stringTokens = [...tokens.keys()].filter((key): key is string => typeof key === 'string');
  // Longest first, so a token that contains another is matched whole; with no string token, nothing matches.
  const alternatives = stringTokens
    .sort((a, b) => b.length - a.length)
    .map((token) => token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(alternatives.length > 0 ? `(${alternatives.join('|')})` : '(?!)', 'u');
  const fill = compileNode(first.built, tokens, pattern);
  for (const check of [buildVariant(1), buildVariant(1, false)]) {
    if (!isDeepEqual(fill(check.values, check.derived), check.built)) {
      throw new Error(`${spec.name}: the template does not reproduce what the toolbox builds`);
    }
  }
  return fill;
}

function compileNode(node: unknown, tokens: Map<string | number, Token>, pattern: RegExp): Filler {
  const token = typeof node === 'string' || typeof node === 'number' ? tokens.get(node) : undefined;
  if (token) return (values, derived) => (token.source === 'value' ? values : derived)[token.name];
  if (typeof node === 'string') {
    const parts = node.split(pattern);
    if (parts.length === 1) return () => node;
    // Odd parts are tokens; even parts are the text between them.
    const fillers = parts.map((part, index) => (index % 2 === 1 ? compileNode(part, tokens, pattern) : () => part));
    return (values, derived) => {
      let filled = '';
      for (const filler of fillers) filled += filler(values, derived);
      return filled;
    };
  }
  if (Array.isArray(node)) {
    const fillers = node.map((element) => compileNode(element, tokens, pattern));
    return (values, derived) => fillers.map((filler) => filler(values, derived));
  }
  if (node !== null && typeof node === 'object') {
    const fillers = Object.entries(node).map(([key, value]) => [key, compileNode(value, tokens, pattern)] as const);
    return (values, derived) => {
      const filled: Record<string, unknown> = {};
      for (const [key, filler] of fillers) {
        const value = filler(values, derived);
        // An optional value left out leaves its attribute out, as the toolbox does.
        if (value !== undefined) filled[key] = value;
      }
      return filled;
    };
  }
  return () => node;
}
