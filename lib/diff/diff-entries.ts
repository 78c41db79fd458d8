import { ServiceView } from '../traffic-view';
import { matchKey, matchLabel } from '../traffic-view/match-label';
import { resolveGatewayName } from '../traffic/traffic-model';
import { Change } from './change';

/**
 * Where requests enter, per rule and per version: a rule that now takes
 * requests from a gateway it did not (a preview or fault-test rule once
 * kept to the mesh, by `mesh: false` or `testRulesFromGateways: true`), or a
 * version a gateway now reaches, is risky. A gateway new to the whole
 * VirtualService is diffExposure's change already.
 */
export function diffEntries(before: ServiceView, after: ServiceView): Change[] {
  const known = new Set(before.gateways);
  const changes: Change[] = [];
  // Same conditions (gateways included) on the same entries: no rule takes requests from anywhere new.
  const sameRules = sameList(before.gateways, after.gateways) && sameList(before.routes.map((r) => r.key), after.routes.map((r) => r.key));
  const rulesBefore = sameRules ? new Map() : ruleEntries(before);
  for (const [key, rule] of sameRules ? [] : ruleEntries(after)) {
    const was = rulesBefore.get(key);
    if (!was) continue;
    for (const entry of rule.entries) {
      if (was.entries.has(entry) || !known.has(entry)) continue;
      changes.push({
        kind: 'entry', route: rule.label, before: [...was.entries].sort(), after: [...rule.entries].sort(), risk: entry === 'mesh' ? 'review' : 'risky',
        message: `${rule.label}: now takes requests ${through(entry)} (was: ${[...was.entries].sort().map(through).join(', ') || 'none'})`,
      });
    }
  }
  const versionsBefore = versionEntries(before);
  for (const [version, entries] of versionEntries(after)) {
    const was = versionsBefore.get(version);
    if (!was) continue; // its first traffic: diffVersions' risky change already

    for (const entry of entries) {
      if (entry === 'mesh' || was.has(entry) || !known.has(entry)) continue;
      changes.push({ kind: 'entry', version, after: entry, risk: 'risky', message: `version ${version} now reachable ${through(entry)}` });
    }
  }
  return changes;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function through(entry: string): string {
  return entry === 'mesh' ? 'from the mesh (sidecars)' : `through gateway ${entry}`;
}

type Block = ServiceView['routes'][number]['conditions'][number];

/** Per rule, identified by its conditions without `gateways`: the entries (mesh, gateways) it takes requests from. */
function ruleEntries(view: ServiceView): Map<string, { label: string; entries: Set<string> }> {
  const rules = new Map<string, { label: string; entries: Set<string> }>();
  for (const route of view.routes) {
    const blocks = route.conditions.map(({ gateways: _g, ...rest }) => rest);
    const key = matchKey(blocks);
    const rule = rules.get(key) ?? { label: matchLabel(blocks), entries: new Set<string>() };
    for (const entry of entriesOf(view, route.conditions)) rule.entries.add(entry);
    rules.set(key, rule);
  }
  return rules;
}

/** Per version, the entries of every rule that sends it requests. */
function versionEntries(view: ServiceView): Map<string, Set<string>> {
  const versions = new Map<string, Set<string>>();
  for (const route of view.routes) {
    const entries = entriesOf(view, route.conditions);
    for (const share of route.destinations) {
      const set = versions.get(share.version) ?? new Set<string>();
      entries.forEach((e) => set.add(e));
      versions.set(share.version, set);
    }
  }
  return versions;
}

/** The VirtualService's entries a rule's match blocks admit: a block without `gateways` admits all of them. */
function entriesOf(view: ServiceView, conditions: readonly Block[]): string[] {
  if (!conditions.length) return [...view.gateways];
  const namespace = view.service.split('/')[0];
  return view.gateways.filter((entry) => conditions.some((block) =>
    !block.gateways?.length || block.gateways.some((g) => resolveGatewayName(g, namespace) === entry)));
}
