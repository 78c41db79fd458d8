import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { precompileSchemas } from './precompile-schemas';
import { createAjv, GATEWAY_API_PRECOMPILED_KEYS, objectSchema, PRECOMPILED_KEYS } from './schema';

const CORPUS = join(__dirname, '..', '..', '..', 'test', 'corpus');

const GATEWAY_API_FOLDERS = ['standard/valid', 'standard/invalid', 'experimental/valid', 'experimental/invalid'].map((f) => join('gateway-api', f));

function corpusObjects(): Array<Record<string, any>> {
  return ['valid', 'invalid', ...GATEWAY_API_FOLDERS].flatMap((folder) => readdirSync(join(CORPUS, folder)).flatMap((file) =>
    parseAllDocuments(readFileSync(join(CORPUS, folder, file), 'utf8')).map((doc) => doc.toJS())));
}

/** A key's apiVersion/kind, without the Gateway API channel. */
const kindOf = (key: string) => key.slice(key.indexOf(':') + 1);

// The build loads these instead of compiling (scripts/build.mjs): they must judge exactly alike.
test('precompiled schema validators report exactly what runtime-compiled ones do', () => {
  // Inside the repository, so that the generated code's require('ajv/...') resolves.
  const scratch = join(__dirname, '..', '..', '..', '.build');
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(join(scratch, 'precompiled-test-'));
  try {
    const file = join(dir, 'validators.js');
    precompileSchemas(file);
    const precompiled = require(file);
    const ajv = createAjv();
    const objects = corpusObjects();
    let compared = 0;
    for (const key of [...PRECOMPILED_KEYS, ...GATEWAY_API_PRECOMPILED_KEYS]) {
      const compiled = ajv.compile(objectSchema(key));
      for (const object of objects.filter((o) => `${o?.apiVersion}/${o?.kind}` === kindOf(key))) {
        const expected = [compiled(object), JSON.stringify(compiled.errors)];
        expect([precompiled[key](object), JSON.stringify(precompiled[key].errors)]).toEqual(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(300);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
