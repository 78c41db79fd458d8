#!/usr/bin/env node
// `npm run diff -- [--base REF] [--format text|markdown|json] [--fail-on risky]`:
// what a change to dist/ does to traffic. See bin/diff.ts and README.md.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { buildIfStale } from './build.mjs';

buildIfStale();
const { runDiffCli } = createRequire(import.meta.url)(resolve(import.meta.dirname, '../.build/diff.js'));
process.exitCode = runDiffCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
