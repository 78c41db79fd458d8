// Types of gateway-api-crd-defaults.mjs (plain JavaScript: the import script runs it as is).
export interface DefaultsTree {
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, DefaultsTree>>;
  readonly items?: DefaultsTree;
}
export function defaultsTree(schema: unknown): DefaultsTree | undefined;
export function crdDefaults(schemaFile: unknown): { source: unknown; defaults: Record<string, DefaultsTree> };
