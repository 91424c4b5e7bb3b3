import { formatLintProblems, lintSpec } from './lib/spec-lint.js';

// `npm run lint:spec`: redocly lint with redocly.yaml; any error OR warning fails.
const specPath = 'openapi.yaml';
const report = await lintSpec(specPath);
if (report.problems.length > 0) {
  console.error(formatLintProblems(specPath, report.problems));
  console.error(`\n${report.errors} errors, ${report.warnings} warnings: the bar is zero of both.`);
  process.exitCode = 1;
} else {
  console.log(`${specPath}: no errors, no warnings`);
}
