// A small exporter of Istio-shaped metrics for the release gate's tests: what
// the destination sidecars of the example's demand-forecast would report.
// Each path is one candidate's behaviour; counters grow with time, so that
// successive scrapes see traffic.
import http from 'node:http';

const SERVICE = 'demand-forecast';
const NAMESPACE = 'ml';
// Istio's default buckets for istio_request_duration_milliseconds.
const BUCKETS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

/**
 * Candidates by path: requests per second, the share of 5xx, and the
 * cumulative share of requests at or under each latency (ms).
 */
export const CANDIDATES = {
  // 99.8% success, p99 about 220 ms: passes 99% and 500 ms.
  healthy: { rps: 60, errorShare: 0.002, latency: { 25: 0.5, 50: 0.8, 100: 0.95, 250: 1 } },
  // 90% success, p99 about 2.4 s: fails both.
  failing: { rps: 60, errorShare: 0.1, latency: { 250: 0.5, 500: 0.8, 1000: 0.95, 2500: 1 } },
  // Healthy, but far below 100 requests in the interval: too little evidence.
  quiet: { rps: 1, errorShare: 0, latency: { 25: 1 } },
  // Requests counted, but no duration ever observed (every bucket 0): the p99 is NaN, which no candidate can give.
  'no-latency': { rps: 60, errorShare: 0.002, latency: {}, observed: false },
  // Durations in a bucket below 0 ms (a broken exporter or relabeling): the p99 is -5 ms.
  'negative-latency': { rps: 60, errorShare: 0.002, latency: { '-5': 1 }, buckets: [-5, ...BUCKETS] },
};

function labels(version, reporter, extra = {}) {
  const all = {
    reporter,
    source_workload: 'web',
    source_workload_namespace: 'web',
    destination_service: `${SERVICE}.${NAMESPACE}.svc.cluster.local`,
    destination_service_name: SERVICE,
    destination_service_namespace: NAMESPACE,
    destination_workload: `${SERVICE}-${version}`,
    destination_version: version,
    request_protocol: 'http',
    connection_security_policy: reporter === 'destination' ? 'mutual_tls' : 'unknown',
    ...extra,
  };
  return `{${Object.entries(all).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

/** The exposition text of one candidate after `seconds` of traffic; v1 is always healthy. */
export function exposition(candidate, seconds) {
  const lines = ['# TYPE istio_requests_total counter'];
  const histogram = ['# TYPE istio_request_duration_milliseconds histogram'];
  const series = [
    ['v2', candidate],
    ['v1', CANDIDATES.healthy],
  ];
  for (const [version, behaviour] of series) {
    const total = Math.floor(behaviour.rps * seconds);
    const errors = Math.floor(total * behaviour.errorShare);
    // The source sidecar reports the same requests again: the gate must count them once.
    for (const reporter of ['destination', 'source']) {
      lines.push(`istio_requests_total${labels(version, reporter, { response_code: '200', response_flags: '-' })} ${total - errors}`);
      lines.push(`istio_requests_total${labels(version, reporter, { response_code: '503', response_flags: 'UF' })} ${errors}`);
      let sum = 0;
      let below = 0;
      const observed = behaviour.observed === false ? 0 : total;
      for (const le of behaviour.buckets ?? BUCKETS) {
        const share = Object.entries(behaviour.latency).filter(([bound]) => Number(bound) <= le).reduce((max, [, s]) => Math.max(max, s), 0);
        const count = Math.floor(observed * share);
        histogram.push(`istio_request_duration_milliseconds_bucket${labels(version, reporter, { response_code: '200', le: String(le) })} ${count}`);
        sum += (count - below) * le; // each request counted at its bucket's bound
        below = count;
      }
      histogram.push(`istio_request_duration_milliseconds_bucket${labels(version, reporter, { response_code: '200', le: '+Inf' })} ${observed}`);
      histogram.push(`istio_request_duration_milliseconds_sum${labels(version, reporter, { response_code: '200' })} ${sum}`);
      histogram.push(`istio_request_duration_milliseconds_count${labels(version, reporter, { response_code: '200' })} ${observed}`);
    }
  }
  return `${[...lines, ...histogram].join('\n')}\n`;
}

/** Serves /healthy, /failing, /quiet, /no-latency, /negative-latency (one candidate each) and /empty (no Istio metrics) on 127.0.0.1. */
export function startExporter() {
  const startedAt = Date.now();
  const server = http.createServer((req, res) => {
    const name = req.url.slice(1);
    const seconds = (Date.now() - startedAt) / 1000;
    if (name === 'empty') return void res.end('# TYPE exporter_up gauge\nexporter_up 1\n');
    const candidate = CANDIDATES[name];
    if (!candidate) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exposition(candidate, seconds));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, close: () => new Promise((r) => server.close(r)) }));
  });
}
