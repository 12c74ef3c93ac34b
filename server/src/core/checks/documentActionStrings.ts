/** The `service:name` strings of a document's Action and NotAction elements, for the catalog checks. */
import type { Catalog } from '../catalog/catalog';
import type { JsonNode } from '../json/jsonDocument';
import { valueSpan } from '../json/stringRange';
import type { Span } from '../findings';
import { itemActionFact, type ActionFact } from '../model/actionFacts';
import { ACTION_ELEMENTS, statementItems, type Statement, type ValueItem } from '../model/policyDocument';
import type { CheckContext } from './check';

export interface ActionString {
  node: JsonNode;
  value: string;
  service: string;
  name: string;
  fact: ActionFact;
  /** Span of the service prefix in the document text. */
  serviceSpan: Span;
  /** Span of the part after the colon. */
  nameSpan: Span;
}

/** An Action or NotAction entry whose value is a `service:name` string, with its facts. */
export type ActionItem = ValueItem & { value: string; actionFact: ActionFact };

/**
 * Every `service:name` entry of the statements checked (not `*`, not malformed: the schema
 * reports those; intrinsic values are skipped), read once for the three checks that use them.
 */
export function actionItems(ctx: CheckContext): readonly ActionItem[] {
  return ctx.shared('actionItems', () => readActionItems(ctx.catalog, ctx.statements));
}

/** An entry as a check reports it (with the spans of its two parts). */
export function actionString(ctx: CheckContext, item: ActionItem): ActionString {
  return new ParsedActionString(ctx.doc.json.text, item.node, item.actionFact);
}

function readActionItems(catalog: Catalog, statements: readonly Statement[]): ActionItem[] {
  const out: ActionItem[] = [];
  for (let k = 0; k < statements.length; k++) {
    const s = statements[k];
    for (let j = 0; j < ACTION_ELEMENTS.length; j++) {
      const name = ACTION_ELEMENTS[j];
      const items = statementItems(s, name);
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        const fact = itemActionFact(catalog, item);
        if (!fact || (fact.service === '*' && fact.name === '*')) continue;
        out.push(item as ActionItem);
      }
    }
  }
  return out;
}

/** Spans are worked out when a check reports one: most action strings are never reported. */
class ParsedActionString implements ActionString {
  constructor(
    private readonly text: string,
    readonly node: JsonNode,
    readonly fact: ActionFact,
  ) {}

  get value(): string {
    return this.fact.value;
  }

  get service(): string {
    return this.fact.service;
  }

  get name(): string {
    return this.fact.name;
  }

  get serviceSpan(): Span {
    return valueSpan(this.text, this.node, 0, this.service.length);
  }

  get nameSpan(): Span {
    return valueSpan(this.text, this.node, this.service.length + 1, this.value.length);
  }
}
