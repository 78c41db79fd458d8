// npm run bench -- --sizes 100,1000,10000 [--json]: see bench/bench.ts.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { buildIfStale } from './build.mjs';

buildIfStale();
createRequire(import.meta.url)(resolve(import.meta.dirname, '../.build/bench.js'));
