import { DestinationRuleSpec, DestinationRuleSpecSubsetsTrafficPolicy } from '../../imports/networking.istio.io';
import { ServiceModel } from '../model/service-model';

/** One subset per version; Istio's automatic mTLS unless the service chose a TLS mode. */
export function renderDestinationRule(model: ServiceModel): DestinationRuleSpec {
  return {
    host: model.host,
    ...(model.trafficPolicy && { trafficPolicy: model.trafficPolicy }),
    subsets: model.versions.map((version) => ({
      name: version.name,
      labels: { ...version.labels },
      // Subset and service policies share one schema; the generated types differ only by name.
      ...(version.trafficPolicy && { trafficPolicy: version.trafficPolicy as unknown as DestinationRuleSpecSubsetsTrafficPolicy }),
    })),
  };
}
