import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { precompileSchemas } from './precompile-schemas';
import { createAjv, objectSchema, PRECOMPILED_KEYS } from './schema';

const CORPUS = join(__dirname, '..', '..', '..', 'test', 'corpus');

function corpusObjects(): Array<Record<string, any>> {
  return ['valid', 'invalid'].flatMap((folder) => readdirSync(join(CORPUS, folder)).flatMap((file) =>
    parseAllDocuments(readFileSync(join(CORPUS, folder, file), 'utf8')).map((doc) => doc.toJS())));
}

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
    for (const key of PRECOMPILED_KEYS) {
      const compiled = ajv.compile(objectSchema(key));
      for (const object of objects.filter((o) => `${o?.apiVersion}/${o?.kind}` === key)) {
        const expected = [compiled(object), JSON.stringify(compiled.errors)];
        expect([precompiled[key](object), JSON.stringify(precompiled[key].errors)]).toEqual(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(250);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
