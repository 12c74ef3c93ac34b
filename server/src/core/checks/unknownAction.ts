import type { Check } from './check';
import { actionItems, actionString } from './documentActionStrings';
import { nearestName, typoLimit } from '../nearestName';
import { boundedMemoFor } from '../recentCache';
import type { Catalog } from '../catalog/catalog';
import type { CheckContext, GrantCheckContext } from './check';
import type { LocalFix } from '../findings';
import { GRANT_OPERATIONS, grantedAction, type GrantValue } from '../model/kmsGrants';
import type { JsonNode } from '../json/jsonDocument';
import { ACTION_ELEMENTS, statementItems, type ValueItem } from '../model/policyDocument';
import { itemActionFact } from '../model/actionFacts';
import { removeArrayItemEdit } from '../model/valueEdits';
import { hasWildcard } from '../wildcard';
import { patternCovers } from '../wildcardCovers';

/**
 * Per catalog: `service name` (lower case) → the nearest action name, or null. The same
 * misspelt or retired action recurs across policies; texts can hold any name, so the map
 * starts over when it holds MAX_SUGGESTIONS answers.
 */
const suggestions = new WeakMap<Catalog, Map<string, string | null>>();
const MAX_SUGGESTIONS = 10_000;

/** The nearest action, when the name written is a typo of it (not another action with a similar name). */
function suggestAction(catalog: Catalog, service: string, name: string): string | undefined {
  return boundedMemoFor(suggestions, catalog, `${service} ${name.toLowerCase()}`, MAX_SUGGESTIONS, () => nearestName(name, catalog.actionNames(service), typoLimit(name)) ?? null) ?? undefined;
}

/**
 * An operation that IAM authorizes as two actions, one for each side (`kms:ReEncrypt` is
 * `ReEncryptFrom` on the source key and `ReEncryptTo` on the destination): the catalog spellings
 * of the pair, when the written name is such an operation and not an action itself.
 */
function fromToPair(catalog: Catalog, service: string, name: string): [string, string] | undefined {
  // Two look-ups by lower-case name (the catalog's names are unique in lower case), not a pass
  // over every action of the service for each unknown action of each file.
  const lower = name.toLowerCase();
  const from = catalog.action(service, `${lower}from`);
  const to = from && catalog.action(service, `${lower}to`);
  return from && to ? [from.name, to.name] : undefined;
}

/**
 * When the list holding `item` (an Action or NotAction array) already has `action`
 * (`service:Name`), or a wildcard entry that matches it: that entry, with the list's name and
 * array. Renaming the item to `action` would only repeat it.
 */
function listedAlready(ctx: CheckContext, item: ValueItem, action: string): { element: string; array: JsonNode; by: string } | undefined {
  const lower = action.toLowerCase();
  for (let k = 0; k < ctx.statements.length; k++) {
    const s = ctx.statements[k];
    for (let j = 0; j < ACTION_ELEMENTS.length; j++) {
      const element = ACTION_ELEMENTS[j];
      const items = statementItems(s, element);
      if (!items.includes(item)) continue;
      const array = s.elements[element]?.value;
      if (array?.type !== 'array') return undefined;
      // The action itself first, then a wildcard that matches it.
      let covering: string | undefined;
      for (let i = 0; i < items.length; i++) {
        const other = items[i];
        if (other === item || other.value === undefined || !itemActionFact(ctx.catalog, other)) continue;
        const otherLower = other.value.toLowerCase();
        if (otherLower === lower) return { element, array, by: other.value };
        if (covering === undefined && hasWildcard(otherLower) && patternCovers(otherLower, lower)) covering = other.value;
      }
      if (covering !== undefined) return { element, array, by: covering };
      return undefined;
    }
  }
  return undefined;
}

/** What grants can allow, for messages on operations they cannot. */
const GRANTABLE = 'Grants allow only cryptographic operations, DescribeKey, GetPublicKey, CreateGrant and RetireGrant.';

/** The grant operation `name` stands for when it differs only in case (or is one of them), or undefined. */
function grantOperationNamed(name: string): string | undefined {
  const lower = name.toLowerCase();
  return GRANT_OPERATIONS.find((o) => o.toLowerCase() === lower);
}

/** The fix that writes `text` in place of the operation (between its quotes). */
function writeOperation(op: GrantValue, text: string, title: string): LocalFix[] {
  return [{ title, id: 'replace-grant-operation', isPreferred: true, edits: [{ ...op.span, newText: text }] }];
}

/**
 * An operation of a grant that CreateGrant rejects: a `kms:` prefix or another case (the fix
 * writes the operation), ReEncrypt (its two operations), a KMS action grants cannot allow, a
 * typo of a grant operation (the fix writes it), or a name of nothing.
 */
