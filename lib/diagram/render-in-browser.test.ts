import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { Browser } from 'puppeteer-core';
import { service, to } from '../../test/diff-fixture';
import { describeWithSystemTool } from '../../test/system-tool';
import { buildTrafficModel, loadTrafficModel } from '../traffic';
import { buildServiceViews } from '../traffic-view';
import { serviceFlowchart } from './service-flowchart';

// Renders every generated diagram with the real mermaid package in headless
// Chromium (Debian's `chromium`; .ci/run installs it). Skipped, with one line
// saying so, where there is no browser; required under CI=true, where a
// missing browser fails the test. One browser, one page, all diagrams.
const root = join(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Rendered {
  readonly svg: string;
  /** Text of each node whose Mermaid id is `versionN`, by that id. */
  readonly versions: Record<string, string>;
}

/** The Mermaid source of each page under docs/routing/, with the versions its service has. */
function committedDiagrams(): { name: string; source: string }[] {
  const dir = join(root, 'docs', 'routing');
  const pages: string[] = [];
  const walk = (folder: string) => readdirSync(folder).sort().forEach((n) => (statSync(join(folder, n)).isDirectory() ? walk(join(folder, n)) : pages.push(join(folder, n))));
  walk(dir);
  return pages.map((page) => ({ name: page.slice(dir.length + 1), source: readFileSync(page, 'utf8').split('```mermaid\n')[1].split('```')[0] }));
}

const chromium = { name: 'Chromium', path: CHROMIUM, install: 'apt-get install -y chromium, or set CHROMIUM_PATH' };

describeWithSystemTool(chromium, 'diagrams in a real browser (mermaid in headless Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium (as .ci/run does), or set CHROMIUM_PATH (required when CI=true)`);
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  }, 60_000);
  afterAll(() => browser?.close());

  test('every committed diagram, and one with characters to escape, renders to an SVG naming every version', async () => {
    const views = buildServiceViews(loadTrafficModel([join(root, 'dist')]));
    const tricky = buildServiceViews(buildTrafficModel(service(
      [{ name: 'odd "name"', match: [{ uri: { regex: '/a<b>&#"c"' } }], route: [to('v<1>', 60), to('v&2', 40)] }],
      { subsets: ['v<1>', 'v&2'] },
    )))[0];
    const diagrams = [
      ...committedDiagrams().map(({ name, source }) => ({ name, source, versions: views.find((v) => `${v.service}.md` === name)!.versions })),
      { name: 'escaping', source: serviceFlowchart(tricky), versions: tricky.versions },
    ];
    expect(diagrams.map((d) => d.name)).toEqual([
      'ml/demand-forecast.md', 'ml/embeddings.md', 'ml/fraud-scorer.md', 'ml/image-classifier.md', 'ml/istio-ingress~inference-gateway~chat.models.example.com.md', 'ml/ml-service.md', 'ml/recommender.md', 'ml/sentiment.md', 'escaping',
    ]);

    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
    const rendered: Rendered[] = await page.evaluate(async (sources: string[]) => {
      const { mermaid, document } = globalThis as any;
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
      const out: Rendered[] = [];
      for (const [i, source] of sources.entries()) {
        const { svg } = await mermaid.render(`diagram${i}`, source);
        const host = document.createElement('div');
        host.innerHTML = svg;
        document.body.appendChild(host);
        const versions: Record<string, string> = {};
        host.querySelectorAll('g.node').forEach((node: { id: string; textContent: string | null }) => {
          const id = /-(version\d+)-/.exec(node.id)?.[1];
          if (id) versions[id] = (node.textContent ?? '').trim();
        });
        out.push({ svg, versions });
      }
      return out;
    }, diagrams.map((d) => d.source));
    await page.close();

    diagrams.forEach((diagram, i) => {
      expect(rendered[i].svg).toMatch(/^<svg [^>]*id="diagram\d+"/);
      // Each version's node, in order, and its text begins with the version's name.
      expect(Object.keys(rendered[i].versions).sort()).toEqual(diagram.versions.map((_, n) => `version${n}`).sort());
      diagram.versions.forEach((version, n) => expect(rendered[i].versions[`version${n}`].startsWith(version)).toBe(true));
    });
    expect(rendered[rendered.length - 1].versions).toEqual({ version0: 'v<1>mTLS PERMISSIVE', version1: 'v&2mTLS PERMISSIVE' });
  }, 60_000);
});
