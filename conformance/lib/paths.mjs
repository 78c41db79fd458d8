// Where the harness lives, where it caches its tools, and the Istio release it targets.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONFORMANCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.resolve(CONFORMANCE_DIR, '..');
export const TOOL_CACHE_DIR = path.join(REPO_ROOT, '.cache', 'conformance', 'bin');

/** The CRDs come from <shared>/istio/<version>/; istioctl is pinned to match in tools/istioctl/go.mod. */
export const ISTIO_VERSION = '1.30.3';
