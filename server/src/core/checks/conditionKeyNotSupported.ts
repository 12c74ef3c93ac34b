import type { Check } from './check';
import type { ActionInfo, Catalog } from '../catalog/catalog';
import { statementConditions } from '../model/conditions';
import { describeActions, knownStatementActions } from '../model/knownActions';
import { matchesWildcard } from '../wildcard';
import { boundedMemoFor } from '../recentCache';

/**
 * A catalog key name as a lower-case wildcard pattern: `${TagKey}`, `<key>` and a trailing
 * `/tag-key` (the reference writes all three) stand for any text.
 */
export function conditionKeyPattern(key: string): string {
  return key.toLowerCase().replace(/\$\{[^}]*\}|<[^>]*>/g, '*').replace(/\/tag-key$/, '/*');
}

/** Every condition key an action documents: its own, and those of its resource types, as patterns. */
export function actionConditionKeys(catalog: Catalog, action: ActionInfo): string[] {
  const keys = new Set<string>(action.conditionKeys);
  for (const rt of action.resourceTypes) {
    for (const k of rt.conditionKeys) keys.add(k);
    for (const k of catalog.resourceType(action.service, rt.name)?.conditionKeys ?? []) keys.add(k);
  }
  return [...new Set([...keys].map(conditionKeyPattern))];
}

/** Per action (catalog entries are never replaced): its condition keys as patterns. */
const keysByAction = new WeakMap<ActionInfo, string[]>();
/**
 * Per catalog: `service key` → whether an action of the service documents the key. Keys with
 * placeholders (`s3:RequestObjectTag/<key>`) come from policy text, so the map starts over
 * when it holds MAX_DOCUMENTED answers.
 */
const documentedByCatalog = new WeakMap<Catalog, Map<string, boolean>>();
const MAX_DOCUMENTED = 10_000;

function keysOf(catalog: Catalog, a: ActionInfo): string[] {
  let keys = keysByAction.get(a);
  if (!keys) keysByAction.set(a, (keys = actionConditionKeys(catalog, a)));
  return keys;
}

/**
 * Whether any action or resource type of a service documents the key. A key the service
 * defines but ties to nothing is a gap in the reference, not evidence.
 */
function documentedOnAnyAction(catalog: Catalog, service: string, key: string): boolean {
  return boundedMemoFor(documentedByCatalog, catalog, `${service} ${key}`, MAX_DOCUMENTED, () => catalog.actions(service).some((a) => keysOf(catalog, a).some((k) => matchesWildcard(k, key))));
}

/**
 * Condition keys KMS documents for IAM policies only: `kms:ResourceAliases` ("IAM policies
 * only") and `aws:ResourceTag/…` (tag authorization "isn't supported in key policies").
 * Whether PutKeyPolicy refuses them is not documented, so they are reported as having no effect.
 */
function iamPolicyOnly(key: string): boolean {
  const k = key.toLowerCase();
  return k === 'kms:resourcealiases' || k.startsWith('aws:resourcetag/');
}

/**
 * A service condition key that no action of the statement supports: the request never
 * carries it, so the condition never matches (or, with IfExists, always does). Global keys
 * count as supported; unknown keys are `unknown-condition-key`'s to report. An action of the
 * key's own service that documents no condition keys at all counts as "not known", not as
 * "unsupported".
 */
export const conditionKeyNotSupported: Check = {
  id: 'condition-key-not-supported',
  defaultSeverity: 'warning',
  summary: 'No action of the statement supports this condition key',
  statementLocal: true,
  run(ctx) {
    for (const s of ctx.statements) {
      const entries = statementConditions(s);
      if (entries.length === 0) continue;
      const known = knownStatementActions(ctx.catalog, s);
      if (!known) continue;
      for (const c of entries) {
        if (ctx.doc.kind === 'kms-key-policy' && iamPolicyOnly(c.key)) {
          ctx.report(c.keyNode, `${c.key} has no effect in a key policy: KMS documents it for IAM policies only. Use it in the IAM policies that allow access to the key, or name the key's principals and aliases here directly.`);
          continue;
        }
        const info = ctx.catalog.conditionKey(c.key);
        if (!info || info.global || !info.service) continue;
        const key = c.key.toLowerCase();
        const supportedOrUnknown = known.each.some((a) => {
          const keys = keysOf(ctx.catalog, a);
          return keys.some((k) => matchesWildcard(k, key)) || (a.service === info.service && keys.length === 0);
        });
        if (supportedOrUnknown || !documentedOnAnyAction(ctx.catalog, info.service, key)) continue;
        const effect = c.operator.ifExists
          ? 'with IfExists the condition is always true'
          : c.operator.base === 'Null' ? 'the key is always absent' : 'the condition never matches as intended';
        ctx.report(c.keyNode, `${info.key} is not supported by ${known.actions.length === 1 ? 'the action' : 'any action'} of this statement (${describeActions(known.actions)}): requests for them never carry it, so ${effect}.`);
      }
    }
  },
};
