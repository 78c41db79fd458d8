import { fqdnError, isIpAddress, portError } from '../core/dns';
import { childPath } from '../core/field-path';
import type { Findings } from '../core/finding';
import { checkDuration } from './http-policy-rules';
import { checkLoadBalancer } from './load-balancer-rules';

/** validateTrafficPolicy and what it calls, for top level, per subset and per port (catalogue rules 42-50). */
export function checkTrafficPolicy(policy: any, path: string, namespace: string, findings: Findings): void {
  if (policy === undefined || policy === null) return;
  const fields = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol'];
  if (!fields.some((field) => policy[field] != null)) {
    return findings.error('dr.traffic-policy-empty', path, 'traffic policy must have at least one field');
  }
  if (policy.tunnel != null && policy.proxyProtocol != null) {
    return findings.error('dr.tunnel-proxy-protocol', path, 'tunnel and proxyProtocol must not be set together');
  }
  checkOutlierDetection(policy.outlierDetection, childPath(path, 'outlierDetection'), findings);
  checkConnectionPool(policy.connectionPool, childPath(path, 'connectionPool'), findings);
  checkLoadBalancer(policy.loadBalancer, policy.outlierDetection, childPath(path, 'loadBalancer'), findings);
  checkClientTls(policy.tls, childPath(path, 'tls'), namespace, findings);
  checkPortLevelSettings(policy.portLevelSettings, childPath(path, 'portLevelSettings'), namespace, findings);
  checkTunnel(policy.tunnel, childPath(path, 'tunnel'), findings);
  // proxyProtocol.version: the CRD enum (schema.ts) rejects anything but V1/V2 first; istioctl fails
  // earlier still, decoding the enum, so the webhook's "proxy protocol version is invalid" never shows.
}

function checkPortLevelSettings(settings: unknown, path: string, namespace: string, findings: Findings): void {
  if (!Array.isArray(settings)) return;
  // A null entry is checked as {}, as istiod decodes it (proto-zero-values.ts).
  settings.forEach((raw: any, index: number) => {
    const at = childPath(path, index);
    const setting = raw ?? {};
    if (setting.port == null) findings.error('dr.port-policy', at, 'portTrafficPolicy must have valid port');
    if (setting.outlierDetection == null && setting.connectionPool == null && setting.loadBalancer == null && setting.tls == null) {
      return findings.error('dr.port-policy', at, 'port traffic policy must have at least one field');
    }
    checkOutlierDetection(setting.outlierDetection, childPath(at, 'outlierDetection'), findings);
    checkConnectionPool(setting.connectionPool, childPath(at, 'connectionPool'), findings);
    checkLoadBalancer(setting.loadBalancer, setting.outlierDetection, childPath(at, 'loadBalancer'), findings);
    checkClientTls(setting.tls, childPath(at, 'tls'), namespace, findings);
  });
}

function checkOutlierDetection(outlier: any, path: string, findings: Findings): void {
  if (!outlier || typeof outlier !== 'object') return;
  checkDuration(outlier.baseEjectionTime, childPath(path, 'baseEjectionTime'), findings);
  if (Number(outlier.consecutiveErrors ?? 0) !== 0) {
    findings.warning('dr.outlier-consecutive-errors', childPath(path, 'consecutiveErrors'), 'outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead');
  }
  if (outlier.splitExternalLocalOriginErrors !== true && Number(outlier.consecutiveLocalOriginFailures ?? 0) > 0) {
    findings.error('dr.outlier-local-origin', childPath(path, 'consecutiveLocalOriginFailures'), 'outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false');
  }
  checkDuration(outlier.interval, childPath(path, 'interval'), findings);
  for (const field of ['maxEjectionPercent', 'minHealthPercent']) {
    const value = Number(outlier[field] ?? 0);
    if (value < 0 || value > 100) findings.error('dr.outlier-percent', childPath(path, field), `percentage ${value} is not in range 0..100`);
  }
}

const NON_NEGATIVE_HTTP_SETTINGS: [string, string][] = [
  ['http1MaxPendingRequests', 'http1 max pending requests must be non-negative'],
  ['http2MaxRequests', 'http2 max requests must be non-negative'],
  ['maxRequestsPerConnection', 'max requests per connection must be non-negative'],
  ['maxRetries', 'max retries must be non-negative'],
  ['maxConcurrentStreams', 'max concurrent streams must be non-negative'],
];

