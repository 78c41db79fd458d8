// The harness's only npm dependency. Imported dynamically so that a checkout
// without node_modules gets one clear line instead of a resolver stack trace.
let YAML;
try {
  YAML = (await import('yaml')).default;
} catch {
  console.error('conformance: FAILED: the "yaml" package is not installed (run npm ci)');
  process.exit(1);
}

export default YAML;
