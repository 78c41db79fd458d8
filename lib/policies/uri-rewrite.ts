import { UserError } from '../errors';

/**
 * Rewrites the matched part of the path before it reaches the model server.
 * With a prefix match, only the prefix is replaced; with an exact match, the
 * whole path is. The model-protocol helpers name one endpoint, so they need
 * exact matches (checked at synth).
 */
export class UriRewrite {
  public static to(uri: string): UriRewrite {
    if (!uri.startsWith('/')) throw new UserError(`UriRewrite.to: uri must start with "/", received "${uri}"`);
    return new UriRewrite(uri, false, `UriRewrite.to("${uri}")`);
  }

  /** KServe v1 protocol: `/v1/models/<model>:predict`. */
  public static kserveV1(model: string): UriRewrite {
    return new UriRewrite(`/v1/models/${checkModelName(model)}:predict`, true, `UriRewrite.kserveV1("${model}")`);
  }

  /** Open Inference Protocol (KServe v2, Triton): `/v2/models/<model>/infer`. */
  public static openInferenceV2(model: string, version?: string): UriRewrite {
    const versioned = version === undefined ? '' : `/versions/${checkModelName(version)}`;
    return new UriRewrite(`/v2/models/${checkModelName(model)}${versioned}/infer`, true, `UriRewrite.openInferenceV2("${model}")`);
  }

  private constructor(
    public readonly uri: string,
    /** The rewrite names one endpoint: only an exact path may be rewritten to it. */
    public readonly replacesWholePath: boolean,
    private readonly declaration: string,
  ) {}

  /** How the user wrote it, for messages. */
  public describe(): string {
    return this.declaration;
  }
}

function checkModelName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new UserError(`UriRewrite: model name must be letters, digits, '.', '_' or '-', received "${name}"`);
  }
  return name;
}
