// The scheduled release workflow's promote step, run as GitHub runs it (bash
// -eo pipefail), against a throw-away repository with a bare origin. Fakes
// stand for npm (the release CLI, the diagrams, the diff) and gh: what is
// under test is what the workflow does with their answers.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describeWithSystemTool } from './system-tool';

const workflow: any = load(readFileSync(join(__dirname, '../.github/workflows/progressive-release.yml'), 'utf8'));
const promoteScript: string = workflow.jobs.promote.steps.find((step: { id?: string }) => step.id === 'promote').run;

/** The release CLI, the diagrams and the diff, as far as the workflow uses them. */
const FAKE_NPM = `#!/usr/bin/env node
const fs = require('fs');
const args = process.argv.slice(2).join(' ');
const file = (service) => 'dist/' + service.replace('/', '.') + '.yaml';
if (args === 'run -s release -- status --json') {
  console.log(JSON.stringify([
    { service: 'ml/a', to: 'v2', weights: { v1: 90, v2: 10 } },
    { service: 'ml/b', to: 'v2', weights: { v1: 50, v2: 50 } },
    { service: 'ml/c', to: 'v2', weights: { v1: 100, v2: 0 } },
  ]));
} else if (args.startsWith('run -s release -- promote ')) {
  const service = process.argv[7];
  fs.appendFileSync('releases.yaml', service + ': promoted\\n');
  fs.appendFileSync(file(service), '# v2 25%\\n');
  console.log(service + ': v2 10% → 25%, v1 90% → 75% (step 2 of 4)');
} else if (args === 'run -s diagram') {
  for (const name of fs.readdirSync('dist')) fs.writeFileSync('docs/routing/' + name + '.md', fs.readFileSync('dist/' + name));
} else if (args === 'run -s diff -- --base HEAD --format markdown') {
  process.stdout.write('### Traffic diff\\n' + require('child_process').execSync('git diff --stat HEAD -- dist'));
} else {
  console.error('fake npm: unexpected ' + args);
  process.exit(9);
}
`;

/** gh: open pull requests come from OPEN_PRS ("branch=number"); created ones are logged as JSON lines. */
const FAKE_GH = `#!/usr/bin/env node
const fs = require('fs');
const argv = process.argv.slice(2);
const option = (name) => argv[argv.indexOf(name) + 1];
if (argv[0] === 'pr' && argv[1] === 'list') {
  const open = (process.env.OPEN_PRS || '').split(' ').find((entry) => entry.startsWith(option('--head') + '='));
  if (open) console.log(open.split('=')[1]);
} else if (argv[0] === 'pr' && argv[1] === 'create') {
  const created = { base: option('--base'), head: option('--head'), title: option('--title'), body: fs.readFileSync(option('--body-file'), 'utf8') };
  fs.appendFileSync(process.env.GH_LOG, JSON.stringify(created) + '\\n');
} else {
  process.exit(9);
}
`;

