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
        const colon = parsed.service.length;
        out.push({
          node: item.node,
          value: item.value,
          service: parsed.service,
          name: parsed.name,
          serviceSpan: valueSpan(text, item.node, 0, colon),
          nameSpan: valueSpan(text, item.node, colon + 1, item.value.length),
        });
      }
    }
  }
  return out;
}
