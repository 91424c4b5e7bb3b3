import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Plugin, transform } from 'esbuild';
import ts from 'typescript';

// The Lambda bundle's request validators: one small CommonJS file per validator, required on its first call.

/** ajv standalone's own top-level names (validate_0_1, schema_1_3, …). */
const internalName = /^(validate|schema|pattern|func|formats|wrapper)_\d+_\d+$/;
const generatedModule = /(^|[\\/])server[\\/]generated[\\/]request-validators\.ts$/;
/** Beside the output file that holds the generated module (the entry or a chunk). */
export const validatorsDir = 'request-validators';

interface Statement {
  text: string;
  /** Top-level names it declares (or, for `validate_0_1.evaluated = …`, adds a property to). */
  names: string[];
  refs: Set<string>;
}

/**
 * Splits the generated module (as JavaScript) into the validators' own code, one file per exported validator
 * with everything it needs (ajv inlines $refs: what two validators share is a few patterns and helpers, copied),
 * and a module that keeps the rest (the operation table) and requires each file on the validator's first call.
 */
export function splitValidators(code: string): { module: string; files: Map<string, string> } {
  const file = ts.createSourceFile('validators.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const statements: Statement[] = [];
  const kept: string[] = [];
  /** `[export] const name = validate_0_1;`: the validators the module exports (esbuild may export them in a list). */
  const exports = new Map<string, { target: string; exported: boolean }>();
  for (const node of file.statements) {
    const declaration = ts.isVariableStatement(node) ? node.declarationList.declarations[0] : undefined;
    const name = declaration?.name.getText(file) ?? '';
    if (
      declaration?.initializer &&
      ts.isIdentifier(declaration.initializer) &&
      internalName.test(declaration.initializer.text) &&
      !internalName.test(name)
    ) {
      const exported = Boolean(
        ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword),
      );
      exports.set(name, { target: declaration.initializer.text, exported });
      continue;
    }
    const refs = new Set<string>();
    const walk = (child: ts.Node) => {
      if (ts.isIdentifier(child) && internalName.test(child.text)) refs.add(child.text);
      child.forEachChild(walk);
    };
    walk(node);
    const names =
      ts.isFunctionDeclaration(node) && node.name
        ? [node.name.text]
        : ts.isVariableStatement(node)
          ? node.declarationList.declarations.map((d) => d.name.getText(file))
          : ts.isExpressionStatement(node) && ts.isBinaryExpression(node.expression)
            ? [node.expression.left.getText(file).split('.')[0] as string]
            : [];
    if (names.length > 0 && names.every((name) => internalName.test(name))) {
      statements.push({ text: node.getText(file), names, refs });
    } else {
      if (refs.size > 0)
        throw new Error(
          `request validators: a statement outside ajv's code uses it: ${node.getText(file).slice(0, 80)}`,
        );
      kept.push(node.getText(file));
    }
  }
  const declaring = new Map<string, Statement[]>();
  for (const statement of statements) {
    for (const name of statement.names) declaring.set(name, [...(declaring.get(name) ?? []), statement]);
  }
  const files = new Map<string, string>();
  for (const [name, { target }] of exports) {
    const needed = new Set<string>();
    const stack = [target];
    while (stack.length) {
      const next = stack.pop() as string;
      if (needed.has(next)) continue;
      needed.add(next);
      for (const statement of declaring.get(next) ?? []) stack.push(...statement.refs);
    }
    const own = statements.filter((s) => s.names.some((n) => needed.has(n)));
    files.set(name, `'use strict';\n${own.map((s) => s.text).join('\n')}\nmodule.exports = ${target};\n`);
  }
  const module = [
    "import { createRequire } from 'node:module';",
    'const requireFile = createRequire(import.meta.url);',
    "/** Requires the validator on its first call; it sets `.errors` as ajv's own functions do. */",
    'function loadOnFirstCall(name) {',
    '  let compiled;',
    '  const validate = function (...args) {',
    `    compiled ??= requireFile(\`./${validatorsDir}/\${name}.cjs\`);`,
    '    const valid = compiled(...args);',
    '    validate.errors = compiled.errors;',
    '    return valid;',
    '  };',
    '  return validate;',
    '}',
    ...[...exports].map(
      ([name, { exported }]) => `${exported ? 'export ' : ''}const ${name} = loadOnFirstCall(${JSON.stringify(name)});`,
    ),
    ...kept,
  ].join('\n');
  return { module, files };
}

/**
 * A cold start then reads the operation table but not the ~80 KB of validator code, which costs in proportion
 * to its size even unrun; a request compiles only its operation's validators. The files are written beside the
 * output that holds the module and listed among the build's outputs (so the zip carries them).
 */
export const splitRequestValidators: Plugin = {
  name: 'split-request-validators',
  setup(pluginBuild) {
    let files = new Map<string, string>();
    pluginBuild.onLoad({ filter: generatedModule }, async ({ path }) => {
      const { code } = await transform(await readFile(path, 'utf8'), { loader: 'ts', format: 'esm' });
      const split = splitValidators(code);
      files = split.files;
      return { contents: split.module, loader: 'js' };
    });
    pluginBuild.onEnd(async (result) => {
      const outputs = result.metafile?.outputs;
      if (!outputs || files.size === 0) return;
      const holder = Object.keys(outputs).find((output) =>
        Object.keys(outputs[output]?.inputs ?? {}).some((input) => generatedModule.test(input)),
      );
      if (!holder) throw new Error('split-request-validators: no output holds server/generated/request-validators.ts');
      const cwd = pluginBuild.initialOptions.absWorkingDir ?? process.cwd();
      const dir = join(dirname(holder), validatorsDir);
      if (pluginBuild.initialOptions.write !== false) mkdirSync(join(cwd, dir), { recursive: true });
      for (const [name, source] of files) {
        const { code } = await transform(source, { minify: true, format: 'cjs', target: 'node22', charset: 'ascii' });
        const output = join(dir, `${name}.cjs`);
        if (pluginBuild.initialOptions.write !== false) writeFileSync(join(cwd, output), code);
        outputs[output] = { bytes: Buffer.byteLength(code), inputs: {}, imports: [], exports: [] };
      }
    });
  },
};
