/** Kubernetes label syntax as checked by Istio's labels.Instance.Validate. */

const QUALIFIED_NAME = /^(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= 63 && QUALIFIED_NAME.test(name);
}

function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

export interface LabelProblem {
  readonly key: string;
  readonly message: string;
}

/** One problem per bad key and per bad value, with Istio's messages. */
export function labelProblems(labels: unknown): LabelProblem[] {
  if (!labels || typeof labels !== 'object') return [];
  const problems: LabelProblem[] = [];
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    if (!isLabelKey(key)) problems.push({ key, message: `invalid tag key: "${key}"` });
    const text = value === null || value === undefined ? '' : String(value);
    if (!isLabelValue(text)) problems.push({ key, message: `invalid tag value: "${text}"` });
  }
  return problems;
}
