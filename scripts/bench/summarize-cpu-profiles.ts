import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * `npm run bench:profile -- <dir>...`: for the V8 CPU profiles that `bench:cpu -- --cpu-prof <dir>` or `bench:coldstart --
 * --cpu-prof <dir>` writes (one folder per variant), the mean time per process by package (self time) and by
 * source file (inclusive: on the stack), positions mapped back through the bundles' linked source maps.
 * `--diff <base> <other>`: what `other` spends beyond `base` (e.g. the app beyond the stack floor); `--under <text>`:
 * only samples with a frame whose file:function contains the text on the stack (e.g. `runtime.ts:createRuntime`).
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const maps = new Map<string, SourceMap | undefined>();
function loadMap(url: string): SourceMap | undefined {
  if (!maps.has(url)) {
    const path = fileURLToPath(url);
    const mapPath = `${path}.map`;
    maps.set(url, existsSync(mapPath) ? new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8'))) : undefined);
  }
  return maps.get(url);
}

/** "package" and "file:function" for a frame. */
function locate(frame: ProfileNode['callFrame']): { pkg: string; where: string } {
  const { url, functionName, lineNumber, columnNumber } = frame;
  if (!url) return { pkg: functionName || '(anonymous)', where: functionName || '(anonymous)' };
  if (!url.startsWith('file:')) return { pkg: 'node internals', where: `${url}:${functionName}` };
  const map = loadMap(url);
  const entry = map?.findEntry(lineNumber, columnNumber) as { originalSource?: string; name?: string } | undefined;
  const original = entry?.originalSource;
  const path = original
    ? original.startsWith('file:')
      ? fileURLToPath(original)
      : resolve(dirname(fileURLToPath(url)), original)
    : fileURLToPath(url);
  const source = relative(process.cwd(), path);
  const trimmed = source.replace(/^.*node_modules\//, 'node_modules/');
  const pkg = trimmed.startsWith('node_modules/')
    ? (trimmed.slice(13).match(/^(@[^/]+\/[^/]+|[^/]+)/)?.[1] ?? trimmed)
    : (trimmed.split('/').slice(0, 2).join('/') ?? trimmed);
  return { pkg, where: `${trimmed}:${entry?.name ?? functionName}` };
}

interface Summary {
  profiles: number;
  total: number;
  self: Map<string, number>;
  inclusive: Map<string, number>;
}

/** Mean ms per profile in `dir`: self time by package, inclusive time by source function. */
function summarize(dir: string, under?: string): Summary {
  const files = readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  const add = (map: Map<string, number>, key: string, ms: number) =>
    map.set(key, (map.get(key) ?? 0) + ms / files.length);
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const located = new Map(profile.nodes.map((node) => [node.id, locate(node.callFrame)]));
    const stackOf = (id: number) => {
      const stack: string[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
        stack.push(located.get(at)?.where ?? '');
      return stack;
    };
    profile.samples.forEach((id, index) => {
      const delta = (profile.timeDeltas[index] ?? 0) / 1000;
      if (under && !stackOf(id).some((where) => where.includes(under))) return;
      total += delta / files.length;
      const own = located.get(id);
      if (own) add(self, own.pkg, delta);
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const where = located.get(at)?.where;
        if (where && !seen.has(where)) {
          seen.add(where);
          add(inclusive, where, delta);
        }
      }
    });
  }
  return { profiles: files.length, total, self, inclusive };
}

const ms = (value: number) => value.toFixed(1).padStart(7);
const top = (map: Map<string, number>, count: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, count);

function print(dir: string, summary: Summary): void {
  console.log(`\n${dir}: ${summary.profiles} profiles, ${ms(summary.total)} ms each (mean)`);
  console.log('self time by package:');
  for (const [pkg, value] of top(summary.self, 25)) console.log(`${ms(value)}  ${pkg}`);
  console.log('inclusive time by function:');
  for (const [where, value] of top(summary.inclusive, Number(process.env.TOP ?? 60)))
    console.log(`${ms(value)}  ${where}`);
}

/** What the second folder spends beyond the first, by package and by function (largest differences first). */
function printDifference(base: Summary, other: Summary): void {
  const difference = (a: Map<string, number>, b: Map<string, number>) =>
    new Map([...new Set([...a.keys(), ...b.keys()])].map((key) => [key, (b.get(key) ?? 0) - (a.get(key) ?? 0)]));
  console.log(`\ndifference (second − first): ${ms(other.total - base.total)} ms per process`);
  console.log('self time by package:');
  for (const [pkg, value] of top(difference(base.self, other.self), 25)) console.log(`${ms(value)}  ${pkg}`);
  console.log('inclusive time by function:');
  for (const [where, value] of top(difference(base.inclusive, other.inclusive), 80))
    console.log(`${ms(value)}  ${where}`);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { diff: { type: 'boolean' }, under: { type: 'string' } },
});
if (values.diff && positionals.length === 2) {
  printDifference(summarize(positionals[0] as string, values.under), summarize(positionals[1] as string, values.under));
} else {
  for (const dir of positionals) print(dir, summarize(dir, values.under));
}
