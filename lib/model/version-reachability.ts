import { ServiceModel } from './service-model';

/**
 * Every declared version is named by some route (a 0% share counts: it is a
 * declared intent), or declared idle; an idle version takes no traffic.
 */
export function versionReachabilityProblems(model: ServiceModel): string[] {
  const problems: string[] = [];
  for (const version of model.versions) {
    const naming = model.routes.filter((r) => r.referencedVersions.includes(version.name));
    const serving = model.routes.filter((r) => r.servedVersions.includes(version.name));
    if (!version.idle && naming.length === 0) {
      problems.push(`version "${version.name}": no route sends it traffic, so no request can reach it; declare it idle: true if that is on purpose`);
    }
    if (version.idle && serving.length > 0) {
      problems.push(`version "${version.name}": is declared idle, but route ${serving.map((r) => `"${r.name}"`).join(', ')} sends it traffic`);
    }
  }
  return problems;
}
