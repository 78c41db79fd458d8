import { UserError } from '../errors';
import { checkLabelName } from '../values/names';

/**
 * What the gateway does when the endpoint picker cannot be reached. Stated
 * on every pool (no default): FailOpen sends the request on with Envoy's own
 * load balancing, so an outage of the picker quietly turns model-aware
 * routing off; FailClose refuses the request.
 */
export enum FailureMode {
  /** The gateway answers an error while the picker is down (the Inference Extension's default). */
  FAIL_CLOSE = 'FailClose',
  /** The gateway routes without the picker while it is down. */
  FAIL_OPEN = 'FailOpen',
}

export interface EndpointPickerOptions {
  /** The port of the picker's ext_proc (gRPC) service, e.g. 9002. */
  readonly port: number;
  /** Stated explicitly: see FailureMode. */
  readonly failureMode: FailureMode;
}

/**
 * A pool's endpoint picker (EPP): the ext_proc server that chooses the pod
 * for each request by queue depth, KV-cache use and loaded adapters. Istio
 * accepts a Kubernetes Service in the pool's own namespace only.
 */
export class EndpointPicker {
  public static service(name: string, options: EndpointPickerOptions): EndpointPicker {
    checkLabelName('EndpointPicker.service: name', name);
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw new UserError(`EndpointPicker.service: port must be a whole number from 1 to 65535, received ${options.port}`);
    }
    const modes = Object.values(FailureMode) as string[];
    if (!modes.includes(options.failureMode)) {
      throw new UserError(`EndpointPicker.service: failureMode must be FailureMode.FAIL_CLOSE or FailureMode.FAIL_OPEN, received ${JSON.stringify(options.failureMode)}`);
    }
    return new EndpointPicker(name, options.port, options.failureMode);
  }

  private constructor(public readonly service: string, public readonly port: number, public readonly failureMode: FailureMode) {}
}
