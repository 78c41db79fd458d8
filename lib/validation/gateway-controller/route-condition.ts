/** A condition Istio's gateway controller writes in a route's status: its reason and message, worded as Istio words them. */
export interface RouteCondition {
  readonly reason: string;
  readonly message: string;
}
