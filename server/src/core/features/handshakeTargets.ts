/**
 * What a file offset points at for the handshake features: a trusted principal of another
 * account in a key policy, or a resource naming another account's key in an identity policy.
 */
import type { JsonNode } from '../json/jsonDocument';
import type { PolicyDocument } from '../model/policyDocument';
import { analyzeIdentityPolicy, type GrantAnalysis } from '../handshake/identityAnalysis';
import { analyzeKeyPolicy, type KeyPolicyAnalysis, type TrustAnalysis } from '../handshake/keyPolicyAnalysis';
import type { ResolvedValue } from '../model/resolvedValues';
import type { Workspace } from '../workspace/workspace';
import { documentAt } from './policyPosition';

export type HandshakeTarget =
  | { kind: 'trust'; doc: PolicyDocument; node: JsonNode; analysis: KeyPolicyAnalysis; trusts: TrustAnalysis[] }
  | { kind: 'grant'; doc: PolicyDocument; node: JsonNode; grant: GrantAnalysis; resource?: ResolvedValue };

function contains(node: JsonNode, offset: number): boolean {
  return offset >= node.offset && offset <= node.offset + node.length;
}

export function handshakeTargetAt(ws: Workspace, path: string, fileOffset: number): HandshakeTarget | undefined {
  const at = documentAt(ws, path, fileOffset);
  if (!at) return undefined;
  const { doc, offset } = at;
  if (doc.kind === 'kms-key-policy') {
    const analysis = analyzeKeyPolicy(ws, doc);
    const trusts = analysis.external.filter((t) => contains(t.trust.node, offset));
    if (trusts.length) return { kind: 'trust', doc, node: trusts[0].trust.node, analysis, trusts };
    return undefined;
  }
  if (doc.kind === 'iam-identity-policy') {
    for (const g of analyzeIdentityPolicy(ws, doc)) {
      if (!contains(g.grant.statement.node, offset)) continue;
      const resource = g.grant.resources.find((r) => contains(r.node, offset));
      const inActions = g.grant.actions.entries.find((e) => contains(e.item.node, offset));
      if (resource) return { kind: 'grant', doc, node: resource.node, grant: g, resource };
      if (inActions) return { kind: 'grant', doc, node: inActions.item.node, grant: g };
    }
  }
  return undefined;
}
