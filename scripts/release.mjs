#!/usr/bin/env node
// `npm run release -- status|promote|rollback|complete ...`: moves the
// progressive releases of main.ts in releases.yaml and dist/ together.
// See bin/release.ts and README.md.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { buildIfStale } from './build.mjs';

buildIfStale();
const { runRelease } = createRequire(import.meta.url)(resolve(import.meta.dirname, '../.build/release.js'));
process.exitCode = await runRelease(process.argv.slice(2));
