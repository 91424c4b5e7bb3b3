import { readdirSync } from 'node:fs';
import { formatLintProblems, lintSpec } from './spec-lint.js';

// `npm run lint:spec`: redocly lint with redocly.yaml on openapi.yaml and every Arazzo workflow in arazzo/;
// any error OR warning fails.
const paths = [
  'openapi.yaml',
  ...readdirSync('arazzo')
    .filter((file) => file.endsWith('.arazzo.yaml'))
    .sort()
    .map((file) => `arazzo/${file}`),
];
let failed = false;
for (const path of paths) {
  const report = await lintSpec(path);
  if (report.problems.length > 0) {
    console.error(formatLintProblems(path, report.problems));
    console.error(`\n${path}: ${report.errors} errors, ${report.warnings} warnings: the bar is zero of both.`);
    failed = true;
  } else {
    console.log(`${path}: no errors, no warnings`);
  }
}
if (failed) process.exitCode = 1;
