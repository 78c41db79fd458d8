import { DestinationRuleSpec } from '../../../imports/networking.istio.io';
import { ServiceModel, VersionModel } from '../../model/service-model';
import { backendPortOf, gatewayApiNames } from './names';

/** A per-version Service's spec (core v1), keys in the output's order. */
export interface VersionServiceSpec {
  readonly ports: Array<{ port: number; targetPort: number | string }>;
  readonly selector: Record<string, string>;
}

/**
 * HTTPRoute backends are Services, so each version gets one: the service's
 * port forwarded to the same pod port as the service's own Service, selecting
 * the workload's labels plus the version's. Without declared workload labels
 * the selector starts from `app: <service>`, so that `version: v1` alone never
 * selects another service's v1 pods (a DestinationRule subset only ever
 * narrows its Service's own endpoints; a Service selects across the namespace).
 */
export function renderVersionService(model: ServiceModel, version: VersionModel): VersionServiceSpec {
  return {
    ports: [{ port: backendPortOf(model), targetPort: model.targetPort! }],
    selector: { ...workloadSelectorOf(model), ...version.labels },
  };
}

export function workloadSelectorOf(model: ServiceModel): Readonly<Record<string, string>> {
  return model.security.workloadSelector ?? { app: model.name };
}

/**
 * The DestinationRule of a version's host, where the service or the version
 * declares a policy: the version's effective policy, which for a subset is
 * the service's with the version's blocks taking their place whole.
 */
export function renderVersionDestinationRule(model: ServiceModel, version: VersionModel): DestinationRuleSpec | undefined {
  if (!model.trafficPolicy && !version.trafficPolicy) return undefined;
  // Keys in the output's (sorted) order.
  const trafficPolicy = sortedKeys({ ...model.trafficPolicy, ...(version.trafficPolicy as object) });
  return { host: gatewayApiNames.version(model, version.name), trafficPolicy };
}

function sortedKeys<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))) as T;
}
