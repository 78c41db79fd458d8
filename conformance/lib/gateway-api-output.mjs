// Phase "gateway-api output": the app of main.ts written with the Gateway API
// (`buildApp({ api: 'gateway-api' })`, standard channel, as synth writes it)
// must be accepted by the API server with the standard-channel CRDs. Core
// kinds (the per-version Services) are not served by the CRD-only API server:
// counted apart.
import fs from 'node:fs';
import { installGatewayApiCrds } from './gateway-api-crds.mjs';
import { HarnessError } from './harness-error.mjs';
import { assertApiserverReachable, DRY_RUN_APPLY, kubectl } from './kubectl.mjs';
import { indent, info } from './log.mjs';
import { REPO_ROOT } from './paths.mjs';
import { run } from './processes.mjs';
import { phase } from './report.mjs';
import { apiGroupOf, listYamlFiles, readKubernetesObjects } from './yaml-files.mjs';
import { workspacePath } from './workspace.mjs';

const SYNTH = `
import { createRequire } from 'node:module';
import { buildIfStale } from './scripts/build.mjs';
buildIfStale();
const { buildApp } = createRequire(process.cwd() + '/')('./.build/main.js');
buildApp({ api: 'gateway-api', outdir: process.argv[1] }).synth();
`;

export async function checkGatewayApiOutput({ api, gatewayApiCrds, installed, servedGroups, summary }) {
  const dir = workspacePath('gateway-api-output');
  const synth = await run(process.execPath, ['--input-type=module', '-e', SYNTH, dir], { cwd: REPO_ROOT, name: 'synth (gateway-api)' });
  if (synth.code !== 0) throw new HarnessError(`synth of main.ts with api: 'gateway-api' failed:\n${indent(synth.stderr || synth.stdout)}`);
  if (installed !== 'standard') await phase('gateway-api output: swap to the standard-channel CRDs', () => installGatewayApiCrds(api, gatewayApiCrds, 'standard'));
  const served = workspacePath('gateway-api-output-served');
  fs.mkdirSync(served, { recursive: true });
  let objects = 0;
  let unserved = 0;
  for (const file of listYamlFiles(dir)) {
    const all = readKubernetesObjects(file).objects;
    const kept = all.filter(({ obj }) => servedGroups.has(apiGroupOf(obj.apiVersion)));
    unserved += all.length - kept.length;
    if (kept.length) fs.writeFileSync(`${served}/${file.slice(dir.length + 1)}`, kept.map(({ doc }) => doc.toString()).join('---\n'));
  }
  const r = await kubectl(api, [...DRY_RUN_APPLY, '-f', served]);
  assertApiserverReachable(r);
  if (r.code === 0) objects = r.stdout.trim().split('\n').filter(Boolean).length;
  const line = `gateway-api output (main.ts, api: 'gateway-api', standard channel): ${objects} objects accepted by the API server, ${unserved} core objects (Services) not served by it`;
  info(`  ${r.code === 0 ? line : `FAIL ${r.stderr.trim()}`}`);
  if (r.code === 0) summary.passed.push(line);
  else summary.failures.push(`gateway-api output: the API server rejected main.ts's Gateway API output:\n${indent(r.stderr.trim() || r.stdout.trim())}`);
  return 'standard';
}
