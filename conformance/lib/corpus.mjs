// Phase "corpus": the differential test. Every case of <corpus>/{valid,invalid}/
// gets three verdicts (ours, istioctl, the API server's dry-run); see
// corpus-verdicts.mjs for what must agree.
import fs from 'node:fs';
import path from 'node:path';
import { mapConcurrently } from './concurrency.mjs';
import { judgeCases } from './corpus-verdicts.mjs';
import { istioctlValidate } from './istioctl.mjs';
import { assertApiserverReachable, DRY_RUN_APPLY, kubectl } from './kubectl.mjs';
import { info, rel } from './log.mjs';
import { runOurValidator, runOurValidatorOnAll } from './our-validator.mjs';
import { phase } from './report.mjs';
import { loadStricter } from './stricter.mjs';
import { printVerdictTable } from './verdict-table.mjs';
import { listYamlFiles } from './yaml-files.mjs';

export async function checkCorpus({ api, istioctl, ourValidator, options, summary }) {
  const { corpusDir, jobs } = options;
  if (!fs.existsSync(corpusDir)) {
    const msg = `corpus dir ${rel(corpusDir)} not found`;
    if (options.corpusExplicit) summary.failures.push(`corpus: ${msg}`);
    else summary.notes.push(`${msg}: differential phase skipped`);
    info(`  ${msg}: skipped`);
    return;
  }
  const cases = listCases(corpusDir);
  if (!cases.length) {
    summary.failures.push(`corpus: no cases in ${rel(corpusDir)}/{valid,invalid}/*.yaml`);
    return;
  }
  const stricter = loadStricter(options.stricterFile, options.stricterExplicit);
  info(`  ${cases.length} case(s) from ${rel(corpusDir)}`);

  await phase('corpus: API server dry-run per case', () =>
    mapConcurrently(cases, jobs, async (c) => {
      const r = await kubectl(api, [...DRY_RUN_APPLY, '-f', c.file]);
      assertApiserverReachable(r);
      c.api = r.code === 0 ? 'accept' : 'reject';
      c.apiMsg = r.code === 0 ? '' : mostTellingLine(r.stderr || r.stdout);
    }));
  await phase('corpus: istioctl validate per case', () =>
    mapConcurrently(cases, jobs, async (c) => {
      const r = await istioctlValidate(istioctl, [c.file]);
      c.istioctl = r.code === 0 ? 'accept' : 'reject';
      c.istioctlMsg = r.code === 0 ? '' : mostTellingLine(r.stderr || r.stdout);
    }));
  await phase('corpus: our validator per case', async () => {
    const record = (c, { verdict, exitCode, output }) => {
      c.ours = verdict === 'error' ? `error(${exitCode})` : verdict;
      c.oursExitCode = exitCode;
      c.oursMsg = exitCode === 0 ? '' : mostTellingLine(output);
    };
    if (ourValidator.batch) {
      const results = await runOurValidatorOnAll(ourValidator, cases.map((c) => c.file));
      cases.forEach((c, i) => record(c, results[i]));
      return;
    }
    const judge = async (c) => record(c, await runOurValidator(ourValidator, c.file));
    // The first case alone: a rebuild that the validator may do on its first
    // run then happens once, not in parallel runs racing on the same output.
    await judge(cases[0]);
    await mapConcurrently(cases.slice(1), jobs, judge);
  });

  const failures = judgeCases(cases, stricter, rel(options.stricterFile));
  printVerdictTable(cases, options.verbose);
  if (failures.length) {
    for (const f of failures) summary.failures.push(`corpus: ${f}`);
  } else {
    summary.passed.push(`corpus (${cases.length} cases)`);
  }
}

/** One case per file; `id` is its path relative to the corpus dir, as in stricter.yaml. */
function listCases(corpusDir) {
  const cases = [];
  for (const [folder, expected] of [['valid', 'accept'], ['invalid', 'reject']]) {
    const dir = path.join(corpusDir, folder);
    if (!fs.existsSync(dir)) continue;
    for (const file of listYamlFiles(dir)) cases.push({ file, id: path.relative(corpusDir, file), expected });
  }
  return cases;
}

/** The most telling line of a tool's complaint: the first error line, else the first line. */
function mostTellingLine(output) {
  const lines = String(output)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^Error: \d+ errors? occurred:$/.test(l))
    .map((l) => l.replace(/^\* /, ''));
  return lines.find((l) => /\berror\b/i.test(l)) ?? lines[0] ?? '';
}
