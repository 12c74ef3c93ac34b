/**
 * The outline of a file: each policy document found in it (labelled by kind and owner),
 * with its statements by Sid (or `Statement[i]`) and their Effect. Spans are in file
 * coordinates. Pure: the LSP layer converts to DocumentSymbol.
 */
import type { Span } from '../findings';
import type { PolicyDocument, PolicyKind } from '../model/policyDocument';
import { readStatements } from '../model/policyDocument';
import type { DiscoveredFile } from '../sources/discoveredFile';

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

export interface SymbolOptions {
  /** The editor shows its own outline of the JSON structure (VS Code): see `documentSymbols`. */
  besideJsonOutline?: boolean;
}

/** Whether the document is the whole file: a bare policy file, whose JSON outline already lists Version and each statement. */
function isWholeFile(doc: PolicyDocument, file: DiscoveredFile): boolean {
  const root = file.json.root;
  return doc.source === 'file' && !doc.embedded && !!root && doc.root.offset === root.offset && doc.root.length === root.length;
}

/**
 * The outline. Beside an editor's own JSON outline (VS Code's), which shows every file as a
 * tree of keys, a second tree of the same structure is noise (the outline and the
 * breadcrumbs then show two trees). So there, a file that is one bare policy gets no symbols
 * (its JSON outline already is Version and the statements), and files holding policies
 * inside a larger document (CloudFormation templates, CLI outputs, authorization-details
 * exports, Terraform plans) keep theirs: an index of the policies by kind and owner, with
 * statements by Sid and Effect, which the JSON outline (Resources › AppKey › Properties ›
 * KeyPolicy › Statement › 0) does not give. Editors without a JSON outline get every file's.
 */
export function documentSymbols(file: DiscoveredFile | undefined, options: SymbolOptions = {}): SymbolNode[] {
  if (!file) return [];
  if (options.besideJsonOutline && file.documents.every((d) => isWholeFile(d, file))) return [];
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
