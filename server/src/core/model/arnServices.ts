/**
 * The service parts ARNs can have according to the catalog: every IAM service prefix, and
 * the service of every documented resource ARN format. The two differ: some resources have
 * ARNs of a service without IAM actions of its own (`elastic-inference` accelerators for
 * `ec2:RunInstances`, `catalog` portfolios for Service Catalog).
 */
import type { Catalog } from '../catalog/catalog';

const formatServices = new WeakMap<Catalog, Set<string>>();

/** True when some service of the catalog has ARNs with this service part (case-insensitive). */
export function isKnownArnService(catalog: Catalog, service: string): boolean {
  const lower = service.toLowerCase();
  return catalog.hasService(lower) || arnFormatServices(catalog).has(lower);
}

/** Every service part the catalog knows ARNs for (lower case). */
export function knownArnServices(catalog: Catalog): Set<string> {
  return new Set([...catalog.serviceNames().keys(), ...arnFormatServices(catalog)]);
}

/**
 * Services named by resource ARN formats, read once per catalog straight from its resource
 * type files (loading every service through the catalog would read all actions as well).
 * Asked only for ARNs whose service is not an IAM prefix.
 */
function arnFormatServices(catalog: Catalog): Set<string> {
  let out = formatServices.get(catalog);
  if (out) return out;
  out = new Set();
  for (const prefix of catalog.serviceNames().keys()) {
    const types = catalog.readJson<Record<string, { arn?: string }>>('resourceTypes', `${prefix}.json`);
    if (!types) continue;
    for (const t of Object.values(types)) {
      for (const arn of String(t.arn ?? '').split(/,\s*(?=arn:)/)) {
        const service = arn.split(':')[2];
        if (service && !service.includes('$')) out.add(service.toLowerCase());
      }
    }
  }
  formatServices.set(catalog, out);
  return out;
}
