// A real Prometheus on loopback, scraping one path of the exporter every second.
import fs from 'node:fs';
import { freePort, httpGet, lostPortRace } from '../loopback.mjs';
import { startDaemon } from '../processes.mjs';
import { waitFor } from '../wait-for.mjs';
import { toolEnv, workspacePath } from '../workspace.mjs';

/** Starts Prometheus scraping http://127.0.0.1:<exporterPort>/<path>; resolves { url, daemon } once it answers queries. */
export async function startPrometheus(bin, name, exporterPort, path) {
  const dir = workspacePath(`prometheus-${name}`);
  fs.mkdirSync(dir, { recursive: true });
  const config = `${dir}/prometheus.yml`;
  fs.writeFileSync(config, [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    `  - job_name: ${name}`,
    `    metrics_path: /${path}`,
    '    static_configs:',
    `      - targets: ['127.0.0.1:${exporterPort}']`,
    '',
  ].join('\n'));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const daemon = startDaemon(`prometheus (${name})`, bin, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dir}/data`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ], { env: toolEnv(), logFile: `${dir}/prometheus.log` });
    try {
      await waitFor(`Prometheus (${name}) ready`, daemon, async () => {
        const r = await httpGet(`${url}/-/ready`);
        return r.status === 200 || `${r.status} ${r.body.trim()}`;
      }, 60_000);
      return { url, daemon };
    } catch (e) {
      if (attempt < 3 && lostPortRace(daemon)) continue;
      throw e;
    }
  }
}

/** Waits until Prometheus holds at least `samples` scrapes of its target (the exporter answered each). */
export async function waitForScrapes(prometheus, job, samples) {
  const query = encodeURIComponent(`count_over_time(up{job="${job}"}[5m])`);
  await waitFor(`${samples} scrapes by Prometheus (${job})`, prometheus.daemon, async () => {
    const r = await httpGet(`${prometheus.url}/api/v1/query?query=${query}`);
    const value = r.status === 200 ? Number(JSON.parse(r.body).data.result[0]?.value[1] ?? 0) : 0;
    return value >= samples || `${value} scrapes (HTTP ${r.status})`;
  }, 60_000);
}
