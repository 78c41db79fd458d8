import { accessOf, WorkloadSecurity } from './access';
import { ReceivedRequest } from './authorization';
import { ModelAuthorizationPolicy } from './traffic-model';

const policy = (action: ModelAuthorizationPolicy['action'], rules: ModelAuthorizationPolicy['rules']): ModelAuthorizationPolicy => ({ ref: `ml/${action.toLowerCase()}`, namespace: 'ml', action, rules });
const security = (extra: Partial<WorkloadSecurity> = {}): WorkloadSecurity => ({ policies: [], mtls: 'PERMISSIVE', portMtls: {}, clientPortTls: {}, ...extra });
const request = (extra: Partial<ReceivedRequest> = {}): ReceivedRequest => ({
  host: 'm.ml.svc.cluster.local', port: 8080, method: 'GET', path: '/predict', headers: new Map(),
  principal: 'cluster.local/ns/web/sa/frontend', namespace: 'web', ...extra,
});

describe('accessOf: how a workload answers a request', () => {
  test('the connection first: STRICT refuses plain text, per port where portLevelMtls says so', () => {
    expect(accessOf(security({ mtls: 'STRICT' }), request(), false)).toBe('refused');
    expect(accessOf(security({ mtls: 'STRICT' }), request(), true)).toBe('allowed');
    expect(accessOf(security({ mtls: 'STRICT', portMtls: { 8080: 'DISABLE' } }), request(), false)).toBe('allowed');
    expect(accessOf(security({ mtls: 'STRICT', portMtls: { 8080: 'UNSET' } }), request(), false)).toBe('refused');
    // ISTIO_MUTUAL against DISABLE fails; a DestinationRule without Istio mTLS against STRICT too.
    expect(accessOf(security({ mtls: 'DISABLE', clientTls: 'ISTIO_MUTUAL' }), request(), true)).toBe('refused');
    expect(accessOf(security({ mtls: 'STRICT', clientTls: 'SIMPLE' }), request(), true)).toBe('refused');
  });

  test('identity reaches the policies only over mTLS', () => {
    const allowWeb = security({ policies: [policy('ALLOW', [{ from: [{ source: { namespaces: ['web'] } }] }])] });
    expect(accessOf(allowWeb, request(), true)).toBe('allowed');
    expect(accessOf({ ...allowWeb, clientTls: 'DISABLE' }, request(), true)).toBe('denied');
  });

  test('then DENY, ALLOW, and CUSTOM: a request a CUSTOM policy matches is served only if its authorizer agrees', () => {
    const deny = policy('DENY', [{ to: [{ operation: { paths: ['/admin'] } }] }]);
    const allow = policy('ALLOW', [{ to: [{ operation: { methods: ['GET'] } }] }]);
    const custom = policy('CUSTOM', [{ to: [{ operation: { paths: ['/predict'] } }] }]);
    const all = security({ policies: [deny, allow, custom] });
    expect(accessOf(all, request({ path: '/admin' }), true)).toBe('denied');
    expect(accessOf(all, request({ method: 'POST', path: '/other' }), true)).toBe('denied');
    expect(accessOf(all, request(), true)).toBe('checked');
    expect(accessOf(all, request({ path: '/other' }), true)).toBe('allowed');
  });

  test('a probe may set what the routing objects never give: request principals, IP blocks, when keys', () => {
    const claims = security({ policies: [policy('ALLOW', [{ from: [{ source: { requestPrincipals: ['issuer/*'] } }], when: [{ key: 'request.auth.claims[group]', values: ['admins'] }] }])] });
    expect(accessOf(claims, request(), true)).toBe('denied');
    const attributes = new Map([['requestPrincipals', 'issuer/alice'], ['request.auth.claims[group]', 'admins']]);
    expect(accessOf(claims, request({ attributes }), true)).toBe('allowed');
  });
});
