#!/usr/bin/env node
// `npm run validate -- <files or folders>` (the package: `ml-routing validate`):
// checks Istio YAML offline. See bin/validate.ts.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { buildIfStale } from './build.mjs';

buildIfStale();
const { runValidateCli } = createRequire(import.meta.url)(resolve(import.meta.dirname, '../.build/validate.js'));
process.exitCode = runValidateCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
