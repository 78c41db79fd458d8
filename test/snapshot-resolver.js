// Keeps every snapshot in the top-level __snapshots__/ folder, named after its
// test file's path, so reviewers find all locked-down output in one place.
const path = require('path');

const root = path.resolve(__dirname, '..');
const dir = path.join(root, '__snapshots__');
const sep = '__';

module.exports = {
  resolveSnapshotPath: (testPath, ext) =>
    path.join(dir, path.relative(root, testPath).split(path.sep).join(sep) + ext),
  resolveTestPath: (snapshotPath, ext) =>
    path.join(root, path.basename(snapshotPath, ext).split(sep).join(path.sep)),
  testPathForConsistencyCheck: path.join(root, 'lib', 'example.test.ts'),
};
