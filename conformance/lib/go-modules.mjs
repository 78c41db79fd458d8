// Folders of Go modules in the module cache, at the versions tools/istioctl/go.mod
// requires (there after the tools' build). Found without running go: $GOMODCACHE, else
// $GOPATH/pkg/mod, else ~/go/pkg/mod, as go itself decides.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HarnessError } from './harness-error.mjs';
import { CONFORMANCE_DIR } from './paths.mjs';

/** The module's folder, e.g. goModuleDir('istio.io/istio'). */
export function goModuleDir(modulePath) {
  const goMod = fs.readFileSync(path.join(CONFORMANCE_DIR, 'tools', 'istioctl', 'go.mod'), 'utf8');
  const quoted = modulePath.replace(/[.]/g, '\\.');
  const version = new RegExp(`^\\s*(?:require\\s+)?${quoted}\\s+(\\S+)`, 'm').exec(goMod)?.[1];
  if (!version) throw new HarnessError(`tools/istioctl/go.mod does not require ${modulePath}`);
  const gopath = (process.env.GOPATH || path.join(os.homedir(), 'go')).split(path.delimiter)[0];
  const cache = process.env.GOMODCACHE || path.join(gopath, 'pkg', 'mod');
  // The module cache spells capital letters as '!' + lower case.
  const dir = path.join(cache, ...`${modulePath.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`)}@${version}`.split('/'));
  if (!fs.existsSync(dir)) throw new HarnessError(`${modulePath}@${version} is not in the module cache (${cache}); build the tools first`);
  return dir;
}
