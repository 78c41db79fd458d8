import { HttpMatchJson } from '../match/request-match';
import { Caller } from '../policies/caller';
import { buildTrafficModel, explainRequest } from '../traffic';
import { RequestSource } from '../traffic/request';
import { ServiceModel } from './service-model';

/**
 * Asks the traffic model what happens to each route's own requests, sent by
 * an allowed caller, once the objects are rendered: a route whose requests
 * the service's own policies refuse (an AuthorizationPolicy that checks a
 * path the workload never receives, say) is broken whatever validators say.
 */
export function ownTrafficProblems(model: ServiceModel, objects: readonly object[]): string[] {
  const callers = model.security.allowedCallers;
  if (!callers || callers.length === 0) return [];
  const traffic = buildTrafficModel(objects);
  const source = sourceOf(callers[0]);
  const problems: string[] = [];
  for (const route of model.routes) {
    if (route.isDefault) continue;
    for (const match of route.matches) {
      const json = match.toJson();
      const path = samplePath(json);
      if (path === undefined) continue;
      const explanation = explainRequest(traffic, {
        // A short host needs its namespace to be found from the caller's; an FQDN stands as it is.
        host: model.host.includes('.') ? model.host : `${model.host}.${model.namespace}`,
        port: route.port,
        from: source,
        method: json.method && 'exact' in json.method ? json.method.exact : 'POST',
        path,
        headers: sampleHeaders(json),
      });
      if (explanation.rule !== route.name || explanation.status === 200) continue;
      problems.push(`route "${route.name}": its own requests are refused (${explanation.status}): ${explanation.authorization.reason} (probed ${explanation.received?.path ?? path} from ${describe(source)})`);
      break;
    }
  }
  return problems;
}

function sourceOf(caller: Caller): RequestSource {
  const principal = caller.source.principals?.[0];
  if (principal) {
    const [, , namespace, , serviceAccount] = principal.split('/');
    return { kind: 'sidecar', namespace, serviceAccount };
  }
  return { kind: 'sidecar', namespace: caller.source.namespaces![0], serviceAccount: 'default' };
}

/** A path the match takes: the exact path, or the prefix itself; none for a regex. */
function samplePath(match: HttpMatchJson): string | undefined {
  if (!match.uri) return '/';
  if ('exact' in match.uri) return match.uri.exact;
  if ('prefix' in match.uri) return match.uri.prefix;
  return undefined;
}

function sampleHeaders(match: HttpMatchJson): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, condition] of Object.entries(match.headers ?? {})) {
    if ('exact' in condition) headers[name] = condition.exact;
    else if ('prefix' in condition) headers[name] = condition.prefix;
  }
  return headers;
}

function describe(source: RequestSource): string {
  return source.kind === 'sidecar' ? `${source.namespace}/${source.serviceAccount}` : source.gateway;
}
