import { RequestMatch } from '../match/request-match';
import { StringMatch } from '../match/string-match';
import { RuleDraft, StrategyContext, TrafficStrategy } from './traffic-strategy';

export interface BlueGreenOptions {
  /** The version serving all live traffic. Switching is changing this one word. */
  readonly active: string;
  /**
   * The version reachable for smoke tests.
   * @default the other version, when the service has exactly two
   */
  readonly preview?: string;
  /**
   * Requests that reach the preview version.
   * @default header `x-preview: true`
   */
  readonly previewWhen?: RequestMatch;
}

export const DEFAULT_PREVIEW_MATCH = (): RequestMatch => RequestMatch.header('x-preview', StringMatch.exact('true'));

/** All traffic to the active version; the preview version only for requests that ask for it. */
export class BlueGreen extends TrafficStrategy {
  public constructor(private readonly options: BlueGreenOptions) {
    super();
  }

  public referencedVersions(context: StrategyContext): string[] {
    const preview = this.preview(context);
    return preview === undefined ? [this.options.active] : [this.options.active, preview];
  }

  public check(context: StrategyContext): string[] {
    if (this.preview(context) !== undefined) return [];
    return [`Strategy.blueGreen: preview must be given when the service does not have exactly two versions, received versions ${context.versions.join(', ')}`];
  }

  public rules(context: StrategyContext): RuleDraft[] {
    const preview = this.preview(context)!;
    return [
      { suffix: 'preview', when: this.options.previewWhen ?? DEFAULT_PREVIEW_MATCH(), destinations: [{ version: preview }], testOnly: true },
      { destinations: [{ version: this.options.active }] },
    ];
  }

  private preview(context: StrategyContext): string | undefined {
    if (this.options.preview !== undefined) return this.options.preview;
    const others = context.versions.filter((v) => v !== this.options.active);
    return context.versions.length === 2 && others.length === 1 ? others[0] : undefined;
  }
}
