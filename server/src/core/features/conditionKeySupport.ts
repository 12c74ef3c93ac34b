/**
 * The catalog actions a statement names, and which of them support a condition key.
 * Used to rank condition keys in completion and to explain a key on hover.
 */
import type { ActionInfo, Catalog } from '../catalog/catalog';
import { expandActionString, parseAction } from '../model/actionNames';
import { type Statement, statementItems, ACTION_ELEMENTS } from '../model/policyDocument';
import { matchesWildcard } from '../wildcard';

/** Expansions larger than this (`*`, `*:Get*`) are not listed action by action. */
export const MAX_EXPANDED_ACTIONS = 2000;

export interface StatementCatalogActions {
  /** Catalog actions of the `Action` element (empty for `NotAction` statements). */
  actions: ActionInfo[];
  /** True when the expansion was too large to list (for instance `"*"`). */
  tooMany: boolean;
  /** Service prefixes (lower case) written in `Action` or `NotAction`, wildcards excluded. */
  services: string[];
}

export function statementCatalogActions(catalog: Catalog, statement: Statement | undefined): StatementCatalogActions {
  const out: StatementCatalogActions = { actions: [], tooMany: false, services: [] };
  if (!statement) return out;
  const services = new Set<string>();
  for (const name of ACTION_ELEMENTS) {
    for (const item of statementItems(statement, name)) {
      if (item.value === undefined) continue;
      const parsed = parseAction(item.value);
      if (!parsed) continue;
      if (!parsed.service.includes('*') && !parsed.service.includes('?')) services.add(parsed.service.toLowerCase());
      if (name !== 'Action' || out.tooMany) continue;
      if (parsed.service === '*' || parsed.service.includes('*') || parsed.service.includes('?')) {
        out.tooMany = true;
        continue;
      }
      out.actions.push(...expandActionString(catalog, item.value));
      if (out.actions.length > MAX_EXPANDED_ACTIONS) out.tooMany = true;
    }
  }
  if (out.tooMany) out.actions = [];
  const seen = new Set<string>();
  out.actions = out.actions.filter((a) => {
    const k = `${a.service}:${a.name}`.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  out.services = [...services];
  return out;
}

/** Keys an action supports: its own and those of its resource types, as written in the catalog. */
export function supportedKeys(catalog: Catalog, action: ActionInfo): string[] {
  const keys = [...action.conditionKeys];
  for (const rt of action.resourceTypes) {
    keys.push(...rt.conditionKeys);
    if (rt.name) keys.push(...(catalog.resourceType(action.service, rt.name)?.conditionKeys ?? []));
  }
  return keys;
}

/** `${TagKey}` and `<key>` parts of catalog condition keys: any text may stand there. */
export const KEY_PLACEHOLDER = /\$\{[^}]*\}|<[^>]*>/g;

/** Whether a written key (`kms:EncryptionContext:purpose`) is one of the catalog keys (with placeholders). */
export function keyMatches(catalogKey: string, written: string): boolean {
  if (catalogKey.toLowerCase() === written.toLowerCase()) return true;
  if (!catalogKey.includes('${') && !catalogKey.includes('<')) return false;
  return matchesWildcard(catalogKey.replace(KEY_PLACEHOLDER, '*'), written, true);
}

export function actionSupportsKey(catalog: Catalog, action: ActionInfo, key: string): boolean {
  return supportedKeys(catalog, action).some((k) => keyMatches(k, key));
}
