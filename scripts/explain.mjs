#!/usr/bin/env node
// `npm run explain -- [files or folders] --host H --path P ...`: where one
// request goes through Istio YAML. See bin/explain.ts and README.md.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { buildIfStale } from './build.mjs';

buildIfStale();
const { runExplainCli } = createRequire(import.meta.url)(resolve(import.meta.dirname, '../.build/explain.js'));
process.exitCode = runExplainCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
