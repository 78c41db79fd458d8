import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutputFile } from '../synth/collect';
import { parseAll } from '../synth/removed-versions';
import { ReleaseBook } from './release-book';
import { ReleasePlan } from './release-plan';

type Json = Record<string, any>;

/**
 * A release that the output directory shows under way, but that the
 * releases file no longer records (the file or its entry deleted), would
 * silently restart at step 0: all traffic back to `from`, and the next
 * promote from the first step. Refused: a rule the release renders at step 0
 * (everything to `from`) that gave `to` a share in the output directory
 * (what the cluster runs) means a recorded position was lost.
 */
export function unrecordedReleaseProblems(book: ReleaseBook, outdir: string, files: readonly OutputFile[]): string[] {
  const problems: string[] = [];
  for (const [service, plan] of book.releases) {
    if (book.recorded[service]) continue;
    const file = files.find((f) => f.objects.some((o) => isVirtualServiceOf(o.json, service)));
    const previousPath = file && join(outdir, file.path);
    if (!file || !previousPath || !existsSync(previousPath)) continue;
    const now = file.objects.find((o) => isVirtualServiceOf(o.json, service))!.json;
    const before = parseAll(readFileSync(previousPath, 'utf8')).find((o) => isVirtualServiceOf(o, service));
    for (const [rule, share] of lostShares(plan, before, now)) {
      problems.push(`${book.source}: ${service}: has no entry, but ${previousPath} gives ${plan.to} ${share}% on rule "${rule}": the release ${plan.from} → ${plan.to} ` +
        `was under way, and without its entry it would restart at step 0 (all to ${plan.from}); restore the entry (e.g. git checkout -- ${book.source})`);
    }
  }
  return problems;
}

/** Rules that now send everything to `from` and before gave `to` a share: [rule name, `to`'s share before]. */
function lostShares(plan: ReleasePlan, before: Json | undefined, now: Json): Array<[string, number]> {
  const previous = new Map<string, Json>((before?.spec?.http ?? []).map((rule: Json) => [rule.name, rule]));
  const lost: Array<[string, number]> = [];
  for (const rule of now.spec?.http ?? []) {
    const route = rule.route ?? [];
    if (route.length !== 1 || route[0].destination?.subset !== plan.from) continue;
    const share = shareOf(previous.get(rule.name), plan.to);
    if (share > 0) lost.push([rule.name, share]);
  }
  return lost;
}

/** The share of the rule's traffic that goes to `subset`, in percent. */
function shareOf(rule: Json | undefined, subset: string): number {
  const route: Json[] = rule?.route ?? [];
  if (route.length === 1) return route[0].destination?.subset === subset ? 100 : 0;
  return route.filter((r) => r.destination?.subset === subset).reduce((sum, r) => sum + (r.weight ?? 0), 0);
}

function isVirtualServiceOf(object: Json, service: string): boolean {
  return object.kind === 'VirtualService' && `${object.metadata?.namespace}/${object.metadata?.name}` === service;
}
