import { cpSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationFailed } from '../errors';
import { collectOutputFiles, OutputFile } from './collect';
import { checkOutput, SynthFinding } from './check-output';
import { isOutputUnit } from './output-unit';
import { removedVersionProblems } from './removed-versions';
import { kustomization, serializeFile } from './serialize';
import { writeDirectoryAtomically } from './write-atomically';

export interface RoutingAppProps {
  /**
   * Where the GitOps manifests go.
   * @default 'dist'
   */
  readonly outdir?: string;
  /**
   * Treat warnings as errors (CI).
   * @default false
   */
  readonly strict?: boolean;
}

export interface SynthResult {
  /** File contents by path relative to the output directory. */
  readonly files: ReadonlyMap<string, string>;
  readonly warnings: readonly string[];
  /** How many Kubernetes objects the files hold. */
  readonly objectCount: number;
}

export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/**
 * A cdk8s App whose synth validates every object against Istio's rules and
 * ours, and writes one file per model service, a kustomization.yaml listing
 * them, and nothing at all when anything is wrong.
 */
export class RoutingApp extends App {
  public readonly strict: boolean;

  public constructor(props: RoutingAppProps = {}) {
    super({ outdir: props.outdir ?? 'dist' });
    this.strict = props.strict ?? false;
  }

  /** Everything synth does except writing: throws ValidationFailed on any error. */
  public synthesize(): SynthResult {
    const constructProblems = constructValidationErrors(this);
    if (constructProblems.length) throw failure(constructProblems);
    const outputFiles = collectOutputFiles(this);
    const removed = removedVersionProblems(this.outdir, outputFiles);
    if (removed.length) throw failure(removed);
    const findings = [...unitWarnings(this), ...checkOutput(outputFiles)];
    const errors = findings.filter((f) => f.severity === 'error' || (this.strict && f.severity === 'warning'));
    if (errors.length) throw failure(errors.map((f) => f.text));
    return {
      files: render(outputFiles),
      warnings: findings.filter((f) => f.severity === 'warning').map((f) => f.text),
      objectCount: outputFiles.reduce((count, file) => count + file.objects.length, 0),
    };
  }

  public override synth(): SynthResult {
    const result = this.synthesize();
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    writeDirectoryAtomically(this.outdir, result.files);
    mirrorForCdk8sCli(this.outdir);
    return result;
  }
}

function render(outputFiles: readonly OutputFile[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of outputFiles) files.set(file.path, serializeFile(file));
  files.set(KUSTOMIZATION_FILE, kustomization(outputFiles));
  return files;
}

function unitWarnings(app: App): SynthFinding[] {
  return (app.node.findAll() as IConstruct[])
    .filter(isOutputUnit)
    .flatMap((unit) => unit.synthWarnings?.() ?? [])
    .map((text) => ({ severity: 'warning' as const, text }));
}

function constructValidationErrors(app: App): string[] {
  const problems: string[] = [];
  for (const construct of app.node.findAll() as IConstruct[]) {
    for (const message of construct.node.validate()) problems.push(`${construct.node.path}: ${message}`);
  }
  return problems;
}

function failure(problems: readonly string[]): ValidationFailed {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new ValidationFailed(problems, `synth failed with ${count}; nothing was written:`);
}

/**
 * `cdk8s synth` deletes its output directory before it runs the app, so
 * cdk8s.yaml points it at a scratch directory, never at dist/. The app
 * publishes dist/ itself, atomically, and copies it there for the CLI to list.
 */
function mirrorForCdk8sCli(outdir: string): void {
  const cliOutdir = process.env.CDK8S_OUTDIR;
  if (!cliOutdir || resolve(cliOutdir) === resolve(outdir)) return;
  mkdirSync(cliOutdir, { recursive: true });
  cpSync(outdir, cliOutdir, { recursive: true });
}
