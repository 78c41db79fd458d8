// Phase "contracts": every public option's contract (lib/contracts) against what
// explain answers on the YAML the library synthesizes, on apps fast-check
// generates (bin/contracts.ts, bundled as .build/contracts.js). Node only: it
// runs with or without Go. Prints `contracts: N apps, M requests, D disagreements`, and
// `migration: N apps, D traffic differences` (each app's Istio output against its Gateway API output).
import { createRequire } from 'node:module';
import path from 'node:path';
import { judgeWithIstio } from './contracts-istio.mjs';
import { log } from './log.mjs';
import { REPO_ROOT } from './paths.mjs';

/** 2,000 apps x 170 generated requests in CI (about 100 an app once known-open.ts drops its own); the scheduled workflow asks for more. */
export const CONTRACT_APPS = 2000;
export const CONTRACT_REQUESTS = 170;
/** Apps whose Istio and Gateway API outputs are compared (about 250 requests each, 90 ms an app). */
export const MIGRATION_APPS = 500;

export async function checkContracts({ options, summary, simulate }) {
  const { buildIfStale } = await import(path.join(REPO_ROOT, 'scripts', 'build.mjs'));
  buildIfStale();
  const bundle = createRequire(import.meta.url)(path.join(REPO_ROOT, '.build', 'contracts.js'));
  const { runContracts } = bundle;
  const started = performance.now();
  const report = runContracts({ apps: options.contractApps, requestsPerApp: CONTRACT_REQUESTS, seed: options.contractSeed });
  const line = `contracts: ${report.apps} apps, ${report.requests} requests, ${report.disagreements} disagreements`;
  log(`  seed ${options.contractSeed}, ${report.refused} generated declarations refused by the library, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (report.failure) log(report.failure);
  log(line);
  if (report.disagreements === 0) summary.passed.push(line);
  else summary.failures.push(`${line}\n${report.failure ?? ''}`);
  const migrationStarted = performance.now();
  const migration = bundle.runMigrationContracts(MIGRATION_APPS, options.contractSeed);
  const migrationLine = `migration: ${migration.apps} apps, ${migration.differences} traffic differences`;
  log(`  ${migration.requests} requests asked of both outputs, ${migration.named} changed as the Gateway API mapping names, ${migration.lossy} declarations refused by its loss report, ${((performance.now() - migrationStarted) / 1000).toFixed(1)} s`);
  log(migrationLine);
  if (migration.differences === 0) summary.passed.push(migrationLine);
  else summary.failures.push(`${migrationLine}\n${migration.examples.map((e) => `${JSON.stringify(e.difference)}\n  declaration: ${JSON.stringify(e.decl)}`).join('\n')}`);
  if (!simulate || options.contractIstioApps === 0) return;
  const apps = bundle.generatedApps(options.contractIstioApps, CONTRACT_REQUESTS, options.contractSeed);
  const istio = await judgeWithIstio(simulate, apps);
  const istioLine = `contracts with Istio's routes: ${istio.apps} apps, ${istio.requests} requests, ${istio.disagreements} disagreements`;
  log(istioLine);
  if (istio.disagreements === 0) summary.passed.push(istioLine);
  else summary.failures.push(`${istioLine}\n${istio.examples.join('\n')}`);
}
