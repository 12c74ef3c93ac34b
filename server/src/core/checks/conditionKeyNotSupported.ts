import type { Check } from './check';
import type { ActionInfo, Catalog } from '../catalog/catalog';
import { conditionEntries } from '../model/conditions';
import { actionKey } from '../model/actions';
import { describeActions, knownStatementActions } from '../model/statementActions';
import { matchesWildcard } from '../wildcard';

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

/**
 * Whether any action or resource type of a service documents the key. A key the service
 * defines but ties to nothing is a gap in the reference, not evidence.
 */
function documentedOnAnyAction(catalog: Catalog, service: string, key: string, cache: Map<string, string[]>): boolean {
  return catalog.actions(service).some((a) => keysOf(catalog, a, cache).some((k) => matchesWildcard(k, key)));
}

function keysOf(catalog: Catalog, a: ActionInfo, cache: Map<string, string[]>): string[] {
  const id = actionKey(a);
  let keys = cache.get(id);
  if (!keys) cache.set(id, (keys = actionConditionKeys(catalog, a)));
  return keys;
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
  run(ctx) {
    const cache = new Map<string, string[]>();
    for (const s of ctx.statements) {
      const entries = conditionEntries(s.elements.Condition?.value);
      if (entries.length === 0) continue;
      const known = knownStatementActions(ctx.catalog, s);
      if (!known) continue;
      for (const c of entries) {
        const info = ctx.catalog.conditionKey(c.key);
        if (!info || info.global || !info.service) continue;
        const key = c.key.toLowerCase();
        const supportedOrUnknown = known.actions.some((a) => {
          const keys = keysOf(ctx.catalog, a, cache);
          return keys.some((k) => matchesWildcard(k, key)) || (a.service === info.service && keys.length === 0);
        });
        if (supportedOrUnknown || !documentedOnAnyAction(ctx.catalog, info.service, key, cache)) continue;
        const effect = c.operator.ifExists
          ? 'with IfExists the condition is always true'
          : c.operator.base === 'Null' ? 'the key is always absent' : 'the condition never matches as intended';
        ctx.report(c.keyNode, `${info.key} is not supported by ${known.actions.length === 1 ? 'the action' : 'any action'} of this statement (${describeActions(known.actions)}): requests for them never carry it, so ${effect}.`);
      }
    }
  },
};
