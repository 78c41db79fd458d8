import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { UserError } from '../../errors';
import { appCommand, shellWord } from '../../launch-app';
import { readDocuments } from '../../traffic/read-documents';

export interface AppOutput {
  /** File name → its objects. */
  readonly files: ReadonlyMap<string, readonly unknown[]>;
}

export type BothOutputs =
  | { readonly ok: true; readonly istio: AppOutput; readonly gatewayApi: AppOutput }
  /** The Gateway API synth refused (the loss report): its messages. */
  | { readonly ok: false; readonly refusal: string };

/**
 * Runs the app twice, as `cdk8s synth` would (cdk8s.yaml's `app`, or
 * `--app`), into scratch folders: `--api istio`, then `--api gateway-api`.
 * Services that choose their own API keep it in both. Nothing is written
 * to the app's outdir.
 */
export function synthesizeBoth(appArgv: readonly string[], cwd: string): BothOutputs {
  const { command } = appCommand(appArgv, cwd);
  const scratch = mkdtempSync(join(tmpdir(), 'ml-routing-migration-'));
  try {
    const istio = synthesize(command, 'istio', join(scratch, 'istio'), cwd);
    if (!istio.ok) throw new UserError(`the app's Istio synth failed (${command}):\n${istio.stderr.trimEnd()}`);
    const gatewayApi = synthesize(command, 'gateway-api', join(scratch, 'gateway-api'), cwd);
    if (!gatewayApi.ok) return { ok: false, refusal: gatewayApi.stderr.trimEnd() };
    return { ok: true, istio: readOutput(join(scratch, 'istio'), command), gatewayApi: readOutput(join(scratch, 'gateway-api'), command) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function synthesize(command: string, api: string, outdir: string, cwd: string): { ok: boolean; stderr: string } {
  const commandLine = [command, '--outdir', outdir, '--api', api].map((w, i) => (i === 0 ? w : shellWord(w))).join(' ');
  // As npm scripts do: the project's own binaries (esbuild, ts-node...) come first.
  const path = [join(cwd, 'node_modules', '.bin'), process.env.PATH].filter(Boolean).join(delimiter);
  const run = spawnSync(commandLine, { cwd, shell: true, encoding: 'utf8', env: { ...process.env, PATH: path } });
  if (run.error) throw new UserError(`could not run your app (${commandLine}): ${run.error.message}`);
  return { ok: run.status === 0, stderr: run.stderr || run.stdout || `exit ${run.status}` };
}

function readOutput(dir: string, command: string): AppOutput {
  if (!existsSync(dir)) throw new UserError(`${command} exited 0 but wrote nothing to the --outdir it was given (${dir}): its entry must call runApp(buildApp), which takes --outdir and --api`);
  const files = new Map<string, readonly unknown[]>();
  for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    files.set(name, readDocuments(readFileSync(join(dir, name), 'utf8'), name));
  }
  return { files };
}
