import { fullName, type AnalysisSet, type CrossObjectFinding } from './analysis-set';

const VERIFYING_MODES = new Set(['SIMPLE', 'MUTUAL']);

/** Verification is skipped only for a gateway DestinationRule (workloadSelector) that takes its certificates from credentialName. */
function verifiesServer(tls: any, hasWorkloadSelector: boolean): boolean {
  if (!VERIFYING_MODES.has(tls?.mode)) return true;
  if (typeof tls.caCertificates === 'string' && tls.caCertificates !== '') return true;
  return typeof tls.credentialName === 'string' && tls.credentialName !== '' && hasWorkloadSelector;
}

/** Go's String() of a PortSelector, as istioctl prints it: the proto text format. */
function portSelectorText(port: any): string {
  const number = Number(port?.number ?? 0);
  return number === 0 ? '' : `number:${number}`;
}

/**
 * destinationrule.CaCertificateAnalyzer: TLS mode SIMPLE or MUTUAL without caCertificates does not verify the
 * server's certificate (IST0128 for the DestinationRule's policy, IST0129 per port).
 */
export function analyzeCaCertificates(set: AnalysisSet): CrossObjectFinding[] {
  const findings: CrossObjectFinding[] = [];
  for (const dr of set.reported('DestinationRule')) {
    const policy = dr.spec?.trafficPolicy;
    const hasWorkloadSelector = dr.spec?.workloadSelector !== undefined && dr.spec?.workloadSelector !== null;
    const host = String(dr.spec?.host ?? '');
    const where = `DestinationRule ${fullName(dr)} in namespace ${dr.namespace} has TLS mode set to`;
    if (!verifiesServer(policy?.tls, hasWorkloadSelector)) {
      findings.push({ objectIndex: dr.index, path: 'spec.trafficPolicy.tls.mode', severity: 'warning', code: 'IST0128', rule: 'analyzer.tls-no-ca-certificates',
        message: `${where} ${policy.tls.mode} but no caCertificates are set to validate server identity for host: ${host}` });
    }
    (Array.isArray(policy?.portLevelSettings) ? policy.portLevelSettings : []).forEach((settings: any, i: number) => {
      if (verifiesServer(settings?.tls, hasWorkloadSelector)) return;
      findings.push({ objectIndex: dr.index, path: `spec.trafficPolicy.portLevelSettings[${i}].tls.mode`, severity: 'warning', code: 'IST0129', rule: 'analyzer.tls-no-ca-certificates',
        message: `${where} ${settings.tls.mode} but no caCertificates are set to validate server identity for host: ${host} at port ${portSelectorText(settings.port)}` });
    });
  }
  return findings;
}
