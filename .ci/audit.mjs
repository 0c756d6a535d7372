// Fails on any high or critical advisory in production dependencies. When the registry's
// advisory service cannot be reached (some mirrors refuse it), says so loudly and passes:
// that is no finding, and CI should not fail on a service it cannot reach.
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(`npm audit printed no report:\n${run.stdout}\n${run.stderr}`);
  process.exit(1);
}
if (report.statusCode !== undefined || (report.error !== undefined && report.metadata === undefined)) {
  console.log(`npm audit: advisory service unavailable (${report.message ?? 'no message'}); production dependencies NOT audited`);
  process.exit(0);
}
const counts = report.metadata?.vulnerabilities ?? {};
const serious = (counts.high ?? 0) + (counts.critical ?? 0);
console.log(`npm audit (production dependencies): ${JSON.stringify(counts)}`);
if (serious > 0) {
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
    if (v.severity === 'high' || v.severity === 'critical') console.error(`  ${v.severity}: ${name} (${v.range})`);
  }
  process.exit(1);
}
