import { CORE_SCHEMA, Type } from 'js-yaml';
import type { ScalarTag, Tags } from 'yaml';

/**
 * kubectl reads YAML as YAML 1.1 (sigs.k8s.io/yaml, go-yaml v2): an unquoted `on`, `yes`, `y`, `off`, `no`
 * or `n` is a boolean there, and the API server then refuses it where a string belongs (`expected string`).
 * The YAML 1.2 core schema reads them as strings. These readers take booleans as kubectl does, the rest as
 * the core schema (go-yaml v2 reads timestamps into strings too; it reads `0777` as octal 511, left as 777
 * here). Synth's own output is safe either way: js-yaml's dump quotes such strings.
 */
const TRUE = ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'];
const FALSE = ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'];
const BOOLEAN = new Set([...TRUE, ...FALSE]);
const BOOLEAN_TEST = new RegExp(`^(?:${[...BOOLEAN].join('|')})$`);

/** For js-yaml: the core schema with go-yaml v2's booleans (it replaces the core bool type, same tag). */
export const KUBECTL_JS_YAML_SCHEMA = CORE_SCHEMA.extend({
  implicit: [new Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: (data: string) => BOOLEAN.has(data),
    construct: (data: string) => TRUE.includes(data),
    predicate: (value: unknown) => typeof value === 'boolean',
    represent: (value: object) => String(value),
  })],
});

/** For the `yaml` library (`customTags`): its core tags, with go-yaml v2's booleans. */
export function kubectlTags(tags: Tags): Tags {
  return tags.map((tag) => (typeof tag === 'object' && tag.tag === 'tag:yaml.org,2002:bool' && 'test' in tag
    ? ({ ...tag, test: BOOLEAN_TEST, resolve: (text: string) => TRUE.includes(text) } as ScalarTag)
    : tag));
}
