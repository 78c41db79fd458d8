// Phase "dist": every object in the dist dir must pass the API server's dry-run,
// istioctl validate and istioctl analyze.
import fs from 'node:fs';
import { mapConcurrently } from './concurrency.mjs';
import { sortDistFiles } from './dist-inputs.mjs';
import { HarnessError } from './harness-error.mjs';
import { analyzeNamespaceArgs, istioctlAnalyze, istioctlValidate } from './istioctl.mjs';
import { assertApiserverReachable, DRY_RUN_APPLY, kubectl } from './kubectl.mjs';
import { indent, info, log, rel } from './log.mjs';
import { phase } from './report.mjs';
import { applySuppressions, loadSuppressions } from './suppressions.mjs';
import { listYamlFiles } from './yaml-files.mjs';
import { workspacePath } from './workspace.mjs';

export async function checkDist({ api, servedGroups, istioctl, options, summary }) {
  const { distDir } = options;
  if (!fs.existsSync(distDir) || !fs.statSync(distDir).isDirectory()) {
    throw new HarnessError(`dist dir ${rel(distDir)} not found (synthesize first, or pass --dist DIR)`);
  }
  const inputs = sortDistFiles(distDir, servedGroups, workspacePath('dist-filtered'));
  summary.failures.push(...inputs.failures);
  for (const note of inputs.notes) info(`  note: ${note}`);
  if (!inputs.objectFiles.length && !inputs.failures.length) {
    summary.failures.push(`dist: no Kubernetes objects found under ${rel(distDir)}`);
    return;
  }
  info(`  ${inputs.objectFiles.length} file(s), ${inputs.objectCount} object(s) in ${rel(distDir)}`);

  await phase('dist: API server dry-run (kubectl apply --server-side --dry-run=server)', () =>
    dryRunDist(api, inputs, options, summary));
  await phase('dist: istioctl validate', () => validateDist(istioctl, inputs, options, summary));
  await phase('dist: istioctl analyze --use-kube=false', () => analyzeDist(istioctl, inputs, options, summary));
}

async function dryRunDist(api, { applyFiles, distFileOf, objectCount }, { distDir, jobs, verbose }, summary) {
  if (!applyFiles.length) {
    info('  nothing to dry-run');
    return;
  }
  // When the API server serves every object, the command is exactly what a user runs: kubectl apply -f dist.
  const whole = distFileOf.size === 0;
  const r = await kubectl(api, [...DRY_RUN_APPLY, ...(whole ? ['-f', distDir] : applyFiles.flatMap((f) => ['-f', f]))]);
  assertApiserverReachable(r);
  if (r.code === 0) {
    const accepted = r.stdout.trim().split('\n').filter(Boolean).length;
    if (verbose) log(indent(r.stdout));
    if (whole) {
      info(`  kubectl apply -f ${rel(distDir)}: ${accepted} objects accepted`);
      // Fail closed: an object kubectl never read (a subfolder, a document it skipped) was never applied either.
      if (accepted !== objectCount) {
        summary.failures.push(`dist: kubectl apply -f ${rel(distDir)} applied ${accepted} of the ${objectCount} objects in it`);
        return;
      }
    } else info(`  ok: ${accepted} object(s) accepted`);
    summary.passed.push(`dist dry-run (${accepted} objects)`);
    return;
  }
  // kubectl's messages do not always name the file: re-run per file to attribute them.
  const perFile = await mapConcurrently(applyFiles, jobs, async (file) => {
    const one = await kubectl(api, [...DRY_RUN_APPLY, '-f', file]);
    assertApiserverReachable(one);
    const name = distFileOf.has(file) ? `${rel(distFileOf.get(file))} (its Istio objects)` : rel(file);
    return one.code === 0 ? null : `${name}:\n${indent(one.stderr.trim() || one.stdout.trim())}`;
  });
  const rejected = perFile.filter(Boolean);
  const text = rejected.length ? rejected.join('\n') : r.stderr.trim() || r.stdout.trim();
  summary.failures.push(`dist: API server rejected objects in ${rejected.length || '?'} file(s):\n${indent(text)}`);
  log(indent(text));
}

