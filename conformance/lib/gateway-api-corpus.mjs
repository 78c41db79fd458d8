// Phase "gateway-api corpus": our validator against the API server with the
// Gateway API CRDs installed, per channel. <corpus>/gateway-api/<channel>/
// {valid,invalid}/*.yaml: one case per file, the folder is the API server's
// verdict with that channel's CRDs (valid/ also holds the objects the library
// writes: HTTPRoutes, per-version Services, ReferenceGrants, InferencePools).
// Core kinds (Services) are not served by the CRD-only API server: they are
// left out of the dry-run and named in a note. Ours runs with
// --gateway-api-channel <channel> --inference-extension.
import fs from 'node:fs';
import path from 'node:path';
import { CHANNELS, installGatewayApiCrds } from './gateway-api-crds.mjs';
import { mapConcurrently } from './concurrency.mjs';
import { assertApiserverReachable, DRY_RUN_APPLY, kubectl } from './kubectl.mjs';
import { info, rel } from './log.mjs';
import { runOurValidatorOnAll } from './our-validator.mjs';
import { phase } from './report.mjs';
import { apiGroupOf, listYamlFiles, readKubernetesObjects } from './yaml-files.mjs';
import { workspacePath } from './workspace.mjs';

/** `installed`: the channel the API server has now; it ends with the last one judged. */
export async function checkGatewayApiCorpus({ api, gatewayApiCrds, installed, servedGroups, ourValidator, options, summary }) {
  const root = path.join(options.corpusDir, 'gateway-api');
  if (!fs.existsSync(root)) {
    summary.notes.push(`gateway-api corpus: ${rel(root)} not found: phase skipped`);
    return;
  }
  if (!ourValidator.batch) {
    summary.notes.push('gateway-api corpus: not compared (a custom --ours command gives no --gateway-api-channel)');
    return;
  }
  // The installed channel first: one swap at most.
  const channels = [installed, ...CHANNELS.filter((c) => c !== installed)];
  const tally = { cases: 0, agree: 0, objects: 0, byChannel: [] };
  const failures = [];
  for (const channel of channels) {
    const cases = listCases(path.join(root, channel), channel);
    if (!cases.length) continue;
    if (channel !== installed) {
      await phase(`gateway-api corpus: swap to the ${channel}-channel CRDs`, () => installGatewayApiCrds(api, gatewayApiCrds, channel));
      installed = channel;
    }
    await phase(`gateway-api corpus (${channel}): API server dry-run per case`, () =>
      mapConcurrently(cases, options.jobs, async (c) => {
        const file = servedCopy(c, servedGroups);
        if (!file) return;
        const r = await kubectl(api, [...DRY_RUN_APPLY, '-f', file]);
        assertApiserverReachable(r);
        c.api = r.code === 0 ? 'accept' : 'reject';
        c.apiMsg = r.code === 0 ? '' : (r.stderr || r.stdout).trim().split('\n').slice(-1)[0];
        if (r.code === 0) c.accepted = r.stdout.trim().split('\n').filter(Boolean).length;
      }));
    await phase(`gateway-api corpus (${channel}): our validator`, async () => {
      // The cases route to InferencePools as a cluster with istiod's feature flag on does.
      const results = await runOurValidatorOnAll([...ourValidator, '--gateway-api-channel', channel, '--inference-extension'], cases.map((c) => c.file));
      cases.forEach((c, i) => {
        c.ours = results[i].verdict;
        c.oursMsg = results[i].output;
      });
    });
    for (const c of cases) {
      tally.cases++;
      if (c.api === undefined) failures.push(`${c.id}: no object the API server serves`);
      else if (c.api !== c.expected) failures.push(`${c.id}: MISLABELED: filed under ${c.expected === 'accept' ? 'valid' : 'invalid'}/ but the API server ${c.api}s it${c.apiMsg ? ` (${c.apiMsg})` : ''}`);
      else if (c.ours !== c.api) failures.push(`${c.id}: DIFF: ours ${c.ours}${c.oursMsg ? ` (${c.oursMsg})` : ''}, the API server ${c.api}${c.apiMsg ? ` (${c.apiMsg})` : ''}`);
      else tally.agree++;
      if (c.expected === 'accept') tally.objects += c.accepted ?? 0;
      for (const note of c.notes) info(`  note: ${note}`);
    }
    tally.byChannel.push(`${channel} ${cases.length}`);
  }
  const line = `gateway-api corpus: ${tally.cases} cases (${tally.byChannel.join(', ')}), ${tally.agree} verdicts agree with the API server, ${failures.length} disagreements; ${tally.objects} objects of the valid cases accepted`;
  info(`  ${line}`);
  for (const f of failures) info(`  FAIL ${f}`);
  if (failures.length) summary.failures.push(...failures.map((f) => `gateway-api corpus: ${f}`));
  else summary.passed.push(line);
  return installed;
}

function listCases(dir, channel) {
  const cases = [];
  for (const [folder, expected] of [['valid', 'accept'], ['invalid', 'reject']]) {
    if (!fs.existsSync(path.join(dir, folder))) continue;
    for (const file of listYamlFiles(path.join(dir, folder))) cases.push({ file, id: `gateway-api/${channel}/${folder}/${path.basename(file)}`, expected, notes: [] });
  }
  return cases;
}

/** The case's file, or a copy with only the objects the API server serves; undefined when it serves none. */
function servedCopy(c, servedGroups) {
  const { objects } = readKubernetesObjects(c.file);
  const served = objects.filter(({ obj }) => servedGroups.has(apiGroupOf(obj.apiVersion)));
  for (const { obj } of objects.filter((o) => !served.includes(o))) c.notes.push(`${c.id}: ${obj.apiVersion} ${obj.kind} ${obj.metadata?.name ?? ''} not dry-run (the CRD-only API server does not serve it)`);
  if (!served.length) return undefined;
  if (served.length === objects.length) return c.file;
  const copy = workspacePath('gateway-api-corpus', c.id);
  fs.mkdirSync(path.dirname(copy), { recursive: true });
  fs.writeFileSync(copy, served.map(({ doc }) => doc.toString()).join('---\n'));
  return copy;
}
