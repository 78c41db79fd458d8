// Phase "gateway-api cases": the Gateway API conformance suite's HTTPRoute cases as
// data for explain (conformance/gateway-api/, see its extract.mjs). First the committed
// cases.json must be what conformance/tools/gateway-api-cases extracts from the pinned
// sigs.k8s.io/gateway-api/conformance module (Go); then test/gateway-api runs every case
// through explain (jest, as in `npm test`) and prints
// `gateway-api conformance: N requests (W weighted), D disagreements; not compared: ...`.
import path from 'node:path';
import { log } from './log.mjs';
import { REPO_ROOT } from './paths.mjs';
import { run } from './processes.mjs';

export async function checkGatewayApiCases({ summary }) {
  const extracted = await run(process.execPath, ['conformance/gateway-api/extract.mjs', '--check'], { cwd: REPO_ROOT, name: 'gateway-api extract --check' });
  const traced = (extracted.stdout + extracted.stderr).trim();
  log(`  ${traced}`);
  if (extracted.code === 0) summary.passed.push(traced);
  else summary.failures.push(traced || `gateway-api cases: extract.mjs --check exited ${extracted.code}`);

  const jest = path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const ran = await run(process.execPath, [jest, 'test/gateway-api', '--colors=false'], { cwd: REPO_ROOT, name: 'jest test/gateway-api' });
  const output = `${ran.stdout}\n${ran.stderr}`;
  const line = output.match(/^gateway-api conformance: .*$/m)?.[0] ?? 'gateway-api conformance: the test printed no count';
  log(`  ${line}`);
  if (ran.code === 0) summary.passed.push(line);
  else summary.failures.push(`${line}\n${output.trim()}`);
}
