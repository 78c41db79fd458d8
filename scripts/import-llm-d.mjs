// Regenerates the llm-d part of imports/ from the CRDs of llm-d-router at one
// pinned release: InferenceObjective and InferenceModelRewrite, which moved
// from the Inference Extension (inference.networking.x-k8s.io) to llm-d
// (llm-d.ai/v1alpha2) in 2026. The module is not served by the Go module
// proxy (403), so the CRDs come from the repository's tag, checked against
// the digests recorded here: a moved tag or a changed file stops the import.
//
//   npm run import:llm-d                      # git clone --depth 1 --branch v0.10.0
//   LLM_D_CRDS=DIR npm run import:llm-d       # a folder holding the two CRD files
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';

const SOURCE = {
  repository: 'https://github.com/llm-d/llm-d-router',
  tag: 'v0.10.0',
  commit: '71f4f0999f95b96c49a9d0c4afbd18dfdb943c26',
  folder: 'config/crd/bases',
};
// sha256 of each file at SOURCE.commit.
const FILES = {
  'llm-d.ai_inferenceobjectives.yaml': 'c1e763412fcbe2b55e9282850156269a10053be2d052547cb80a2ca639c09990',
  'llm-d.ai_inferencemodelrewrites.yaml': '62a07fff40e10e919c245d895457a9c15be22947b45f06815552ae8fffaab405',
};
const root = resolve(import.meta.dirname, '..');
const importsDir = join(root, 'imports');
const work = mkdtempSync(join(tmpdir(), 'llm-d-import-'));

try {
  let dir = process.env.LLM_D_CRDS;
  if (!dir) {
    const clone = join(work, 'llm-d-router');
    execFileSync('git', ['clone', '--quiet', '--depth', '1', '--branch', SOURCE.tag, SOURCE.repository, clone], { stdio: 'inherit' });
    const head = execFileSync('git', ['-C', clone, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    if (head !== SOURCE.commit) fail(`tag ${SOURCE.tag} is at ${head}, expected ${SOURCE.commit}`);
    dir = join(clone, SOURCE.folder);
  }
  const texts = Object.entries(FILES).map(([file, digest]) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const actual = createHash('sha256').update(text).digest('hex');
    if (actual !== digest) fail(`${file}: sha256 ${actual}, expected ${digest} (the file at ${SOURCE.tag})`);
    return text;
  });
  const crds = texts.map((text) => parse(text));
  // The CRDs themselves, verbatim, for an API server (conformance installs them beside the Inference Extension's).
  writeFileSync(join(importsDir, 'llm-d-crds.yaml'), `# llm-d-router ${SOURCE.tag} (${SOURCE.commit}), ${SOURCE.folder}: written by npm run import:llm-d\n${texts.join('---\n')}`);
  const file = join(work, 'llm-d.ai.yaml');
  writeFileSync(file, crds.map((crd) => stringify(crd)).join('---\n'));
  execFileSync(join(root, 'node_modules/.bin/cdk8s'), ['import', file, '--language', 'typescript', '--output', importsDir, '--check-upgrade=false'], { cwd: work, stdio: 'inherit' });
  const schemas = {};
  for (const crd of crds) {
    for (const version of crd.spec.versions) {
      if (version.served) schemas[`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`] = version.schema.openAPIV3Schema;
    }
  }
  writeFileSync(join(importsDir, 'llm-d-crd-schemas.json'), JSON.stringify({ source: { ...SOURCE, files: FILES }, schemas }) + '\n');
  console.log(`import: llm-d-router ${SOURCE.tag} (${Object.keys(schemas).join(', ')})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

function fail(message) {
  console.error(`import: ${message}`);
  process.exit(2);
}
