#!/usr/bin/env node
// `npm run diagram [-- --check]`: a Mermaid flowchart of each service in dist/,
// written to docs/routing/<namespace>/<name>.md. See bin/diagram.ts and README.md.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { buildIfStale } from './build.mjs';

buildIfStale();
const { runDiagramCli } = createRequire(import.meta.url)(resolve(import.meta.dirname, '../.build/diagram.js'));
process.exitCode = runDiagramCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