function reportGrantOperation(ctx: GrantCheckContext, op: GrantValue): void {
  const written = op.value;
  const prefixed = /^kms:/i.test(written);
  const name = prefixed ? written.slice(4) : written;
  const exact = grantOperationNamed(name);
  if (exact) {
    const why = prefixed ? 'Grant operations are KMS API names, without the kms: prefix.' : 'Grant operation names are case-sensitive.';
    ctx.report(op.span, `Unknown grant operation "${written}": write "${exact}". ${why}`, writeOperation(op, exact, `Change to "${exact}"`));
    return;
  }
  const from = grantOperationNamed(`${name}From`);
  const to = grantOperationNamed(`${name}To`);
  if (from && to) {
    ctx.report(op.span, `Unknown grant operation "${written}": write "${from}" and "${to}", one for each key of a re-encryption.`,
      writeOperation(op, `${from}", "${to}`, `Change to "${from}", "${to}"`));
    return;
  }
  const action = ctx.catalog.action('kms', name);
  if (action) {
    ctx.report(op.span, `A grant cannot allow ${action.name}: remove it, and allow it in the key policy if needed. ${GRANTABLE}`);
    return;
  }
  const suggestion = nearestName(name, GRANT_OPERATIONS, typoLimit(name));
  if (suggestion) {
    ctx.report(op.span, `Unknown grant operation "${written}": did you mean "${suggestion}"?`, writeOperation(op, suggestion, `Change to "${suggestion}"`));
    return;
  }
  ctx.report(op.span, `Unknown grant operation "${written}": correct it, or remove it. CreateGrant accepts only KMS grant operations (Decrypt, Encrypt, Sign…).`);
}

/** The action is not one of its service's (names compared case-insensitively). */
export const unknownAction: Check = {
  id: 'unknown-action',
  defaultSeverity: 'error',
  summary: 'Action not in the service',
  statementLocal: true,
  run(ctx) {
    const items = actionItems(ctx);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const fact = item.actionFact;
      if (fact.action || fact.serviceWildcard || fact.nameWildcard || !fact.serviceKnown) continue;
      const a = actionString(ctx, item);
      const service = fact.serviceKey;
      const pair = fromToPair(ctx.catalog, service, a.name);
      if (pair) {
        const stem = pair[0].slice(0, -'From'.length);
        ctx.report(a.nameSpan, `Unknown action "${a.name}": write "${a.service}:${stem}*", which allows both of its actions. IAM authorizes ${stem} as two actions, ${pair[0]} (on the source) and ${pair[1]} (on the destination).`, {
          fixes: [
            { title: `Change to "${a.service}:${stem}*" (${pair[0]} and ${pair[1]})`, id: 'replace-action', isPreferred: true, edits: [{ ...a.nameSpan, newText: `${stem}*` }] },
            ...pair.map((n) => ({ title: `Change to "${a.service}:${n}"`, id: 'replace-action', edits: [{ ...a.nameSpan, newText: n }] })),
          ],
        });
        continue;
      }
      const suggestion = suggestAction(ctx.catalog, service, a.name);
      if (!suggestion) {
        ctx.report(a.nameSpan, `Unknown action "${a.name}": correct it, or remove it. ${ctx.catalog.serviceNames().get(service) ?? service} has no action of that name.`);
        continue;
      }
      const listed = listedAlready(ctx, item, `${service}:${suggestion}`);
      if (listed) {
        const how = listed.by.toLowerCase() === `${service}:${suggestion}`.toLowerCase() ? 'is already in' : `is already covered by "${listed.by}" in`;
        ctx.report(a.nameSpan, `Unknown action "${a.name}" in ${service}: remove it. Its nearest action, "${suggestion}", ${how} this ${listed.element} list.`, {
          fixes: [{ title: `Remove "${a.value}"`, id: 'remove-unknown-action', isPreferred: true, edits: [removeArrayItemEdit(listed.array, item.node)] }],
        });
        continue;
      }
      ctx.report(a.nameSpan, `Unknown action "${a.name}" in ${service}: did you mean "${suggestion}"?`, {
        fixes: [{ title: `Change to "${a.service}:${suggestion}"`, id: 'replace-action', isPreferred: true, edits: [{ ...a.nameSpan, newText: suggestion }] }],
      });
    }
  },
  grants(ctx) {
    for (const g of ctx.grants) {
      for (const op of g.operations) if (!grantedAction(op.value)) reportGrantOperation(ctx, op);
    }
  },
};
