import { ANY_CALLER, ANY_PATH, PoolView, RouteView, ServiceView, VersionSecurity } from '../traffic-view';
import { label } from './mermaid-text';

/**
 * A Mermaid flowchart of one service: entry points (the mesh, gateways)
 * → the service and its hosts → its rules in evaluation order with their
 * conditions → versions with each rule's share; mirrors are dashed edges;
 * rewrites, timeouts and faults are noted on the rule, mTLS and
 * authorization on the version.
 */
export function serviceFlowchart(view: ServiceView): string {
  const lines = ['flowchart LR'];
  view.gateways.forEach((gateway, i) => {
    lines.push(`  entry${i}([${label([gateway === 'mesh' ? 'mesh (sidecars)' : `gateway ${gateway}`])}])`);
  });
  lines.push(`  service[${label([view.service, ...view.hosts])}]`);
  view.gateways.forEach((_, i) => lines.push(`  entry${i} --> service`));
  const versionIds = new Map(view.versions.map((v, i) => [v, `version${i}`]));
  const security = new Map(view.security.map((s) => [s.version, s]));
  view.routes.forEach((route, i) => {
    lines.push(`  rule${i}[${label(ruleLines(route, i))}]`);
    lines.push(`  service --> rule${i}`);
    for (const share of route.destinations) lines.push(`  rule${i} -->|${label([`${share.percent}%`])}| ${versionIds.get(share.version)}`);
    for (const mirror of route.mirrors) lines.push(`  rule${i} -.->|${label([`mirror ${mirror.percent}%`])}| ${versionIds.get(mirror.version)}`);
  });
  const pools = new Map((view.pools ?? []).map((p) => [p.version, p]));
  view.versions.forEach((version) => lines.push(`  ${versionIds.get(version)}(${label([...versionLines(version, security.get(version)), ...poolLines(pools.get(version))])})`));
  return `${lines.join('\n')}\n`;
}

function ruleLines(route: RouteView, index: number): string[] {
  const lines = [`${index + 1}. ${route.label}`];
  if (route.name !== undefined) lines.push(`rule ${route.name}`);
  if (route.action) lines.push(route.action);
  if (route.rewrite) lines.push(`rewrite ${route.rewrite}`);
  if (route.timeout) lines.push(`timeout ${route.timeout}`);
  if (route.fault) lines.push(`fault: ${route.fault}`);
  if (route.picker) lines.push(`picker ${route.picker}`);
  return lines;
}

/** A pool's picker, and per requested model the shares of its adapters. */
function poolLines(pool: PoolView | undefined): string[] {
  if (!pool) return [];
  return [`picker ${pool.picker}`, ...pool.adapters.map((a) => `${a.model}: ${a.shares.map((s) => `${s.version} ${s.percent}%`).join(', ')}`)];
}

function versionLines(version: string, security: VersionSecurity | undefined): string[] {
  if (!security) return [version];
  const lines = [version, `mTLS ${security.mtls}`];
  // An ALLOW policy without rules admits nobody: no caller, no path.
  if (!security.callers.includes(ANY_CALLER)) lines.push(`callers: ${security.callers.join(', ') || 'none'}`);
  if (!security.paths.includes(ANY_PATH)) lines.push(`paths: ${security.paths.join(', ') || 'none'}`);
  if (security.denyPolicies.length) lines.push(`DENY: ${security.denyPolicies.join(', ')}`);
  return lines;
}
