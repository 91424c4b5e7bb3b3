import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repoRoot = normalize(join(import.meta.dirname, '../..'));

/** Which top-level folders each layer may import from (besides itself and npm packages). */
const allowed: Record<string, string[]> = {
  server: ['contract/generated'],
  'sdk/src': ['contract/generated'],
  migration: ['server', 'tooling', 'contract/generated'],
  tooling: ['server', 'contract/generated'],
  loadtest: ['server', 'tooling', 'contract/generated'],
  scripts: ['server', 'migration', 'tooling', 'loadtest', 'contract/generated'],
  // What tests build on: everything but the scripts, which tests run as commands.
  'test/helpers': ['server', 'migration', 'tooling', 'loadtest', 'contract/generated', 'sdk/src', 'test/fixtures'],
  'test/fixtures': ['server', 'migration', 'tooling', 'loadtest', 'contract/generated', 'test/helpers'],
};

const layerOf = (file: string) =>
  Object.keys(allowed)
    .sort((a, b) => b.length - a.length)
    .find((layer) => file === layer || file.startsWith(`${layer}/`));

function listSources(): string[] {
  const tracked = execFileSync('git', ['ls-files', '*.ts', '*.mts', '*.mjs', '*.cjs'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return tracked.split('\n').filter((file) => file && layerOf(file));
}

/** Every relative module a file imports or re-exports (static, dynamic and require), repo-relative. */
function listRelativeImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(repoRoot, file), 'utf8'), true, true);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => relative(repoRoot, join(repoRoot, dirname(file), specifier)));
}

describe('layers point one way', () => {
  it('imports nothing from a layer above: server and the SDK take only the generated contract', () => {
    const violations: string[] = [];
    for (const file of listSources()) {
      const layer = layerOf(file) ?? '';
      for (const target of listRelativeImports(file)) {
        const inOwnLayer = target === layer || target.startsWith(`${layer}/`);
        const permitted = allowed[layer]?.some((other) => target === other || target.startsWith(`${other}/`));
        if (!inOwnLayer && !permitted) violations.push(`${file} → ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('sees imports of every kind, so the check above cannot pass by missing them', () => {
    const source = "import a from '../x.js';\nexport * from './y.js';\nconst c = await import('../../z.js');";
    const { importedFiles } = ts.preProcessFile(source, true, true);
    expect(importedFiles.map(({ fileName }) => fileName)).toEqual(['../x.js', './y.js', '../../z.js']);
  });
});
