import type { Check } from './check';
import type { Catalog } from '../catalog/catalog';
import type { JsonNode } from '../json/jsonDocument';
import { properties, stringValue } from '../json/nodes';
import { expandActionString, parseAction } from '../model/actionNames';
import { matchesWildcard } from '../wildcard';
import { parseArn } from '../model/arn';
import { type ValueItem, statementItems } from '../model/policyDocument';

const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

type Form = 'alias ARN' | 'alias name' | 'key id';

/** How a Resource value names a key other than by its key ARN, if it does. */
function keyReference(text: string): Form | undefined {
  const arn = parseArn(text);
  if (arn) return arn.service.toLowerCase() === 'kms' && arn.resource.startsWith('alias/') ? 'alias ARN' : undefined;
  if (text.startsWith('alias/')) return 'alias name';
  return KEY_ID.test(text) ? 'key id' : undefined;
}

/** The text of a Resource item: the string, or the template of a CloudFormation `Fn::Sub`. */
function resourceText(item: ValueItem): string | undefined {
  if (item.value !== undefined) return item.value;
  if (!item.intrinsic) return undefined;
  const [p] = properties(item.node);
  if (p?.name !== 'Fn::Sub') return undefined;
  const template = stringValue(p.value) ?? stringValue(p.value?.children?.[0]);
  // `${AWS::Region}` and other substitutions hold no colon once resolved.
  return template?.replace(/\$\{[^}]*\}/g, 'X');
}

/** Whether an action string can stand for KMS actions (`kms:…`, `*`, `k*:…`). */
function mayBeKms(action: string): boolean {
  const a = parseAction(action);
  return !!a && matchesWildcard(a.service, 'kms', true);
}

/** What the KMS actions of one Action entry (its service part matches `kms`) accept: a key only, or an alias too. */
function entryTargets(catalog: Catalog, action: string): { key: boolean; alias: boolean } {
  const out = { key: false, alias: false };
  const name = parseAction(action)?.name ?? '';
  const aList = expandActionString(catalog, `kms:${name}`);
  for (let j = 0; j < aList.length; j++) {
    const a = aList[j];
    for (let i = 0; i < a.resourceTypes.length; i++) {
      const r = a.resourceTypes[i];
      if (r.name === 'key') out.key = true;
      if (r.name === 'alias') out.alias = true;
    }
  }
  return out;
}

/**
 * An identity policy that names a key by alias ARN, alias name or key id for actions on
 * keys: IAM matches the request's key ARN, so such a statement never applies to the key.
 * Alias ARNs are right for the alias actions (CreateAlias, UpdateAlias, DeleteAlias):
 * entries whose actions include one of those are not reported for alias ARNs.
 */
export const aliasAsKeyResource: Check = {
  id: 'alias-as-key-resource',
  defaultSeverity: 'warning',
  summary: 'IAM policy names a key by alias ARN or key id for key actions',
  statementLocal: true,
  kinds: ['iam-identity-policy'],
  run(ctx) {
    for (let j = 0; j < ctx.statements.length; j++) {
      const s = ctx.statements[j];
      if (!s.elements.Resource?.value || !s.elements.Action) continue;
      const references: { node: JsonNode; form: Form }[] = [];
      const rs = statementItems(s, 'Resource');
      for (let i = 0; i < rs.length; i++) {
        const r = rs[i];
        const text = resourceText(r);
        // Only a text with an alias in it, or as long as a key id, can name a key otherwise.
        const form = text !== undefined && (text.length === 36 || text.includes('alias/')) ? keyReference(text) : undefined;
        if (form) references.push({ node: r.node, form });
      }
      if (references.length === 0) continue;
      const entries = statementItems(s, 'Action')
        .filter((a): a is ValueItem & { value: string } => a.value !== undefined && mayBeKms(a.value))
        .map((a) => ({ action: a.value, ...entryTargets(ctx.catalog, a.value) }));
      const keyOnly = entries.filter((e) => e.key && !e.alias).map((e) => e.action);
      const anyKey = entries.filter((e) => e.key).map((e) => e.action);
      for (let i = 0; i < references.length; i++) {
        const { node, form } = references[i];
        const actions = form === 'key id' ? anyKey : keyOnly;
        if (actions.length === 0) continue;
        report(ctx, node, form, actions);
      }
    }
  },
};

function report(ctx: Parameters<Check['run']>[0], node: JsonNode, form: Form, actions: string[]) {
  const shown = actions.slice(0, 3).join(', ') + (actions.length > 3 ? ` and ${actions.length - 3} more` : '');
  const instead = form === 'key id'
    ? 'Use the key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY_ID).'
    : 'Use the key ARN, or "arn:aws:kms:REGION:ACCOUNT:key/*" with a kms:RequestAlias or kms:ResourceAliases condition to select keys by alias.';
  ctx.report(node, `A ${form} does not identify a key in an IAM policy: for ${shown}, this resource never matches the key. ${instead}`);
}
