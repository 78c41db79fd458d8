import { destinationRule, diagnosticsOf } from '../test-fixtures';

/** IST0173 matches a subset against a Pod's labels as Istio's registry sees them: its Node's locality and name added. */
const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'default' }, spec: { selector: { app: 'reviews' }, ports: [{ port: 80 }] } };
const pod = (spec: object = { nodeName: 'node-a' }, labels: object = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'reviews-1', namespace: 'default', labels: { app: 'reviews', version: 'v1', ...labels } },
  spec: { containers: [{ name: 'app' }], ...spec },
});
const node = (labels: Record<string, string>, name = 'node-a') => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
interface Subset {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}
const rule = (subsets: readonly Subset[]) => destinationRule({ host: 'reviews', subsets });

/** The subsets reported as selecting no Pod. */
function unselected(subsets: readonly Subset[], context: object[]): string[] {
  return diagnosticsOf(rule(subsets), { context: [service, ...context] })
    .filter((d) => d.code === 'IST0173')
    .map((d) => d.message.replace(/^The Subset (\S+) defined.*$/, '$1'));
}

const REGION = 'topology.kubernetes.io/region';
const ZONE = 'topology.kubernetes.io/zone';
const SUBZONE = 'topology.istio.io/subzone';

describe('IST0173 with Node topology', () => {
  test('subsets by region, zone and subzone select the Pods on a Node there; the Pod itself carries none of those labels', () => {
    const subsets: Subset[] = [
      { name: 'west', labels: { [REGION]: 'us-west-1' } },
      { name: 'west-a', labels: { [ZONE]: 'us-west-1a' } },
      { name: 'rack-7', labels: { [SUBZONE]: 'rack-7' } },
      { name: 'v1-west', labels: { version: 'v1', [REGION]: 'us-west-1' } },
      { name: 'east', labels: { [REGION]: 'us-east-1' } },
    ];
    const westNode = node({ [REGION]: 'us-west-1', [ZONE]: 'us-west-1a', [SUBZONE]: 'rack-7' });
    expect(unselected(subsets, [pod(), westNode])).toEqual(['east']);
  });

  test('without its Node, or on no node, a Pod has no locality labels', () => {
    const subsets: Subset[] = [{ name: 'west', labels: { [REGION]: 'us-west-1' } }];
    expect(unselected(subsets, [pod()])).toEqual(['west']);
    expect(unselected(subsets, [pod({}), node({ [REGION]: 'us-west-1' })])).toEqual(['west']);
    expect(unselected(subsets, [pod({ nodeName: 'node-b' }), node({ [REGION]: 'us-west-1' })])).toEqual(['west']);
  });

  test('the node name is the hostname label, with or without a Node object', () => {
    const subsets: Subset[] = [{ name: 'on-a', labels: { 'kubernetes.io/hostname': 'node-a' } }, { name: 'on-b', labels: { 'kubernetes.io/hostname': 'node-b' } }];
    expect(unselected(subsets, [pod()])).toEqual(['on-b']);
  });

  test('an empty region label on the Node adds nothing, so a subset asking for an empty region selects no Pod', () => {
    expect(unselected([{ name: 'blank', labels: { [REGION]: '' } }], [pod(), node({ [REGION]: '' })])).toEqual(['blank']);
  });

  test("the Node's locality replaces the Pod's own topology labels", () => {
    const subsets: Subset[] = [{ name: 'own', labels: { [REGION]: 'eu-1' } }, { name: 'nodes', labels: { [REGION]: 'us-west-1' } }];
    expect(unselected(subsets, [pod(undefined, { [REGION]: 'eu-1' }), node({ [REGION]: 'us-west-1' })])).toEqual(['own']);
  });

  test('a subzone counts only under a zone; a zone without a region still counts', () => {
    const subsets: Subset[] = [{ name: 'rack', labels: { [SUBZONE]: 'rack-7' } }, { name: 'zone', labels: { [ZONE]: 'z1' } }];
    expect(unselected(subsets, [pod(), node({ [REGION]: 'r1', [SUBZONE]: 'rack-7' })])).toEqual(['rack', 'zone']);
    expect(unselected(subsets, [pod(), node({ [ZONE]: 'z1', [SUBZONE]: 'rack-7' })])).toEqual([]);
  });
});
