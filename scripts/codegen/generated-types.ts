import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

/** The contract and the one generated file that both the server and the SDK import. */
export const specUrl = new URL('../../openapi.yaml', import.meta.url);
export const generatedTypesUrl = new URL('../../contract/generated/openapi.ts', import.meta.url);

/** A spec as openapi-typescript accepts it: a file URL, or the YAML/JSON text itself. */
export type SpecSource = URL | string;

/** What differs between the committed generated file and a fresh generation. */
export interface GeneratedDrift {
  /** 1-based line of the first difference. */
  line: number;
  expected: string | undefined;
  actual: string | undefined;
}

const notice = `${COMMENT_HEADER.trimEnd()}\n// Regenerate with \`npm run generate\` after editing openapi.yaml.\n\n`;

/**
 * Renders the TypeScript types for a spec exactly as `npm run generate` writes them, so the drift check
 * and the generator can never disagree about formatting.
 */
export async function renderTypes(source: SpecSource): Promise<string> {
  // rootTypes adds `SchemaNbhd`-style aliases so consumers need not spell components['schemas'][...].
  const ast = await openapiTS(source, { rootTypes: true, silent: true });
  return `${notice}${astToString(ast)}`;
}

/** Compares a fresh generation with a committed copy; `undefined` means they are identical. */
export function findDrift(fresh: string, committed: string): GeneratedDrift | undefined {
  if (fresh === committed) return undefined;
  const expected = fresh.split('\n');
  const actual = committed.split('\n');
  const length = Math.max(expected.length, actual.length);
  for (let index = 0; index < length; index++) {
    if (expected[index] !== actual[index]) {
      return { line: index + 1, expected: expected[index], actual: actual[index] };
    }
  }
  return { line: length, expected: undefined, actual: undefined };
}

/** Compares a fresh rendering with the committed file at `generated`; `undefined` means they are identical. */
export async function compareWithCommitted(
  fresh: Promise<string>,
  generated: URL,
): Promise<GeneratedDrift | undefined> {
  const [rendered, committed] = await Promise.all([fresh, readFile(generated, 'utf8').catch(() => '')]);
  return findDrift(rendered, committed);
}

/** Regenerates in memory from `spec` and compares with the file at `generated`. */
export function checkGeneratedTypes(
  spec: SpecSource = specUrl,
  generated: URL = generatedTypesUrl,
): Promise<GeneratedDrift | undefined> {
  return compareWithCommitted(renderTypes(spec), generated);
}

/** Explains a drift for a human, naming the fix. */
export function describeDrift(drift: GeneratedDrift, generated: URL = generatedTypesUrl): string {
  return [
    `${fileURLToPath(generated)} is stale (first difference at line ${drift.line}).`,
    `  generated: ${JSON.stringify(drift.expected)}`,
    `  committed: ${JSON.stringify(drift.actual)}`,
    'Run `npm run generate` and commit the result.',
  ].join('\n');
}
