/** `textDocument/documentSymbol`: the outline from core/features/documentSymbols as LSP symbols. */
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver/node';
import { documentSymbols, type SymbolNode } from '../core/features/documentSymbols';
import type { LineIndex } from '../core/positions';
import type { Workspace } from '../core/workspace/workspace';
import { toRange } from './convert';

function toSymbol(node: SymbolNode, index: LineIndex): DocumentSymbol {
  return {
    name: node.name,
    detail: node.detail,
    kind: node.kind === 'policy' ? SymbolKind.Module : SymbolKind.Object,
    range: toRange(index, node.span),
    selectionRange: toRange(index, node.selectionSpan),
    children: node.children.map((c) => toSymbol(c, index)),
  };
}

/** Hierarchical symbols, or flat ones (with the policy as container) for clients without hierarchy support. */
export function symbolsOf(ws: Workspace, path: string, uri: string, index: LineIndex, hierarchical: boolean, besideJsonOutline = false): DocumentSymbol[] | SymbolInformation[] {
  const nodes = documentSymbols(ws.discovered(path), { besideJsonOutline });
  const tree = nodes.map((n) => toSymbol(n, index));
  if (hierarchical) return tree;
  const flat: SymbolInformation[] = [];
  for (const p of tree) {
    flat.push({ name: p.name, kind: p.kind, location: { uri, range: p.range } });
    for (const c of p.children ?? []) flat.push({ name: c.name, kind: c.kind, location: { uri, range: c.range }, containerName: p.name });
  }
  return flat;
}
