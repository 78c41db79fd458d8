export type { RequestSource, TrafficRequest } from './request';
export type { Explanation, ExplainedDestination, ExplainedMirror, ExplainedAuthorization } from './explanation';
export { buildTrafficModel } from './traffic-model';
export type { TrafficModel } from './traffic-model';
export { explainRequest } from './explain';
export { loadTrafficModel } from './load';
