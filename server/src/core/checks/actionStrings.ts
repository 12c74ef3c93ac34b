/** The `service:name` strings of a document's Action and NotAction elements, for the catalog checks. */
import type { JsonNode } from '../json/jsonDocument';
import { valueSpan } from '../json/stringRange';
import type { Span } from '../findings';
import { parseAction } from '../model/actions';
import { valueItems, type Statement } from '../model/policyDocument';

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

/** Per document: the engine hands every check the same statement list, so three checks read it once. */
const computed = new WeakMap<readonly Statement[], readonly ActionString[]>();

/** Every `service:name` string (not `*`, not malformed: the schema reports those; intrinsic values are skipped). */
export function actionStrings(text: string, statements: readonly Statement[]): readonly ActionString[] {
  let found = computed.get(statements);
  if (!found) computed.set(statements, (found = readActionStrings(text, statements)));
  return found;
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
