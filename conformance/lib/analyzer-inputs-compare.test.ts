// The comparison of the "analyzer inputs" phase: the test grid's input sets, the compared
// messages, and the allow-list of reviewed differences.
import { compareInputSet, comparedIstioLines, comparedOurLines, mayBeUnused, parseAllowList, parseTestGrid } from './analyzer-inputs-compare.mjs';

const grid = `
var testGrid = []testCase{
	{
		name: "first",
		inputFiles: []string{
			"testdata/a.yaml",
		},
		analyzer: &pkg.FirstAnalyzer{},
		expected: []message{},
	},
	{
		name:       "same input, another analyzer",
		inputFiles: []string{"testdata/a.yaml"},
		analyzer:   &other.SecondAnalyzer{},
	},
	{
		name: "two files and a constructor",
		inputFiles: []string{
			"testdata/b.yaml",
			"testdata/common/c.yaml",
		},
		meshConfigFile: "testdata/common/meshconfig.yaml",
		analyzer: schema.CollectionValidationAnalyzer(collections.VirtualService),
	},
}`;

describe('parseTestGrid', () => {
  test('one set per distinct inputFiles list, with every analyzer that reads it; mesh config files are not inputs', () => {
    expect(parseTestGrid(grid)).toEqual([
      { files: ['testdata/a.yaml'], analyzers: ['pkg.FirstAnalyzer', 'other.SecondAnalyzer'] },
      { files: ['testdata/b.yaml', 'testdata/common/c.yaml'], analyzers: ['schema.CollectionValidationAnalyzer(collections.VirtualService)'] },
    ]);
  });

  test('a grid without inputFiles is a harness error, not zero sets', () => {
    expect(() => parseTestGrid('var testGrid = []testCase{}')).toThrow('analyzers_test.go: no test case with inputFiles found (did its layout change?)');
  });
});

const notFound = 'Error IST0101 VirtualService default/reviews: Referenced host not found: "reviews-bogus"';
const topology = 'Error IST0173 DestinationRule default/dr: The Subset west defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).';

describe('compared messages', () => {
  test('Istio messages about the kinds we implement, as lines; others (Gateways, Pods...) are left out', () => {
    expect(comparedIstioLines([
      { level: 'Error', code: 'IST0101', origin: 'VirtualService default/reviews', message: 'Referenced host not found: "reviews-bogus"' },
      { level: 'Error', code: 'IST0106', origin: 'Gateway default/gw', message: 'Schema validation error: gateway must have at least one server' },
    ])).toEqual([notFound]);
    expect(comparedIstioLines(null)).toEqual([]);
  });

  test('our diagnostics with an Istio code about those kinds; our own rules have none', () => {
    expect(comparedOurLines([
      { kind: 'VirtualService', istioctl: notFound },
      { kind: 'VirtualService', rule: 'ours.weights-sum-100' },
      { kind: 'ServiceEntry', istioctl: 'Error IST0106 ServiceEntry default/se: Schema validation error: x' },
    ])).toEqual([notFound]);
  });
});

describe('compareInputSet and the allow-list', () => {
  const allow = (entries: object[]) => parseAllowList({ differences: entries }, 'allowed.yaml');

  test('messages are compared as multisets: a message Istio gives twice must be given twice', () => {
    const differences = compareInputSet({ input: 'a.yaml', istio: [notFound, notFound], ours: [notFound, topology] }, []);
    expect(differences.map((d: any) => [d.side, d.code, d.resource, d.allowedBy])).toEqual([
      ['istio', 'IST0101', 'VirtualService default/reviews', undefined],
      ['ours', 'IST0173', 'DestinationRule default/dr', undefined],
    ]);
  });

  test('an entry explains the differences its side, code, resource, message and input match, and counts them', () => {
    const entries = allow([
      { side: 'ours', code: 'IST0173', resource: 'DestinationRule default/*', message: 'The Subset west *', input: 'a.yaml', reason: 'r' },
      { side: 'istio', code: 'IST0173', resource: '*', reason: 'wrong side' },
      { side: 'ours', code: 'IST0173', resource: '*', input: 'b.yaml', reason: 'another input' },
    ]);
    const [difference] = compareInputSet({ input: 'a.yaml', istio: [], ours: [topology] }, entries);
    expect(difference.allowedBy).toBe(entries[0]);
    expect(entries.map((e: any) => e.used)).toEqual([1, 0, 0]);
  });

  test('entries need a side, a code, a resource and a reason', () => {
    expect(() => allow([{ side: 'ours', code: 'IST0173', resource: '*' }])).toThrow('allowed.yaml entry #1: "reason" is required');
    expect(() => allow([{ side: 'both', code: 'IST0173', resource: '*', reason: 'r' }])).toThrow('allowed.yaml entry #1: "side" must be istio (only Istio says it), ours or text');
    expect(allow([])).toEqual([]);
    expect(parseAllowList(null, 'empty.yaml')).toEqual([]);
  });

  test('the same code on the same resource in other words is one text difference, allowed only by a text entry', () => {
    const conflict = (host: string) => `Error IST0109 VirtualService bar/ratings: The VirtualServices bar/ratings,x/ratings associated with mesh gateway define the same host ${host} which can lead to undefined behavior.`;
    const entries = allow([{ side: 'text', code: 'IST0109', resource: 'VirtualService *', message: '* define the same host *', reason: "Go's map order" }]);
    const [difference] = compareInputSet({ input: 'a.yaml', istio: [conflict('team2/google.com')], ours: [conflict('*/ratings.foo')] }, entries);
    expect(difference).toMatchObject({ side: 'text', code: 'IST0109', resource: 'VirtualService bar/ratings', line: conflict('team2/google.com'), ours: conflict('*/ratings.foo') });
    expect(difference.allowedBy).toBe(entries[0]);
    // Go's map order may agree with ours in a run: a text entry that matched nothing is not stale.
    expect(entries.map(mayBeUnused)).toEqual([true]);
    expect(allow([{ side: 'istio', code: 'IST0101', resource: '*', reason: 'r' }]).map(mayBeUnused)).toEqual([false]);
  });
});
