#!/usr/bin/env node
// `npm run contracts -- [--apps N] [--requests R] [--seed S] [--path P]`: every
// option's contract (lib/contracts) against explain on generated apps. See bin/contracts.ts.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { buildIfStale } from './build.mjs';

buildIfStale();
const { runContractsCli } = createRequire(import.meta.url)(resolve(import.meta.dirname, '../.build/contracts.js'));
process.exitCode = runContractsCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
