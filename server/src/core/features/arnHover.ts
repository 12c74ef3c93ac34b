/** Hover text for an ARN: its parts labelled, and the catalog resource type it matches. */
import type { Catalog, ResourceTypeInfo } from '../catalog/catalog';
import { parseArn, type Arn } from '../model/arn';
import type { Workspace } from '../workspace/workspace';
import { wildcardsIntersect } from '../wildcard';
import { accountLabel } from './workspaceFacts';

/** The catalog resource type of the ARN's service whose ARN format matches it most specifically. */
export function matchResourceType(catalog: Catalog, arn: string): ResourceTypeInfo | undefined {
  const parsed = parseArn(arn);
  if (!parsed || !catalog.hasService(parsed.service)) return undefined;
  let best: ResourceTypeInfo | undefined;
  let bestLiteral = -1;
  for (const rt of catalog.resourceTypes(parsed.service)) {
    if (!rt.arn) continue;
    const format = parseArn(rt.arn.replace(/\$\{[^}]*\}/g, '*'));
    if (!format || !partsIntersect(format, parsed)) continue;
    const literal = format.resource.replace(/[*?]/g, '').length;
    if (literal > bestLiteral) {
      best = rt;
      bestLiteral = literal;
    }
  }
  return best;
}

/** Part by part, so that a wildcard in one part cannot stand for the others. */
function partsIntersect(format: Arn, arn: Arn): boolean {
  return (['partition', 'service', 'region', 'account', 'resource'] as const).every((k) => wildcardsIntersect(format[k], arn[k], true));
}

function part(value: string, empty: string): string {
  return value === '' ? empty : `\`${value}\``;
}

/** `file`: the hovered file (account names from its manifest). */
export function arnMarkdown(catalog: Catalog, ws: Workspace, arn: string, file: string): string | undefined {
  const a = parseArn(arn);
  if (!a) return undefined;
  const serviceName = catalog.serviceNames().get(a.service.toLowerCase());
  const account = a.account === '' ? 'none' : /^\d{12}$/.test(a.account) ? accountLabel(ws, a.account, file) : `\`${a.account}\``;
  const lines = [
    '**ARN**',
    '',
    `- partition: ${part(a.partition, '(empty)')}`,
    `- service: ${part(a.service, '(empty)')}${serviceName ? ` (${serviceName})` : ''}`,
    `- region: ${part(a.region, 'none (global resource)')}`,
    `- account: ${account}`,
    `- resource: ${part(a.resource, '(empty)')}`,
  ];
  const rt = matchResourceType(catalog, arn);
  if (rt) lines.push('', `Resource type \`${rt.key}\`: \`${rt.arn}\``);
  else if (serviceName) lines.push('', `Matches no resource type of \`${a.service}\`.`);
  return lines.join('\n');
}
