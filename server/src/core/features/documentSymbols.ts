/**
 * The outline of a file: each policy document found in it (labelled by kind and owner),
 * with its statements by Sid (or `Statement[i]`) and their Effect. Spans are in file
 * coordinates. Pure: the LSP layer converts to DocumentSymbol.
 */
import type { Span } from '../findings';
import type { PolicyDocument, PolicyKind } from '../model/policyDocument';
import { readStatements } from '../model/policyDocument';
import type { DiscoveredFile } from '../sources/discover';

export interface SymbolNode {
  name: string;
  detail?: string;
  kind: 'policy' | 'statement';
  /** The whole element. */
  span: Span;
  /** The part to reveal when the symbol is picked (the Sid value, or the element itself). */
  selectionSpan: Span;
  children: SymbolNode[];
}

const KIND_LABELS: Record<PolicyKind, string> = {
  'kms-key-policy': 'Key policy',
  'iam-identity-policy': 'Identity policy',
  'iam-trust-policy': 'Trust policy',
  unknown: 'Policy',
};

export function kindLabel(kind: PolicyKind): string {
  return KIND_LABELS[kind] ?? 'Policy';
}

/** `Key policy (AppDataKey)`; the owner part is left out when the owner is unknown. */
export function documentLabel(doc: PolicyDocument): string {
  const o = doc.owner;
  const owner = o.label ?? o.keyArn ?? (o.principals?.length ? o.principals.join(', ') : undefined);
  return owner ? `${kindLabel(doc.kind)} (${owner})` : kindLabel(doc.kind);
}

function fileSpan(doc: PolicyDocument, offset: number, length: number): Span {
  const start = doc.toFileOffset(offset);
  const end = doc.toFileOffset(offset + length);
  return { offset: start, length: Math.max(0, end - start) };
}

export function documentSymbols(file: DiscoveredFile | undefined): SymbolNode[] {
  if (!file) return [];
  return file.documents.map((doc) => {
    const span = fileSpan(doc, doc.root.offset, doc.root.length);
    const children = readStatements(doc.root).map((s): SymbolNode => {
      const sidNode = s.elements.Sid?.value;
      const whole = fileSpan(doc, s.node.offset, s.node.length);
      return {
        name: s.sid !== undefined && s.sid !== '' ? s.sid : `Statement[${s.index}]`,
        detail: s.effect ?? undefined,
        kind: 'statement',
        span: whole,
        selectionSpan: sidNode ? fileSpan(doc, sidNode.offset, sidNode.length) : whole,
        children: [],
      };
    });
    return { name: documentLabel(doc), detail: doc.source, kind: 'policy', span, selectionSpan: span, children };
  });
}
