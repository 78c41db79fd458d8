import { parsePositions, releasesFileText } from './releases-file';

const ENTRY = 'ml/model:\n  from: v1\n  to: v2\n  state: progressing\n  step: 1\n  weights: { v1: 90, v2: 10 }\n';

describe('releases.yaml', () => {
  test('maps "namespace/service" to its position; an empty file records nothing', () => {
    expect(parsePositions(ENTRY, 'releases.yaml')).toEqual({ 'ml/model': { from: 'v1', to: 'v2', state: 'progressing', step: 1, weights: { v1: 90, v2: 10 } } });
    expect(parsePositions('# nothing yet\n', 'releases.yaml')).toEqual({});
  });

  test.each([
    ['ml/model:\n  from: v1\n  to: v2\n  state: paused\n  step: 1\n', 'releases.yaml: ml/model: state must be one of progressing, rolled-back, completed, received "paused"'],
    ['ml/model:\n  from: v1\n  to: v2\n  state: progressing\n  step: -1\n', 'releases.yaml: ml/model: step must be a whole number from 0, received -1'],
    ['ml/model:\n  from: v1\n  to: v2\n  state: progressing\n  step: "2"\n', 'releases.yaml: ml/model: step must be a whole number from 0, received "2"'],
    ['ml/model:\n  from: v1\n  state: progressing\n  step: 1\n', 'releases.yaml: ml/model: to must be a version name, received undefined'],
    ['ml/model:\n  from: v1\n  to: v2\n  state: progressing\n  step: 1\n', 'releases.yaml: ml/model: weights must give v1 and v2 whole percentages that add up to 100 (npm run release records them), received undefined'],
    [ENTRY.replace('v2: 10', 'v2: 20'), 'releases.yaml: ml/model: weights must give v1 and v2 whole percentages that add up to 100 (npm run release records them), received {"v1":90,"v2":20}'],
    [ENTRY.replace('v2: 10', 'v3: 10'), 'releases.yaml: ml/model: weights must give v1 and v2 whole percentages that add up to 100 (npm run release records them), received {"v1":90,"v3":10}'],
    [`${ENTRY}  gated: { step: 1 }\n`, 'releases.yaml: ml/model: gated must be the step the gate let through and its weights ({ step: 2, weights: { ... } }), received {"step":1}'],
    [`${ENTRY}  gated: { step: 1, weights: { v1: 90 } }\n`, 'releases.yaml: ml/model: gated.weights must give v1 and v2 whole percentages that add up to 100 (npm run release records them), received {"v1":90}'],
    [`${ENTRY}  gateSkipped: ""\n`, 'releases.yaml: ml/model: gateSkipped must be the reason the gate was skipped, received ""'],
    [ENTRY.replace('v1: 90, v2: 10', 'v1: 90.5, v2: 9.5'), 'releases.yaml: ml/model: weights must give v1 and v2 whole percentages that add up to 100 (npm run release records them), received {"v1":90.5,"v2":9.5}'],
    [`${ENTRY}  paused: true\n`, 'releases.yaml: ml/model: unknown field "paused" (known: from, to, state, step, weights, gated, gateSkipped)'],
    ['model:\n  from: v1\n  to: v2\n  state: progressing\n  step: 1\n', 'releases.yaml: model: the key must be "namespace/service" (lowercase DNS labels), received "model"'],
    ['- ml/model\n', 'releases.yaml: must be a map of "namespace/service" to its release, received ["ml/model"]'],
    ['ml/model: [\n', 'releases.yaml: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  ])('a malformed file is refused with the entry, the field and the value: %#', (text, message) => {
    expect(() => parsePositions(text, 'releases.yaml')).toThrow(message);
  });

  test('setting an entry keeps the comments and the other entries', () => {
    const previous = `# our releases\nml/other:\n  from: a\n  to: b\n  state: completed\n  step: 2 # done on Monday\n${ENTRY}`;
    expect(releasesFileText(previous, 'ml/model', { from: 'v1', to: 'v2', state: 'progressing', step: 2, weights: { v1: 75, v2: 25 } })).toBe(
      '# our releases\nml/other:\n  from: a\n  to: b\n  state: completed\n  step: 2 # done on Monday\nml/model:\n  from: v1\n  to: v2\n  state: progressing\n  step: 2\n  weights: { v1: 75, v2: 25 }\n',
    );
  });

  test('a gated step and a skipped gate are recorded on one line each; entries written before weights were recorded are read when asked to', () => {
    const position = { from: 'v1', to: 'v2', state: 'progressing' as const, step: 2, weights: { v1: 75, v2: 25 }, gated: { step: 2, weights: { v1: 75, v2: 25 } } };
    const text = releasesFileText('', 'ml/model', position).split('\n').slice(-3).join('\n');
    expect(text).toBe('  weights: { v1: 75, v2: 25 }\n  gated: { step: 2, weights: { v1: 75, v2: 25 } }\n');
    expect(parsePositions(releasesFileText('', 'ml/model', position), 'releases.yaml')).toEqual({ 'ml/model': position });
    expect(parsePositions('ml/model:\n  from: v1\n  to: v2\n  state: progressing\n  step: 1\n', 'base', { weightsOptional: true }))
      .toEqual({ 'ml/model': { from: 'v1', to: 'v2', state: 'progressing', step: 1 } });
  });

  test('a new file starts with a header that says what it is', () => {
    expect(releasesFileText(undefined, 'ml/model', { from: 'v1', to: 'v2', state: 'progressing', step: 1, weights: { v1: 90, v2: 10 } })).toBe([
      '# Where each progressive release stands (Strategy.progressive in main.ts).',
      '# Edited by `npm run release -- promote|rollback|complete <ns/service>`; synth reads it.',
      '# step 0 sends all traffic to `from`; step k gives `to` the k-th percentage of the plan.',
      '# weights: the shares the step gave when recorded; synth refuses a plan that no longer gives them.',
      '',
      ENTRY,
    ].join('\n'));
  });
});
