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

/** Services named by resource ARN formats (the catalog's data lists them), once per catalog. */
function arnFormatServices(catalog: Catalog): Set<string> {
  let out = formatServices.get(catalog);
  if (!out) formatServices.set(catalog, (out = new Set(catalog.data.arnServices())));
  return out;
}