describeWithSystemTool({ name: 'jq', path: '/usr/bin/jq', install: 'apt-get install jq' }, 'the progressive-release workflow\'s promote step', () => {
  let work: string;
  const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd }).toString().trim();

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'release-workflow-'));
    const bin = join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'npm'), FAKE_NPM);
    writeFileSync(join(bin, 'gh'), FAKE_GH);
    chmodSync(join(bin, 'npm'), 0o755);
    chmodSync(join(bin, 'gh'), 0o755);
    // GIVEN a repository at main, pushed to its origin, with two releases in progress (ml/a, ml/b)
    git(work, 'init', '-q', '--bare', '-b', 'main', 'origin.git');
    const repo = join(work, 'repo');
    mkdirSync(join(repo, 'dist'), { recursive: true });
    mkdirSync(join(repo, 'docs/routing'), { recursive: true });
    for (const name of ['ml.a', 'ml.b', 'ml.c']) {
      writeFileSync(join(repo, `dist/${name}.yaml`), `# ${name}\n`);
      writeFileSync(join(repo, `docs/routing/${name}.yaml.md`), `# ${name}\n`);
    }
    writeFileSync(join(repo, 'releases.yaml'), '# positions\n');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'main');
    git(repo, 'remote', 'add', 'origin', join(work, 'origin.git'));
    git(repo, 'push', '-q', 'origin', 'main');
    mkdirSync(join(work, 'runner'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  function runPromoteStep(env: Record<string, string>): string {
    writeFileSync(join(work, 'promote.sh'), promoteScript);
    return execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(work, 'promote.sh')], {
      cwd: join(work, 'repo'),
      env: {
        ...process.env,
        PATH: `${join(work, 'bin')}:${process.env.PATH}`,
        PROMETHEUS_URL: 'http://prometheus:9090',
        RUNNER_TEMP: join(work, 'runner'),
        GITHUB_OUTPUT: join(work, 'runner', 'output'),
        GITHUB_REF_NAME: 'main',
        GH_LOG: join(work, 'runner', 'gh.log'),
        GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
        GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
        ...env,
      },
    }).toString();
  }

  test('pull-request mode: each step is a pull request of its own, the traffic diff its body; a release with one open waits', () => {
    const main = git(join(work, 'repo'), 'rev-parse', 'HEAD');
    const stdout = runPromoteStep({ MODE: 'pull-request', OPEN_PRS: 'progressive-release/ml-b=7' });
    expect(stdout).toContain('ml/b: waiting for pull request #7\n');
    const origin = join(work, 'origin.git');
    // main is untouched; ml/a's step is one commit on its own branch, with its files only
    expect(git(origin, 'rev-parse', 'main')).toBe(main);
    expect(git(origin, 'for-each-ref', '--format=%(refname:short)', 'refs/heads')).toBe('main\nprogressive-release/ml-a');
    expect(git(origin, 'rev-list', 'main..progressive-release/ml-a', '--count')).toBe('1');
    expect(git(origin, 'diff', '--name-only', 'main', 'progressive-release/ml-a').split('\n')).toEqual(['dist/ml.a.yaml', 'docs/routing/ml.a.yaml.md', 'releases.yaml']);
    const title = 'Progressive release: ml/a: v2 10% → 25%, v1 90% → 75% (step 2 of 4)';
    expect(git(origin, 'log', '-1', '--format=%s', 'progressive-release/ml-a')).toBe(title);
    const created = readFileSync(join(work, 'runner', 'gh.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(created).toEqual([{
      base: 'main',
      head: 'progressive-release/ml-a',
      title,
      body: [
        'The scheduled progressive release moved one step; merging this pull request applies it.',
        '',
        '```',
        'ml/a: v2 10% → 25%, v1 90% → 75% (step 2 of 4)',
        '```',
        '',
        '### Traffic diff',
        ' dist/ml.a.yaml | 1 +',
        ' 1 file changed, 1 insertion(+)',
        '',
      ].join('\n'),
    }]);
    // The runner's checkout is back where it was, clean, for the next step of the job.
    expect(git(join(work, 'repo'), 'rev-parse', 'HEAD')).toBe(main);
    expect(git(join(work, 'repo'), 'status', '--porcelain')).toBe('');
    expect(readFileSync(join(work, 'runner', 'output'), 'utf8')).toBe('failed=0\n');
  });

  test('commit mode: every step is left in the working tree for the commit step, and no branch is pushed', () => {
    runPromoteStep({ MODE: 'commit' });
    expect(git(join(work, 'origin.git'), 'for-each-ref', '--format=%(refname:short)', 'refs/heads')).toBe('main');
    expect(git(join(work, 'repo'), 'diff', '--name-only')).toBe('dist/ml.a.yaml\ndist/ml.b.yaml\nreleases.yaml');
    expect(workflow.jobs.promote.steps.find((step: { name?: string }) => step.name?.startsWith('Commit the steps')).if).toContain("env.MODE == 'commit'");
  });

  test('the mode comes from a manual run\'s input, else the RELEASE_MODE variable, else commit; anything else fails the run', () => {
    expect(workflow.on.workflow_dispatch.inputs.mode).toEqual(expect.objectContaining({ type: 'choice', options: ['commit', 'pull-request'], default: 'commit' }));
    expect(workflow.jobs.promote.env.MODE).toBe("${{ inputs.mode || vars.RELEASE_MODE || 'commit' }}");
    expect(workflow.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    expect(() => runPromoteStep({ MODE: 'pr' })).toThrow();
    expect(git(join(work, 'repo'), 'status', '--porcelain')).toBe('');
  });
});
