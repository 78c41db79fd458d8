import { ServiceView } from '../traffic-view';
import { Change } from './change';

/**
 * Adapter shares inside the service's pools (llm-d InferenceModelRewrites),
 * per requested model: `adapters of support in pool llama-3-1-8b:
 * support-v2 10% → 25%`. A share that moves is a weight change, for review.
 */
export function diffAdapters(before: ServiceView, after: ServiceView): Change[] {
  const sharesOf = (view: ServiceView) => {
    const shares = new Map<string, Map<string, number>>();
    for (const pool of view.pools ?? []) {
      for (const { model, shares: adapters } of pool.adapters) shares.set(`adapters of ${model} in ${pool.version}`, new Map(adapters.map((s) => [s.version, s.percent])));
    }
    return shares;
  };
  const was = sharesOf(before);
  const now = sharesOf(after);
  const changes: Change[] = [];
  for (const route of [...new Set([...was.keys(), ...now.keys()])].sort()) {
    const b = was.get(route) ?? new Map<string, number>();
    const a = now.get(route) ?? new Map<string, number>();
    for (const adapter of [...new Set([...b.keys(), ...a.keys()])].sort()) {
      const from = b.get(adapter) ?? 0;
      const to = a.get(adapter) ?? 0;
      if (from !== to) changes.push({ kind: 'weight', route, version: adapter, before: from, after: to, risk: 'review', message: `${route}: ${adapter} ${from}% → ${to}%` });
    }
  }
  return changes;
}
