import { buildTrafficModel, explainRequest } from '.';

const policy = {
  apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'm', namespace: 'ml' },
  spec: { selector: { matchLabels: { app: 'm' } }, rules: [{ from: [{ source: { namespaces: ['web'] } }] }] },
};
const service = (name: string, selector?: Record<string, string>) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ml' }, spec: { ports: [{ name: 'http', port: 80 }], ...(selector && { selector }) },
});
const ask = (objects: unknown[], host: string, namespace: string) =>
  explainRequest(buildTrafficModel(objects), { host, from: { kind: 'sidecar', namespace, serviceAccount: 'default' }, path: '/' });

describe('the pods a destination reaches carry its Service\'s selector', () => {
  test('a policy selecting the Service\'s labels guards its pods: a caller it does not allow is denied', () => {
    const objects = [policy, service('m-v1', { app: 'm', version: 'v1' })];
    expect(ask(objects, 'm-v1', 'ml')).toMatchObject({ status: 403, authorization: { allowed: false, policy: 'ml/m' } });
    expect(ask(objects, 'm-v1', 'web')).toMatchObject({ status: 200, authorization: { allowed: true } });
  });

  test('a Service without a selector tells nothing of its pods\' labels', () => {
    expect(ask([policy, service('m-v1')], 'm-v1', 'ml').authorization.policy).toBeNull();
  });
});
