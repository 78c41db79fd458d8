// `npm run synth` and `cdk8s synth`: transpiles the app if any source changed
// since the last build, then runs it in this same process (one Node start-up).
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { buildIfStale } from './build.mjs';

const root = resolve(import.meta.dirname, '..');
buildIfStale();
createRequire(import.meta.url)(resolve(root, '.build/main.js')).main(process.argv);
