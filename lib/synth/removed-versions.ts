import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { OutputFile } from './collect';

type Json = Record<string, any>;

/**
 * Make-before-break for removing a version. Argo CD applies the
 * DestinationRule (sync wave -1) before the VirtualService, which is right
 * for adding a subset and wrong for removing one: the old routes would point
 * at a subset that is gone (503, no cluster) until the new VirtualService
 * lands; Flux applies both at once, with the same race. So a version may
 * leave the DestinationRule only once the routes already in the output
 * directory (what the cluster runs) send it nothing: first `idle: true`,
 * apply, then remove it.
 */
export function removedVersionProblems(outdir: string, files: readonly OutputFile[], rendered: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  // A first synth has nothing to compare with (and 10,000 lookups of missing files are not free).
  if (!existsSync(outdir)) return problems;
  for (const file of files) {
    const previousPath = join(outdir, file.path);
    if (!existsSync(previousPath)) continue;
    const text = readFileSync(previousPath, 'utf8');
    // Most files do not change between two synths: only a changed one can have lost a subset.
    if (text === rendered.get(file.path)) continue;
    const previous = parseAll(text);
    problems.push(...removedBackendProblems(file, previous, previousPath));
    for (const rule of file.objects.filter((o) => o.json.kind === 'DestinationRule')) {
      const name = rule.json.metadata?.name;
      const before = previous.find((o) => o.kind === 'DestinationRule' && o.metadata?.name === name);
      if (!before) continue;
      const now = new Set((rule.json.spec?.subsets ?? []).map((s: Json) => s.name));
      const routed = routedSubsets(previous, before.spec?.host);
      for (const subset of before.spec?.subsets ?? []) {
        if (now.has(subset.name) || !routed.has(subset.name)) continue;
        problems.push(`${rule.constructPath}: version "${subset.name}" is removed while the VirtualService in ${previousPath} still routes to it; applied together, requests would reach a subset that no longer exists (503). Keep it with idle: true and no route first, apply that, then remove it`);
      }
    }
  }
  return problems;
}

/**
 * The same for the Gateway API output: a version's Service may leave only
 * once the file's HTTPRoutes (what the cluster runs) send it nothing; Istio
 * answers 500 for a backendRef whose Service is gone.
 */
function removedBackendProblems(file: OutputFile, previous: readonly Json[], previousPath: string): string[] {
  const now = new Set(file.objects.filter((o) => o.json.kind === 'Service').map((o) => o.json.metadata?.name));
  const routed = routedBackends(previous);
  const where = file.objects.find((o) => o.json.kind === 'HTTPRoute') ?? file.objects[0];
  return previous
    .filter((o) => o.kind === 'Service' && !now.has(o.metadata?.name) && routed.has(o.metadata?.name))
    .map((o) => `${where?.constructPath.replace(/\/[^/]*$/, '')}: the Service "${o.metadata.name}" of a removed version is gone while the HTTPRoute in ${previousPath} still routes to it; applied together, requests would reach a backend that no longer exists (500). Keep the version with idle: true and no route first, apply that, then remove it`);
}

/** Services the file's HTTPRoutes send traffic (weight above 0) or mirror to. */
function routedBackends(objects: readonly Json[]): Set<string> {
  const names = new Set<string>();
  for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) {
    for (const rule of route.spec?.rules ?? []) {
      const refs: Json[] = rule.backendRefs ?? [];
      for (const ref of refs) if (refs.length === 1 || (ref.weight ?? 1) > 0) names.add(ref.name);
      for (const filter of rule.filters ?? []) if (filter.requestMirror) names.add(filter.requestMirror.backendRef?.name);
    }
  }
  return names;
}

/** Subsets of `host` that the file's VirtualServices route or mirror to. */
function routedSubsets(objects: readonly Json[], host: string | undefined): Set<string> {
  const subsets = new Set<string>();
  for (const vs of objects.filter((o) => o.kind === 'VirtualService')) {
    for (const rule of vs.spec?.http ?? []) {
      const destinations = [
        ...(rule.route ?? []).filter((r: Json) => r.weight === undefined || r.weight > 0 || (rule.route ?? []).length === 1).map((r: Json) => r.destination),
        rule.mirror,
        ...(rule.mirrors ?? []).map((m: Json) => m.destination),
      ];
      for (const d of destinations) if (d?.host === host && d.subset) subsets.add(d.subset);
    }
  }
  return subsets;
}

/** The objects of a YAML file in the output directory; none when it does not parse. */
export function parseAll(text: string): Json[] {
  const docs: Json[] = [];
  try {
    loadAll(text, (doc) => {
      if (doc && typeof doc === 'object') docs.push(doc as Json);
    });
  } catch {
    // A file we cannot read was not written by us: nothing to compare with.
  }
  return docs;
}
