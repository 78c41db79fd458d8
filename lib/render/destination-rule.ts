import { DestinationRuleSpec, DestinationRuleSpecSubsetsTrafficPolicy } from '../../imports/networking.istio.io';
import { ServiceModel } from '../model/service-model';

/** One subset per version; Istio's automatic mTLS unless the service chose a TLS mode. */
export function renderDestinationRule(model: ServiceModel): DestinationRuleSpec {
  // Keys in the output's (sorted) order, so that synthesis keeps these objects as they are.
  return {
    host: model.host,
    subsets: model.versions.map((version) => ({
      labels: { ...version.labels },
      name: version.name,
      // Subset and service policies share one schema; the generated types differ only by name.
      ...(version.trafficPolicy && { trafficPolicy: version.trafficPolicy as unknown as DestinationRuleSpecSubsetsTrafficPolicy }),
    })),
    ...(model.trafficPolicy && { trafficPolicy: model.trafficPolicy }),
  };
}
