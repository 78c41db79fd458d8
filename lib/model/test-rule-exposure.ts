import { ServiceModel } from './service-model';

/**
 * Test rules (previews, fault tests) answer in-mesh callers only, unless
 * `testRulesFromGateways` opens them: a gateway caller must never opt into
 * an unreleased version or a fault. Where the VirtualService is bound to
 * gateways only (`mesh: false`), no rule can be kept to the mesh, so a
 * test rule there is refused rather than left open or silently dropped.
 */
export function testRuleExposureProblems(model: ServiceModel): string[] {
  const { exposure } = model;
  if (exposure.gateways.length === 0 || exposure.testRulesFromGateways) return [];
  const openByRoute = new Map<string, string[]>();
  for (const rule of model.rules) {
    if (!rule.test || rule.meshOnly) continue;
    openByRoute.set(rule.route, [...(openByRoute.get(rule.route) ?? []), rule.name]);
  }
  const where = (route: string) => (route === 'default' ? 'default route' : `route "${route}"`);
  return [...openByRoute].map(([route, names]) =>
    `${where(route)}: test rules (${names.join(', ')}) must answer in-mesh callers only, but the VirtualService is bound to gateways only (Exposure.ingress mesh: false), so the gateways' callers would reach them; set testRulesFromGateways: true if that is meant, received gateways ${exposure.gateways.join(', ')}`);
}
