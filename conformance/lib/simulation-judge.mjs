// The verdict of the simulation: for every request of every set, Envoy's answer (from the
// Go harness) against ours, each difference either documented (simulation-differences.yaml)
// or a disagreement. Pure: the phase (simulation.mjs) does the running and the printing.
import { compareAnswers } from './simulation-compare.mjs';
import { findDifference } from './simulation-differences.mjs';

/**
 * Our answers compared with Envoy's, request by request. `envoy`: set name -> the Go
 * harness's { error?, results }; `ours`: { buildTrafficModel, explainRequest }; `compare`:
 * (request, envoy, ours) -> differing fields (compareAnswers, or more).
 * Returns { judged, statuses, viaGateway, passthrough, disagreements, documented, skipped }.
 */
export function judgeSets(sets, envoy, ours, differences, compare = compareAnswers) {
  const outcome = { judged: 0, statuses: {}, viaGateway: 0, passthrough: 0, disagreements: [], documented: [], skipped: [] };
  for (const set of sets) {
    const theirs = envoy.get(set.name);
    if (!theirs || theirs.error) {
      outcome.skipped.push({ name: set.name, reason: `Istio's config generation cannot load it: ${theirs?.error ?? 'no result'}` });
      continue;
    }
    let model;
    try {
      model = ours.buildTrafficModel(set.objects);
    } catch (e) {
      outcome.disagreements.push({ group: set.group, set: set.name, error: `our simulator cannot load the set: ${e.message}` });
      continue;
    }
    set.requests.forEach((request, i) => {
      const e = theirs.results[i];
      if (e.error) {
        const doc = findDifference(differences, set.name, request, 'error');
        if (doc) outcome.documented.push({ set: set.name, request, field: 'error', reason: doc.entry.reason });
        else outcome.disagreements.push({ group: set.group, set: set.name, request, error: `harness: ${e.error}` });
        return;
      }
      outcome.judged += 1;
      outcome.statuses[e.status] = (outcome.statuses[e.status] ?? 0) + 1;
      if (request.from.kind === 'gateway' && e.status === 200) outcome.viaGateway += 1;
      if (e.envoy.virtualHost === 'allow_any') outcome.passthrough += 1;
      let answer;
      try {
        answer = ours.explainRequest(model, request);
      } catch (err) {
        outcome.disagreements.push({ group: set.group, set: set.name, request, envoy: e, error: `our simulator threw: ${err.message}` });
        return;
      }
      const diffs = compare(request, e, answer);
      const unlisted = diffs.filter((d) => {
        const doc = findDifference(differences, set.name, request, d.field);
        if (doc) outcome.documented.push({ set: set.name, request, field: d.field, reason: doc.entry.reason });
        return !doc;
      });
      if (unlisted.length) outcome.disagreements.push({ group: set.group, set: set.name, request, diffs: unlisted, envoy: e, ours: answer });
    });
  }
  return outcome;
}
