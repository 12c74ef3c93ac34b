/** The `service:name` strings of a document's Action and NotAction elements, for the catalog checks. */
import type { Catalog } from '../catalog/catalog';
import type { JsonNode } from '../json/jsonDocument';
import { valueSpan } from '../json/stringRange';
import type { Span } from '../findings';
import { actionFact, type ActionFact } from '../model/actionFacts';
import { statementItems, type Statement } from '../model/policyDocument';
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

/**
 * Every `service:name` string of the statements checked (not `*`, not malformed: the schema
 * reports those; intrinsic values are skipped), read once for the three checks that use them.
 */
export function actionStrings(ctx: CheckContext): readonly ActionString[] {
  return ctx.shared('actionStrings', () => readActionStrings(ctx.catalog, ctx.doc.json.text, ctx.statements));
}

const ELEMENTS = ['Action', 'NotAction'] as const;

function readActionStrings(catalog: Catalog, text: string, statements: readonly Statement[]): ActionString[] {
  const out: ActionString[] = [];
  for (const s of statements) {
    for (const name of ELEMENTS) {
      for (const item of statementItems(s, name)) {
        if (item.value === undefined) continue;
        const fact = actionFact(catalog, item.value);
        if (!fact || (fact.service === '*' && fact.name === '*')) continue;
        out.push(new ParsedActionString(text, item.node, fact));
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
