/**
 * Self time of a `--cpu-prof` profile (`npm run bench:cpu -- --cpu-prof DIR`) by package or source folder and by
 * function, largest first: what to cut. Given a folder, it reads the largest .cpuprofile in it (the main thread).
 *
 *   npx tsx loadtest/cpu-bench/profile-summary.ts reports/cpu-prof/app [--top 40]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/@aws-sdk/core/...` → `@aws-sdk/core`; `/server/http/x.ts` → `server/http`; builtins as named. */
function toModule(url: string): string {
  if (url === '') return '(native/vm)';
  const inModules = url.split('node_modules/').pop() as string;
  if (inModules !== url) {
    const parts = inModules.split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
  }
  if (url.startsWith('node:')) return url;
  const local = url.match(/\/(server|loadtest|tooling)\/(.*)\/[^/]+$/);
  return local ? `${local[1]}/${local[2]}` : url.replace(/^file:\/\//, '');
}

function pickProfile(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(path, name));
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0] ?? path;
}

function summarize(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const modules = new Map<string, number>();
  const functions = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  const nameOf = (frame: ProfileNode['callFrame']) =>
    `${frame.functionName || '(anonymous)'} ${toModule(frame.url)}:${frame.lineNumber + 1}`;
  let total = 0;
  profile.samples.forEach((id, index) => {
    const us = profile.timeDeltas[index] ?? 0;
    const frame = (byId.get(id) as ProfileNode).callFrame;
    if (frame.functionName === '(idle)') return;
    total += us;
    add(modules, toModule(frame.url), us);
    add(functions, nameOf(frame), us);
    // Inclusive: each package or folder (and function) on the stack once per sample.
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parents.get(node)) {
      const callFrame = (byId.get(node) as ProfileNode).callFrame;
      seen.add(`[${toModule(callFrame.url)}]`);
      seen.add(nameOf(callFrame));
    }
    for (const key of seen) add(inclusive, key, us);
  });
  const table = (title: string, map: Map<string, number>) =>
    [
      title,
      ...[...map]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(
          ([name, us]) =>
            `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
        ),
    ].join('\n');
  return [
    `busy (non-idle) ${(total / 1000).toFixed(0)} ms`,
    table('\nself time by package / folder:', modules),
    table('\nself time by function:', functions),
    table('\ninclusive time ([package] or function on the stack):', inclusive),
  ].join('\n');
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '40' } },
});
const file = pickProfile(positionals[0] ?? 'reports/cpu-prof/app');
console.log(file);
console.log(summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(values.top)));
