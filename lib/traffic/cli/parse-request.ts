import { UserError } from '../../errors';
import { RequestSource, TrafficRequest } from '../request';
import { TrafficModel } from '../traffic-model';

export interface ExplainOptions {
  readonly host: string;
  readonly port?: string;
  readonly gateway?: string;
  readonly from?: string;
  readonly method: string;
  readonly path: string;
  readonly header: readonly string[];
  readonly cookie: readonly string[];
}

/** The request the command line describes; mistakes name the option and the value received. */
export function requestFromOptions(options: ExplainOptions, model: TrafficModel): TrafficRequest {
  if (options.gateway !== undefined && options.from !== undefined) {
    throw new UserError(`--gateway and --from are exclusive: a request comes from one place, received --gateway ${options.gateway} and --from ${options.from}`);
  }
  if (!options.path.startsWith('/')) throw new UserError(`--path must start with "/", received "${options.path}"`);
  const port = options.port === undefined ? undefined : Number(options.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    throw new UserError(`--port must be a whole number from 1 to 65535, received "${options.port}"`);
  }
  return {
    host: options.host,
    port,
    from: sourceFrom(options, model),
    method: options.method,
    path: options.path,
    headers: pairs('--header', options.header),
    cookies: pairs('--cookie', options.cookie),
  };
}

function sourceFrom(options: ExplainOptions, model: TrafficModel): RequestSource {
  if (options.gateway !== undefined) {
    const [namespace, name, extra] = options.gateway.split('/');
    if (!namespace || !name || extra !== undefined) throw new UserError(`--gateway must be "namespace/name", received "${options.gateway}"`);
    return { kind: 'gateway', gateway: options.gateway };
  }
  if (options.from !== undefined) {
    const [namespace, serviceAccount, extra] = options.from.split('/');
    if (!namespace || !serviceAccount || extra !== undefined) {
      throw new UserError(`--from must be "namespace/serviceaccount", received "${options.from}"`);
    }
    return { kind: 'sidecar', namespace, serviceAccount };
  }
  return { kind: 'sidecar', namespace: defaultNamespace(options.host, model), serviceAccount: 'default' };
}

/**
 * Without --from, a sidecar in the namespace whose VirtualService serves the
 * short host (when exactly one does), else in `default`.
 */
function defaultNamespace(host: string, model: TrafficModel): string {
  if (host.includes('.')) return 'default';
  const namespaces = new Set(model.virtualServices
    .filter((vs) => vs.hosts.some((h) => h.startsWith(`${host.toLowerCase()}.`) && h.endsWith('.svc.cluster.local') && h.split('.').length === 5))
    .map((vs) => vs.namespace));
  return namespaces.size === 1 ? [...namespaces][0] : 'default';
}

function pairs(option: string, values: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0) throw new UserError(`${option} must be name=value, received "${value}"`);
    result[value.slice(0, at)] = value.slice(at + 1);
  }
  return result;
}

export function describeRequest(request: TrafficRequest): string {
  const from = request.from.kind === 'gateway' ? `gateway ${request.from.gateway}` : `a sidecar in ${request.from.namespace} (service account ${request.from.serviceAccount})`;
  return `${request.method ?? 'GET'} ${request.host}${request.port ? `:${request.port}` : ''}${request.path} from ${from}`;
}
