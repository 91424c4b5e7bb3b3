import { runRedocly } from '../../tooling/redocly.js';

/** The semver part a release must bump for a change, as `redocly diff` rates it. */
export type Impact = 'major' | 'minor' | 'patch' | 'none';

/** One change between two contracts, flattened from `redocly diff --format=json`. */
export interface ContractChange {
  impact: Exclude<Impact, 'none'>;
  kind: string;
  path: string;
  messages: string[];
}

export interface ContractDiff {
  required: Impact;
  summary: { major: number; minor: number; patch: number };
  changes: ContractChange[];
}

// The shape of redocly diff's JSON report (reportVersion "1", @redocly/cli 2.77; the command is experimental,
// so readDiffReport checks the fields it relies on and fails loudly if they change).
interface RedoclyDiffReport {
  reportVersion: string;
  summary: { major: number; minor: number; patch: number };
  changes: {
    path: string;
    kind: string;
    impact: Exclude<Impact, 'none'>;
    property?: string;
    verdicts?: { ruleId: string; message: string }[];
  }[];
}

const impactOrder: readonly Impact[] = ['none', 'patch', 'minor', 'major'];

/** Orders impacts: none < patch < minor < major. */
export function rankImpact(impact: Impact): number {
  return impactOrder.indexOf(impact);
}

function readDiffReport(stdout: string): RedoclyDiffReport {
  const report = JSON.parse(stdout) as Partial<RedoclyDiffReport>;
  const summary = report.summary;
  if (report.reportVersion !== '1' || !summary || !Array.isArray(report.changes)) {
    throw new Error(`redocly diff printed a report this script does not know (reportVersion ${report.reportVersion})`);
  }
  return report as RedoclyDiffReport;
}

/**
 * Compares two contracts with `redocly diff` (the diff rules come from `diff-recommended` in redocly.yaml)
 * and returns every change with the bump it requires. Never fails on the changes themselves: the caller
 * decides against the version the release gets.
 */
export async function diffContracts(basePath: string, revisionPath: string): Promise<ContractDiff> {
  const args = ['diff', basePath, revisionPath, '--format=json', '--fail-on=none', '--lint-config=error'];
  const { stdout } = await runRedocly(args).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`redocly diff failed:\n${error.stderr ?? String(error)}`);
  });
  const report = readDiffReport(stdout);
  const { major, minor, patch } = report.summary;
  const required: Impact = major > 0 ? 'major' : minor > 0 ? 'minor' : patch > 0 ? 'patch' : 'none';
  return {
    required,
    summary: { major, minor, patch },
    changes: report.changes.map((change) => ({
      impact: change.impact,
      kind: change.kind,
      path: change.property ? `${change.path} · ${change.property}` : change.path,
      messages: (change.verdicts ?? []).map((verdict) => `${verdict.message} (${verdict.ruleId})`),
    })),
  };
}

/** One line per change, biggest impact first: `major removed #/paths/… — Property … was removed. (rule)`. */
export function formatChanges(changes: ContractChange[]): string {
  return [...changes]
    .sort((a, b) => rankImpact(b.impact) - rankImpact(a.impact))
    .map((change) => {
      const why = change.messages.length > 0 ? ` — ${change.messages.join(' ')}` : '';
      return `  ${change.impact.padEnd(5)} ${change.kind.padEnd(8)} ${change.path}${why}`;
    })
    .join('\n');
}
