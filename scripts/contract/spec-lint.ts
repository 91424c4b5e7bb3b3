import { runRedocly } from '../../tooling/redocly.js';

/** One finding of `redocly lint`. */
export interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  pointer: string;
  line: number | undefined;
}

export interface LintReport {
  errors: number;
  warnings: number;
  problems: LintProblem[];
}

interface RedoclyJsonReport {
  totals: { errors: number; warnings: number };
  problems: {
    ruleId: string;
    severity: 'error' | 'warn';
    message: string;
    location: { pointer: string; start?: { line: number } }[];
  }[];
}

/**
 * Lints a spec with redocly.yaml (found from `cwd`) and returns every problem. The CLI exits non-zero on
 * errors but not on warnings, so callers decide on the totals: our bar is zero of both.
 */
export async function lintSpec(specPath: string, cwd?: string): Promise<LintReport> {
  const args = ['lint', specPath, '--format=json', '--lint-config=error', '--max-problems=1000'];
  const output = await runRedocly(args, cwd).catch((error: { stdout?: string; stderr?: string }) => {
    if (error.stdout?.trim().startsWith('{')) return { stdout: error.stdout };
    throw new Error(`redocly lint failed:\n${error.stderr ?? String(error)}`);
  });
  const report = JSON.parse(output.stdout) as RedoclyJsonReport;
  return {
    errors: report.totals.errors,
    warnings: report.totals.warnings,
    problems: report.problems.map((problem) => ({
      ruleId: problem.ruleId,
      severity: problem.severity,
      message: problem.message,
      pointer: problem.location[0]?.pointer ?? '',
      line: problem.location[0]?.start?.line,
    })),
  };
}

/** Formats problems one per line: `openapi.yaml:LINE rule-id message (pointer)`. */
export function formatLintProblems(specPath: string, problems: LintProblem[]): string {
  return problems
    .map((p) => `${specPath}:${p.line ?? '?'} ${p.severity} ${p.ruleId}: ${p.message} (${p.pointer})`)
    .join('\n');
}
