import { writeFileSync } from 'node:fs';
import standaloneCode from 'ajv/dist/standalone';
import { createAjv, objectSchema, PRECOMPILED_KEYS } from './schema';

/**
 * Writes the validators of the kinds we emit as JavaScript (ajv's standalone
 * code), for schema.ts to load instead of compiling them at every start.
 * Same options, same schemas: the code is what ajv would compile at run time.
 */
export function precompileSchemas(outputFile: string): void {
  const ajv = createAjv({ code: { source: true, optimize: false } });
  const exports: Record<string, string> = {};
  PRECOMPILED_KEYS.forEach((key, index) => {
    ajv.addSchema(objectSchema(key), `schema${index}`);
    exports[key] = `schema${index}`;
  });
  writeFileSync(outputFile, standaloneCode(ajv, exports));
}
