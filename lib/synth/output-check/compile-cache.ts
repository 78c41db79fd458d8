import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import { constants as vmConstants, Script } from 'node:vm';
import { writeFileAtomically } from '../write-atomically';

/**
 * Where V8's code for a bundle is kept: beside it, named after its content
 * (V8 itself only checks the source's length) and after Node's version and
 * flags (V8 rejects code made under other flags, even --max-semi-space-size:
 * synths run with other flags then keep a cache of their own instead of
 * replacing each other's).
 */
export const CACHE_SUFFIX = '.v8-cache';

export interface CachedModule {
  readonly exports: unknown;
  /** 'used': compiled from the cache; 'none' or 'rejected' (another V8 or other flags): compiled from the source. */
  readonly cache: 'used' | 'none' | 'rejected';
  /**
   * Keeps V8's code for every function that has run so far, for the next
   * load, unless it came from the cache. Never throws: a cache that cannot
   * be written (a read-only build) is only a slower start.
   */
  save(): void;
}

/**
 * Runs a CommonJS bundle as `require` would, from V8's code cache when one
 * was saved for this exact content. A worker starts each synth anew: this
 * spares it compiling its 1.3 MB bundle each time (its load went from about
 * 190 to 105 ms in four runs on this machine) and the functions it compiles
 * lazily on its first objects.
 */
export function requireWithCompileCache(file: string): CachedModule {
  const source = readFileSync(file, 'utf8');
  const runtime = JSON.stringify([process.version, process.execArgv, process.env.NODE_OPTIONS ?? '']);
  const cacheFile = `${file}.${createHash('sha256').update(runtime).update('\0').update(source).digest('hex').slice(0, 16)}${CACHE_SUFFIX}`;
  const cachedData = readIfPresent(cacheFile);
  // As Node wraps a module, on the source's first line, so that line numbers in stack traces stay true.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: file,
    cachedData,
    // import() inside the bundle works as in a module Node loaded.
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // A module as Node makes one (bundles call module.require).
  const require = createRequire(file);
  const module = new Module(file);
  module.filename = file;
  // The folders a package name is looked up in from the bundle's folder (Node's
  // global folders included; bundles require Node's own modules and files only).
  module.paths = require.resolve.paths('package') ?? [];
  script.runInThisContext()(module.exports, require, module, file, dirname(file));
  const cache = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  return {
    get exports() {
      return module.exports;
    },
    cache,
    save: () => {
      if (cache === 'used' || !writable(dirname(cacheFile))) return;
      try {
        // Whole or not at all: two synths may save at once, and a reader must never see half a cache.
        writeFileAtomically(cacheFile, script.createCachedData());
      } catch {
        // Only a slower start next time.
      }
    },
  };
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Checked first: V8's code is not worth making for a folder that keeps nothing. */
function writable(folder: string): boolean {
  try {
    accessSync(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
