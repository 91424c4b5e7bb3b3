import type { Plugin } from 'esbuild';
import {
  inlineOpenApiDocument,
  lazyMimeMaps,
  provideOpenApiYamlText,
  requireNodeBuiltins,
  trimMimeDb,
} from './lambda-bundle-plugins.js';
import { splitRequestValidators } from './split-request-validators.js';

/**
 * What the Lambda bundle swaps for something smaller or faster: esbuild aliases to stand-ins in lambda-shims/
 * and plugins that change how code loads. Each one says what it saves (`npm run bench:coldstart -- --without
 * <name>` measures it; docs/server.md has the figures) and test/infrastructure/lambda-bundle-substitutions.test.ts
 * fails when the upstream code it relies on changes.
 */
export interface Substitution {
  /** Aliases: package name → stand-in file. */
  alias?: Record<string, string>;
  plugins?: Plugin[];
  /** Substitutions that cannot work without this one: switching this one off switches them off too. */
  requiredBy?: SubstitutionName[];
}

export const substitutionNames = [
  'inline-openapi-document',
  'yaml',
  'iconv-lite',
  'credential-provider-node',
  'undici-unused-majors',
  'trim-mime-db',
  'lazy-mime-maps',
  'require-node-builtins',
  'split-request-validators',
] as const;
export type SubstitutionName = (typeof substitutionNames)[number];

export function isSubstitutionName(name: string): name is SubstitutionName {
  return (substitutionNames as readonly string[]).includes(name);
}

/** Each one's measured gain is in docs/server.md (`npm run bench:coldstart -- --without <name>`). */
export function getSubstitutions(repoRoot: string): Record<SubstitutionName, Substitution> {
  const shim = (file: string) => `${repoRoot}scripts/build/lambda-shims/${file}`;
  return {
    // Required: the zip has no openapi.yaml, and parsing YAML at start would dwarf the rest of the init phase.
    'inline-openapi-document': { plugins: [inlineOpenApiDocument], requiredBy: ['yaml'] },
    // The YAML library is only needed to print the document: /openapi.yaml serves the file's own text.
    yaml: { alias: { yaml: shim('yaml.mjs') }, plugins: [provideOpenApiYamlText(repoRoot)] },
    // The code-page tables are most of the bundle; without them a cold start loads over 1 MB.
    'iconv-lite': { alias: { 'iconv-lite': shim('iconv-lite.cjs') } },
    // Lambda gives credentials in the environment: the default chain's other sources are dead code there.
    'credential-provider-node': {
      alias: { '@aws-sdk/credential-provider-node': shim('credential-provider-node.mjs') },
    },
    // Node 22 never picks undici 7/8's agents: the first OAuth request would compile them for nothing.
    'undici-unused-majors': {
      alias: { undici_v7: shim('undici-unused-major.mjs'), undici_v8: shim('undici-unused-major.mjs') },
    },
    // mime-types only reads the entries that have file extensions.
    'trim-mime-db': { plugins: [trimMimeDb] },
    // The extension maps are built on first use, which a JSON API rarely makes.
    'lazy-mime-maps': { plugins: [lazyMimeMaps] },
    // Through `require`, Node's internal undici (fetch, WebSocket) is never loaded.
    'require-node-builtins': { plugins: [requireNodeBuiltins] },
    // A cold start reads the operation table, not every operation's validator code: each is required on first use.
    'split-request-validators': { plugins: [splitRequestValidators] },
  };
}

/** The substitutions left on when `without` are switched off (with those that depend on them). */
export function selectSubstitutions(repoRoot: string, without: readonly SubstitutionName[] = []): Substitution[] {
  const all = getSubstitutions(repoRoot);
  const off = new Set(without.flatMap((name) => [name, ...(all[name].requiredBy ?? [])]));
  return substitutionNames.filter((name) => !off.has(name)).map((name) => all[name]);
}