async function validateDist(istioctl, { objectFiles }, { verbose }, summary) {
  const r = await istioctlValidate(istioctl, objectFiles);
  if (r.code !== 0) {
    summary.failures.push(`dist: istioctl validate exited ${r.code}:\n${indent(r.stderr.trim() || r.stdout.trim())}`);
    log(indent(r.stderr.trim() || r.stdout.trim()));
    return;
  }
  const warnings = (r.stdout.match(/has warnings:/g) ?? []).length;
  info(`  ok: ${objectFiles.length} file(s) valid${warnings ? `, ${warnings} with warnings` : ''}`);
  if (warnings || verbose) log(indent(r.stdout.split('\n').filter((l) => !/ is valid$/.test(l)).join('\n')));
  summary.passed.push(`dist istioctl validate (${objectFiles.length} files)`);
}

/**
 * The context dir's YAML files: objects dist/ references but does not own (the platform's ingress Gateway).
 * istioctl analyze reads them beside dist/, as it would find them in the cluster.
 */
export function contextFiles({ contextDir, contextExplicit }) {
  if (!fs.existsSync(contextDir)) {
    if (contextExplicit) throw new HarnessError(`context dir ${rel(contextDir)} not found`);
    return [];
  }
  return listYamlFiles(contextDir);
}

async function analyzeDist(istioctl, { objectFiles, namespaces, unnamespaced }, options, summary) {
  const { suppressionsFile, suppressionsExplicit } = options;
  const suppressions = loadSuppressions(suppressionsFile, suppressionsExplicit);
  if (unnamespaced && namespaces.size) {
    info(`  note: ${unnamespaced} object(s) have no metadata.namespace: analysed with namespace "" (-A)`);
  }
  const context = contextFiles(options);
  if (context.length) info(`  context: ${context.map(rel).join(', ')}`);
  const r = await istioctlAnalyze(istioctl, [...objectFiles, ...context], analyzeNamespaceArgs(namespaces));
  let messages;
  try {
    messages = JSON.parse(r.stdout);
  } catch {
    summary.failures.push(`dist: istioctl analyze failed (exit ${r.code}):\n${indent(r.stderr.trim() || r.stdout.trim())}`);
    log(indent(r.stderr.trim() || r.stdout.trim()));
    return;
  }
  if (r.code !== 0 || /Error\(s\) adding files/.test(r.stderr)) {
    summary.failures.push(`dist: istioctl analyze could not read the files (exit ${r.code}):\n${indent(r.stderr.trim())}`);
  }
  // Context objects are read, not judged: what istioctl says about them is printed, never a failure.
  const aboutContext = (m) => context.some((file) => String(m.reference ?? '').startsWith(`${file}:`));
  for (const m of messages.filter(aboutContext)) info(`  note: about context ${m.level} [${m.code}] (${m.origin}) ${m.message}`);
  const { kept, suppressed } = applySuppressions(messages.filter((m) => !aboutContext(m)), suppressions);
  const errors = kept.filter((m) => m.level === 'Error');
  const format = (m) => `${m.level} [${m.code}] (${m.origin}${m.reference ? ` ${rel(m.reference)}` : ''}) ${m.message}`;
  for (const m of kept) log(indent(format(m)));
  for (const s of suppressions.filter((x) => !x.used)) {
    info(`  note: suppression ${s.code} "${s.resource}" matched nothing (stale? reason: ${s.reason})`);
  }
  const tally = `${messages.length} message(s): ${errors.length} error(s), ${kept.length - errors.length} warning/info, ${suppressed} suppressed`;
  if (errors.length) summary.failures.push(`dist: istioctl analyze reported ${errors.length} error(s):\n${indent(errors.map(format).join('\n'))}`);
  else summary.passed.push(`dist istioctl analyze (${tally})`);
  info(`  ${errors.length ? 'FAIL' : 'ok'}: ${tally}`);
}
