/** Prometheus could not answer a gate query: the gate fails closed (no move, exit 1). */
export class GateUnavailable extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'GateUnavailable';
  }
}

const TIMEOUT_MS = 10_000;

/**
 * One instant query through Prometheus' HTTP API (`/api/v1/query`). Returns
 * the single sample's value (NaN when Prometheus computed NaN, e.g. 0/0),
 * or throws GateUnavailable when Prometheus is unreachable, answers an
 * error, or has no data for the query.
 */
export async function queryValue(prometheusUrl: string, query: string): Promise<number> {
  const url = `${prometheusUrl.replace(/\/+$/, '')}/api/v1/query?${new URLSearchParams({ query })}`;
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    body = await response.text();
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new GateUnavailable(`cannot reach Prometheus at ${prometheusUrl}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (!isApiAnswer(json)) {
    throw new GateUnavailable(`Prometheus at ${prometheusUrl} answered HTTP ${response.status} that is not its JSON API for ${query}: ${body.slice(0, 120)}`);
  }
  if (!response.ok || json.status !== 'success') {
    throw new GateUnavailable(`Prometheus at ${prometheusUrl} answered HTTP ${response.status} (${json.error ?? json.status}) for ${query}`);
  }
  const type = json.data?.resultType;
  if (type !== 'vector') throw new GateUnavailable(`Prometheus at ${prometheusUrl} answered a ${type ?? 'missing'} result where an instant vector was expected for ${query}`);
  const result = json.data?.result ?? [];
  if (result.length === 0) throw new GateUnavailable(`Prometheus at ${prometheusUrl} has no data for ${query}`);
  if (result.length > 1) throw new GateUnavailable(`Prometheus at ${prometheusUrl} answered ${result.length} series where one was expected for ${query}`);
  const sample = result[0].value?.[1];
  const value = sampleValue(sample);
  if (value === undefined) throw new GateUnavailable(`Prometheus at ${prometheusUrl} answered a sample that is not a number for ${query}: ${JSON.stringify(sample)}`);
  return value;
}

interface ApiAnswer {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: Array<{ value?: [number, unknown] }> };
}

function isApiAnswer(json: unknown): json is ApiAnswer {
  return json !== null && typeof json === 'object' && !Array.isArray(json);
}

/** Prometheus writes sample values as strings, with Go's spellings of the special values: "NaN", "+Inf", "-Inf". */
function sampleValue(sample: unknown): number | undefined {
  if (sample === 'NaN') return NaN;
  if (sample === '+Inf') return Infinity;
  if (sample === '-Inf') return -Infinity;
  if (typeof sample !== 'string' || sample.trim() === '') return undefined;
  const value = Number(sample);
  return Number.isNaN(value) ? undefined : value;
}
