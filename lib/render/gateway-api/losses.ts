import { RuleModel, ServiceModel } from '../../model/service-model';
import { GATEWAY_API_MAPPINGS, GatewayApiMappingId } from './mappings';
import { ISTIO_GATEWAY_RETRY_ON } from './http-route';
import { DNS1035_LABEL, gatewayApiNames, parentServiceOf } from './names';
import { precedenceInversions } from './precedence';

/** What every refusal ends with. */
export const GATEWAY_API_REMEDY = "set api: 'istio' on this service";

/** HTTPRoute `method` values (the Gateway API's enum). */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/** An HTTPRoute holds at most 16 rules (the CRD's maxItems). */
const MAX_RULES = 16;

const IANA_SERVICE_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;

/**
 * The loss report: every declared option the Gateway API output cannot
 * write so that Istio routes as the VirtualService does, one line each, as
 * `<where>: <option> <why>, received <value>; set api: 'istio' on this
 * service`. The reasons are those of GATEWAY_API_MAPPINGS. Nothing the
 * output cannot express is written anyway, or dropped.
 */
export function gatewayApiLosses(model: ServiceModel): string[] {
  const problems: string[] = [];
  const refuse: Refuse = (where, id, field, rule, value, alternative) =>
    problems.push(`${where}${field} ${rule} (${GATEWAY_API_MAPPINGS[id].output}), received ${value}; ${alternative ? `${alternative} or ` : ''}${GATEWAY_API_REMEDY}`);

  if (parentServiceOf(model) === undefined) {
    refuse('', 'host', 'host', 'must name a Kubernetes Service of the namespace (a short name or name.namespace.svc.<domain>) for the Gateway API output', `"${model.host}"`);
  }
  if (model.targetPort === undefined) {
    refuse('', 'targetPort', 'targetPort', 'must be set for the Gateway API output: the container port the Service forwards to', 'none', 'set targetPort');
  } else if (!validTargetPort(model.targetPort)) {
    problems.push(`targetPort must be a port number (1 to 65535) or a container port name (an IANA service name), received ${JSON.stringify(model.targetPort)}`);
  }
  for (const version of model.versions) {
    const name = gatewayApiNames.version(model, version.name);
    if (name.length > 63 || !DNS1035_LABEL.test(name)) {
      problems.push(`version "${version.name}": its Service name "${name}" (<service>-<version>) must be a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, at most 63 characters) for the Gateway API output, received "${name}"; rename the version or ${GATEWAY_API_REMEDY}`);
    }
  }
  if (model.rules.length > MAX_RULES) refuse('', 'tooManyRules', 'routes', `must make at most ${MAX_RULES} rules for the Gateway API output`, `${model.rules.length} rules`);
  for (const rule of model.rules) ruleLosses(model, rule, refuse);
  for (const { earlier, later } of precedenceInversions(model.rules)) {
    refuse(`${whereOf(later)}: `, 'routeOrder', `rule "${later.name}"`, `must not take requests that rule "${earlier.name}", declared before it, takes`, `rule "${later.name}" first by precedence`, 'reorder or narrow the routes');
  }
  return [...new Set(problems)];
}

/** Reports one loss: where, which table entry, the field as declared, the rule it breaks, the value, and a way out other than the Istio API. */
type Refuse = (where: string, id: GatewayApiMappingId, field: string, rule: string, value: string, alternative?: string) => void;

function ruleLosses(model: ServiceModel, rule: RuleModel, refuse: Refuse): void {
  const where = `${whereOf(rule)}: `;
  if (rule.fault) refuse(where, 'fault', 'fault', 'has no Gateway API equivalent', JSON.stringify(rule.fault.toJson('fault')));
  if (rule.port !== model.port) refuse(where, 'routePort', 'port', 'must be the service\'s port in the Gateway API output', `${rule.port} (the service's: ${model.port ?? 'none'})`);
  for (const match of rule.matches) {
    const json = match.toJson();
    if (json.uri && 'prefix' in json.uri && json.uri.prefix !== '/') {
      const segments = json.uri.prefix.replace(/\/$/, '');
      refuse(where, 'uriPrefix', 'match uri prefix', 'has no Gateway API equivalent', `"${json.uri.prefix}"`, `use RequestMatch.pathPrefix("${segments}") (whole segments, in both APIs)`);
    }
    if (json.method && 'exact' in json.method && !METHODS.has(json.method.exact)) refuse(where, 'method', 'match method', 'must be one the Gateway API lists', `"${json.method.exact}"`);
    for (const [field, conditions] of [['headers', json.headers], ['queryParams', json.queryParams]] as const) {
      for (const [name, condition] of Object.entries(conditions ?? {})) {
        const value = (condition as { exact?: string; regex?: string }).exact ?? (condition as { regex?: string }).regex;
        if (value === '') refuse(where, 'emptyMatchValue', `match ${field} "${name}"`, 'must not be empty in the Gateway API output', JSON.stringify(condition));
      }
    }
  }
  if (rule.rewrite && !(rule.matches.length > 0 && rule.matches.every((m) => m.uri !== undefined && 'exact' in m.uri))) {
    refuse(where, 'rewritePrefix', 'rewrite', 'must apply to exact paths only in the Gateway API output', `${rule.rewrite.describe()} on ${rule.matches.map((m) => JSON.stringify(m.uri ?? 'any path')).join(', ') || 'any path'}`);
  }
  const retries = rule.retries;
  if (retries && retries.attempts > 0) {
    const beyond = retries.on.filter((condition) => !ISTIO_GATEWAY_RETRY_ON.has(condition));
    if (beyond.length) refuse(where, 'retryOn', 'retries.on', 'has no Gateway API equivalent', beyond.join(','));
    if (retries.perTryTimeout) refuse(where, 'perTryTimeout', 'retries.perTryTimeout', 'has no Gateway API equivalent', `${retries.perTryTimeout.toMilliseconds()}ms`);
    const low = retries.statusCodes.filter((code) => code < 400);
    if (low.length) refuse(where, 'retryCodes', 'retries.statusCodes', 'must be 400 to 599 in the Gateway API output', low.join(','));
  }
}

function whereOf(rule: RuleModel): string {
  return rule.route === 'default' ? 'default route' : `route "${rule.route}"`;
}

function validTargetPort(port: number | string): boolean {
  if (typeof port === 'number') return Number.isInteger(port) && port >= 1 && port <= 65535;
  return port.length <= 15 && IANA_SERVICE_NAME.test(port);
}
