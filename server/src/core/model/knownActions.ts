/**
 * The catalog actions a statement's `Action` element stands for, when that can be known
 * for certain: every entry a plain string naming known actions. Checks that reason about
 * "no action of the statement …" use it and stay silent otherwise.
 */
import type { ActionInfo, Catalog } from '../catalog/catalog';
import { actionExpansion, itemActionFact } from './actionFacts';
import { statementItems, type Statement, type ValueItem } from './policyDocument';

export class KnownActions {
  private distinct: readonly ActionInfo[] | undefined;

  /**
   * `each`: the actions of every entry in turn, an action named by two entries twice (shared: do
   * not modify). `parts`: each entry's actions, one list per entry (the expansions of their
   * action facts, shared from file to file: answers kept per list serve every statement naming it).
   */
  constructor(readonly each: readonly ActionInfo[], repeats: boolean, readonly parts: readonly (readonly ActionInfo[])[]) {
    if (!repeats) this.distinct = each;
  }

  /** Each action once (for messages; catalog entries are unique objects). */
  get actions(): readonly ActionInfo[] {
    return (this.distinct ??= [...new Set(this.each)]);
  }
}

/**
 * The actions of a statement with an `Action` element whose entries are all known.
 * Undefined for `NotAction` statements, intrinsic or non-string entries, unknown actions,
 * and service wildcards (`*`, `*:Get*`), which stand for nearly everything.
 */
export function knownStatementActions(catalog: Catalog, statement: Statement): KnownActions | undefined {
  // Several checks ask about the same statement of one run: computed once (shared result).
  // Kept on the statement itself: a weak map keyed by the run's statements would hold their
  // trees through young-generation collections (see bench/README.md, item 25).
  const memo = statement.knownActions;
  if (memo && memo.catalog === catalog) return memo.known;
  const known = readKnownActions(catalog, statement);
  statement.knownActions = { catalog, known };
  return known;
}

function readKnownActions(catalog: Catalog, statement: Statement): KnownActions | undefined {
  if (statement.elements.NotAction) return undefined;
  if (!statement.elements.Action?.value) return undefined;
  const items = statementItems(statement, 'Action');
  if (items.length === 0) return undefined;
  if (items.length === 1) {
    const only = knownExpansion(catalog, items[0]);
    return only && new KnownActions(only, false, [only]);
  }
  const each: ActionInfo[] = [];
  const parts: (readonly ActionInfo[])[] = [];
  for (let j = 0; j < items.length; j++) {
    const item = items[j];
    const expanded = knownExpansion(catalog, item);
    if (!expanded) return undefined;
    for (let i = 0; i < expanded.length; i++) {
      const a = expanded[i];
      each.push(a);
    }
    parts.push(expanded);
  }
  return new KnownActions(each, true, parts);
}

/** The actions an entry stands for, when it is a string of a known service (no service wildcard) naming at least one. */
function knownExpansion(catalog: Catalog, item: ValueItem): readonly ActionInfo[] | undefined {
  const fact = itemActionFact(catalog, item);
  if (!fact || fact.serviceWildcard || !fact.serviceKnown) return undefined;
  const expanded = actionExpansion(catalog, fact);
  return expanded.length ? expanded : undefined;
}

/** `kms:Decrypt, kms:Encrypt and 3 more` for messages. */
export function describeActions(actions: readonly ActionInfo[], max = 3): string {
  const names = actions.slice(0, max).map((a) => `${a.service}:${a.name}`);
  const rest = actions.length - names.length;
  return rest > 0 ? `${names.join(', ')} and ${rest} more` : names.join(', ');
}