function checkConnectionPool(pool: any, path: string, findings: Findings): void {
  if (pool === undefined || pool === null) return;
  if (pool.http == null && pool.tcp == null) return findings.error('dr.connection-pool-empty', path, 'connection pool must have at least one field');
  const http = pool.http;
  if (http != null) {
    const at = childPath(path, 'http');
    for (const [field, message] of NON_NEGATIVE_HTTP_SETTINGS) {
      if (Number(http[field] ?? 0) < 0) findings.error('dr.connection-pool-negative', childPath(at, field), message, http[field]);
    }
    checkDuration(http.idleTimeout, childPath(at, 'idleTimeout'), findings);
    if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol === true) {
      findings.error('dr.connection-pool-h2', at, 'use client protocol must not be true when H2UpgradePolicy is UPGRADE');
    }
  }
  const tcp = pool.tcp;
  if (tcp != null) {
    const at = childPath(path, 'tcp');
    if (Number(tcp.maxConnections ?? 0) < 0) findings.error('dr.connection-pool-negative', childPath(at, 'maxConnections'), 'max connections must be non-negative', tcp.maxConnections);
    checkDuration(tcp.connectTimeout, childPath(at, 'connectTimeout'), findings);
    checkDuration(tcp.maxConnectionDuration, childPath(at, 'maxConnectionDuration'), findings);
    // tcp.idleTimeout may be 0s: it disables the timeout.
    if (tcp.idleTimeout != null && !/^[+-]?0+(\.0*)?(ns|us|µs|μs|ms|s|m|h)?$/.test(String(tcp.idleTimeout))) {
      checkDuration(tcp.idleTimeout, childPath(at, 'idleTimeout'), findings);
    }
    checkDuration(tcp.tcpKeepalive?.time, childPath(childPath(at, 'tcpKeepalive'), 'time'), findings);
    checkDuration(tcp.tcpKeepalive?.interval, childPath(childPath(at, 'tcpKeepalive'), 'interval'), findings);
  }
}

/** agent.ValidateTLS (client TLS settings). */
function checkClientTls(tls: any, path: string, namespace: string, findings: Findings): void {
  if (!tls || typeof tls !== 'object') return;
  const credentialName: string = tls.credentialName ?? '';
  const error = (message: string) => findings.error('dr.tls', path, message);
  if (credentialName.startsWith('configmap://')) {
    const reference = credentialName.slice('configmap://'.length).split('/');
    const referencedNamespace = reference.length > 1 ? reference[0] : namespace;
    if (referencedNamespace !== namespace) error(`invalid configmap:// credentialName: namespace must match the configuration namespace "${namespace}"`);
  }
  const hasSans = tls.subjectAltNames != null;
  if (tls.insecureSkipVerify === true) {
    if (tls.mode === 'SIMPLE' && ((tls.caCertificates ?? '') !== '' || credentialName !== '' || hasSans)) {
      error('cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true');
    }
    if (tls.mode === 'MUTUAL' && ((tls.caCertificates ?? '') !== '' || hasSans)) {
      error('cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true');
    }
  }
  if ((tls.mode === 'SIMPLE' || tls.mode === 'MUTUAL') && credentialName !== '') {
    if (['clientCertificate', 'caCertificates', 'privateKey', 'caCrl'].some((field) => (tls[field] ?? '') !== '')) {
      error('cannot specify client certificates or CA certificate or CA CRL If credentialName is set');
    }
    return;
  }
  if (tls.mode === 'MUTUAL') {
    if ((tls.clientCertificate ?? '') === '') error('client certificate required for mutual tls');
    if ((tls.privateKey ?? '') === '') error('private key required for mutual tls');
  }
}

function checkTunnel(tunnel: any, path: string, findings: Findings): void {
  if (!tunnel || typeof tunnel !== 'object') return;
  const protocol = tunnel.protocol ?? '';
  if (protocol !== '' && protocol !== 'CONNECT' && protocol !== 'POST') {
    findings.error('dr.tunnel', childPath(path, 'protocol'), 'tunnel protocol must be "CONNECT" or "POST"');
  }
  const targetHost = String(tunnel.targetHost ?? '');
  const hostProblem = fqdnError(targetHost);
  if (hostProblem && !isIpAddress(targetHost)) {
    findings.error('dr.tunnel', childPath(path, 'targetHost'), `tunnel target host must be valid FQDN or IP address: ${hostProblem}; ${targetHost} is not a valid IP`);
  }
  const portProblem = portError(Number(tunnel.targetPort ?? 0));
  if (portProblem) findings.error('dr.tunnel', childPath(path, 'targetPort'), `tunnel target port is invalid: ${portProblem}`);
}
