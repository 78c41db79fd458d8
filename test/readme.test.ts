import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README', () => {
  test('starts with the two commands a newcomer needs', () => {
    const firstBlock = readme.split('```')[1];
    expect(firstBlock.trim().split('\n').map((line) => line.replace(/\s+#.*$/, ''))).toEqual([
      'sh',
      'npm ci && npm run synth',
      'npm test',
    ]);
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
    expect(Object.keys(scripts)).toEqual(expect.arrayContaining(['synth', 'test']));
  });

  test('shows the starting example exactly as dist/ has it', () => {
    const example = readme.split('which synthesizes `dist/ml.ml-service.yaml`:\n\n```yaml\n')[1].split('```')[0];
    expect(example).toBe(readFileSync(join(root, 'dist/ml.ml-service.yaml'), 'utf8'));
  });

  test('is a guide a newcomer reads top to bottom: at most 500 lines, the details one link away, every link resolving', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(500);
    const links = [...readme.matchAll(/\]\((?!https?:)([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]);
    expect(links).toEqual(expect.arrayContaining(['docs/reference.md', 'docs/performance.md']));
    expect(links.filter((link) => !existsSync(join(root, link)))).toEqual([]);
  });
});
