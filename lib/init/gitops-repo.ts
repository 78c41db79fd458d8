import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import packageJson from '../../package.json';
import { UserError } from '../errors';

export interface GitOpsRepoOptions {
  /** The new repository's npm name. */
  readonly name: string;
  /** How it depends on this package: a version range, a tarball, a git URL. */
  readonly packageSpec: string;
}

/** Template files whose names npm would drop from the package: written with a leading dot. */
const DOTTED = new Set(['gitignore', 'github']);

/**
 * What the new repository needs from npm besides this package, at the
 * versions this package is built and tested with. Not cdk8s-cli (its
 * dependencies weigh about 100 MB): `ml-routing synth` runs cdk8s.yaml's
 * app as `cdk8s synth` would, and `cdk8s synth` works too where it is installed.
 */
const DEV_DEPENDENCIES = ['@swc/core', '@swc/jest', '@types/jest', '@types/node', 'esbuild', 'jest', 'typescript'];
const PEERS = ['cdk8s', 'constructs'];

/** The files of a new GitOps repository, by path: templates/gitops-repo/ with its placeholders filled, and its package.json. */
export function gitOpsRepoFiles(options: GitOpsRepoOptions): Map<string, string> {
  const templates = templateDir();
  const files = new Map<string, string>();
  for (const file of listFiles(templates)) {
    const [first, ...rest] = relative(templates, file).split(/[\\/]/);
    const path = [DOTTED.has(first) ? `.${first}` : first, ...rest].join('/');
    files.set(path, readFileSync(file, 'utf8').split('{{name}}').join(options.name));
  }
  files.set('package.json', `${JSON.stringify(newPackageJson(options), null, 2)}\n`);
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

function newPackageJson({ name, packageSpec }: GitOpsRepoOptions): object {
  const versions: Record<string, string> = packageJson.devDependencies;
  const pinned = (names: string[]) => Object.fromEntries(names.map((dependency) => [dependency, versions[dependency]]));
  return {
    name,
    version: '0.1.0',
    private: true,
    description: 'Routing of our ML services on Istio: main.ts declares it, dist/ is what Argo CD or Flux applies',
    scripts: {
      synth: 'ml-routing synth',
      test: 'tsc -p . && jest',
      validate: 'ml-routing validate --strict dist',
      explain: 'ml-routing explain',
      diff: 'ml-routing diff',
      diagram: 'ml-routing diagram',
      release: 'ml-routing release',
    },
    dependencies: { [packageJson.name]: packageSpec, ...pinned(PEERS) },
    devDependencies: pinned(DEV_DEPENDENCIES),
  };
}

/**
 * Writes the files into `dir`, which must be new or empty: init never
 * overwrites or mixes with what is there. Returns the paths written.
 */
export function writeGitOpsRepo(dir: string, files: ReadonlyMap<string, string>): string[] {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UserError(`${dir}: must be an empty or new folder, received a file`);
    const entries = readdirSync(dir).sort();
    if (entries.length) {
      const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', ...' : '');
      throw new UserError(`${dir}: must be an empty or new folder, received a folder holding ${shown}; nothing was written`);
    }
  }
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return [...files.keys()];
}

/** An npm package name from a folder name: `My Routing` becomes `my-routing`. */
export function packageNameFor(dir: string): string {
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|-+$/g, '');
  return name || 'ml-routing-app';
}

/** templates/gitops-repo at the package's root: two folders up from lib/init/, one up from the bundle in out/. */
function templateDir(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'templates', 'gitops-repo');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`templates/gitops-repo not found above ${__dirname}`);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
