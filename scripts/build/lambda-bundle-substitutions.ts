import type { Plugin } from 'esbuild';
import {
  inlineOpenApiDocument,
  lazyMimeMaps,
  provideOpenApiYamlText,
  requireNodeBuiltins,
  trimMimeDb,
} from './lambda-bundle-plugins.js';

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
] as const;
export type SubstitutionName = (typeof substitutionNames)[number];

export function isSubstitutionName(name: string): name is SubstitutionName {
  return (substitutionNames as readonly string[]).includes(name);
}

export function getSubstitutions(repoRoot: string): Record<SubstitutionName, Substitution> {
  const shim = (file: string) => `${repoRoot}scripts/build/lambda-shims/${file}`;
  return {
    // Required: the zip has no openapi.yaml. Parsing the YAML instead would cost ~300 ms of CPU.
    'inline-openapi-document': { plugins: [inlineOpenApiDocument], requiredBy: ['yaml'] },
    // ~14 ms of CPU (99 KB less to compile).
    yaml: { alias: { yaml: shim('yaml.mjs') }, plugins: [provideOpenApiYamlText(repoRoot)] },
    // Keeps what a cold start loads under 1 MB (494 KB less).
    'iconv-lite': { alias: { 'iconv-lite': shim('iconv-lite.cjs') } },
    // ~10 ms of CPU (39 KB less).
    'credential-provider-node': {
      alias: { '@aws-sdk/credential-provider-node': shim('credential-provider-node.mjs') },
    },
    // Not at cold start: ~150 ms of CPU on the first OAuth request (1.2 MB less in its chunk).
    'undici-unused-majors': {
      alias: { undici_v7: shim('undici-unused-major.mjs'), undici_v8: shim('undici-unused-major.mjs') },
    },
    // ~15 ms of CPU (73 KB less).
    'trim-mime-db': { plugins: [trimMimeDb] },
    // ~12 ms of CPU.
    'lazy-mime-maps': { plugins: [lazyMimeMaps] },
    // ~24 ms of CPU: Node's internal undici is not loaded.
    'require-node-builtins': { plugins: [requireNodeBuiltins] },
  };
}

/** The substitutions left on when `without` are switched off (with those that depend on them). */
export function selectSubstitutions(repoRoot: string, without: readonly SubstitutionName[] = []): Substitution[] {
  const all = getSubstitutions(repoRoot);
  const off = new Set(without.flatMap((name) => [name, ...(all[name].requiredBy ?? [])]));
  return substitutionNames.filter((name) => !off.has(name)).map((name) => all[name]);
}
