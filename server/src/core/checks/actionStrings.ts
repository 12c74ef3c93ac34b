/** The `service:name` strings of a document's Action and NotAction elements, for the catalog checks. */
import type { JsonNode } from '../json/jsonDocument';
import { valueSpan } from '../json/stringRange';
import type { Span } from '../findings';
import { parseAction } from '../model/actions';
import { valueItems, type Statement } from '../model/policyDocument';
import type { CheckContext } from './check';

export interface ActionString {
  node: JsonNode;
  value: string;
  service: string;
  name: string;
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
  return ctx.shared('actionStrings', () => readActionStrings(ctx.doc.json.text, ctx.statements));
}

function readActionStrings(text: string, statements: readonly Statement[]): ActionString[] {
  const out: ActionString[] = [];
  for (const s of statements) {
    for (const el of [s.elements.Action, s.elements.NotAction]) {
      for (const item of valueItems(el?.value)) {
        if (item.value === undefined) continue;
        const parsed = parseAction(item.value);
        if (!parsed || (parsed.service === '*' && parsed.name === '*')) continue;
        out.push(new ParsedActionString(text, item.node, item.value, parsed.service, parsed.name));
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
    readonly value: string,
    readonly service: string,
    readonly name: string,
  ) {}

  get serviceSpan(): Span {
    return valueSpan(this.text, this.node, 0, this.service.length);
  }

  get nameSpan(): Span {
    return valueSpan(this.text, this.node, this.service.length + 1, this.value.length);
  }
}
