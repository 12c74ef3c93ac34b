/**
 * Go to definition across the handshake: from a key ARN in an identity policy to the key's
 * policy; from a role or user ARN in a key policy to that principal's identity policies
 * (from an account principal, to the grants that use the key). Spans in file offsets.
 */
import type { Span } from '../findings';
import { principalDocuments } from '../handshake/accountGrants';
import { fileSpan } from '../handshake/describe';
import { resourceNamesKey } from '../handshake/keyIdentity';
import type { Workspace } from '../workspace/workspace';
import { handshakeTargetAt } from './handshakeTargets';

export interface HandshakeLocation { file: string; span: Span }

export function definition(ws: Workspace, path: string, offset: number): HandshakeLocation[] {
  const target = handshakeTargetAt(ws, path, offset);
  if (!target) return [];
  const out: HandshakeLocation[] = [];
  const seen = new Set<string>();
  const add = (file: string, span: Span) => {
    const k = `${file}:${span.offset}`;
    if (!seen.has(k)) { seen.add(k); out.push({ file, span }); }
  };
  if (target.kind === 'grant') {
    for (const pa of target.grant.byPrincipal) {
      for (const k of pa.keys) {
        // On one resource entry: only the keys that entry names.
        const value = target.resource?.value;
        if (value !== undefined && resourceNamesKey(value, k.key) === 'no') continue;
        add(k.keyDoc.file, fileSpan(k.keyDoc, k.keyDoc.root));
      }
    }
    return out;
  }
  for (const t of target.trusts) {
    if (t.trust.form === 'principal') {
      for (const d of principalDocuments(ws, t.account, t.trust.principalArn!)) add(d.file, fileSpan(d, d.root));
    } else {
      for (const m of t.matches) add(m.doc.file, fileSpan(m.doc, m.grant.statement.node));
    }
  }
  return out;
}
