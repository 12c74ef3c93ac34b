/**
 * Hover on a key-policy principal that names a role or user of the key's own template
 * (`Fn::GetAtt Role.Arn`) or an export (`Fn::ImportValue`): which principal it is, by its
 * logical id (its generated name, and so its ARN, is known only once deployed), what the
 * statement allows it, and what its IAM policies in the workspace grant it on the key.
 */
import type { JsonNode } from '../json/jsonDocument';
import type { PolicyDocument, Statement } from '../model/policyDocument';
import { sameKeyRef } from '../model/templateValues';
import { displayActions, minus } from '../model/kmsActions';
import { analyzeIdentityPolicy } from '../handshake/identityAnalysis';
import { documentGrants } from '../handshake/accountGrants';
import { fileLabel, locationLabel } from '../handshake/describe';
import { grantNamesKey } from '../handshake/identityGrants';
import { keyOfPolicy, keyPolicyTrusts } from '../handshake/keyPolicyAnalysis';
import type { Trust } from '../handshake/keyPolicyTrusts';
import type { Workspace } from '../workspace/workspace';
import { accountLabel } from './workspaceFacts';

/** The template-principal trust whose value holds the node, in the statement; undefined for any other node. */
export function templatePrincipalAt(ws: Workspace, doc: PolicyDocument, statement: Statement, node: JsonNode): Trust | undefined {
  if (doc.kind !== 'kms-key-policy' || !doc.owner.keyRefs) return undefined;
  const ts = keyPolicyTrusts(ws, doc).statements.find((t) => t.statement.node === statement.node);
  return ts?.trusts.find((t) => t.form === 'template-principal' && node.offset >= t.node.offset && node.offset + node.length <= t.node.offset + t.node.length);
}

/** The hover text on a template-principal trust of a key-policy statement. */
export function templatePrincipalMarkdown(ws: Workspace, doc: PolicyDocument, statement: Statement, trust: Trust): string {
  const account = accountLabel(ws, trust.account!, doc.file);
  // Its identity policies: those its references name.
  const docs = ws.accountIam(trust.account!).documents.filter((d) => d.owner.roleRefs?.some((r) => sameKeyRef(r, trust.ref!)));
  const ts = keyPolicyTrusts(ws, doc).statements.find((t) => t.statement.node === statement.node)!;
  const conditional = ts.conditionKeys.length ? ` (conditional: ${ts.conditionKeys.join(', ')})` : '';
  const allows = `This statement allows it ${displayActions(ws.catalog, ts.actions.actions)}${conditional}: the key policy alone gives it access.`;
  return [headLine(ws, doc, trust, docs, account), allows, grantsLine(ws, doc, docs)].join('\n\n');
}

/** What the principal is: a role or user of this template, or the one another template exports. */
function headLine(ws: Workspace, doc: PolicyDocument, trust: Trust, docs: PolicyDocument[], account: string): string {
  const label = trust.label!;
  const space = label.indexOf(' ');
  if (!trust.ref!.startsWith('export:')) return `**IAM ${label.slice(0, space)}** \`${label.slice(space + 1)}\` of this template, in account ${account}: its name is generated at deployment.`;
  const name = trust.ref!.split('/').slice(2).join('/');
  const roles = [...new Set(docs.flatMap((d) => d.owner.unnamedRoles ?? []))];
  const files = [...new Set(docs.map((d) => fileLabel(ws, d.file, doc.file)))];
  if (roles.length === 1 && files.length === 1) return `**IAM role** \`${roles[0]}\` of ${files[0]}, exported as \`${name}\`, in account ${account}: its name is generated at deployment.`;
  return `**Principal another stack exports** as \`${name}\`: a role or user of account ${account}.`;
}

/** What the IAM policies of the principal grant on the key, and which of those the key policy leaves without effect. */
function grantsLine(ws: Workspace, keyDoc: PolicyDocument, docs: PolicyDocument[]): string {
  const key = keyOfPolicy(keyDoc).key;
  const places: string[] = [];
  const actions = new Set<string>();
  for (const doc of docs) {
    for (const g of documentGrants(ws, doc)) {
      if (g.effect !== 'Allow' || g.unknown !== undefined || !key || grantNamesKey(g, key).certainty !== 'yes') continue;
      for (const a of g.actions.actions) actions.add(a);
      places.push(`${doc.expandedFrom ?? doc.owner.label ?? 'its policy'} at ${locationLabel(ws, doc, g.statement.node)}`);
    }
  }
  if (places.length === 0) return 'Its IAM policies in the workspace grant nothing on this key.';
  // Grants that name this key: what the key policy leaves them (the account principal's statements, this one).
  const none = new Set<string>();
  for (const doc of docs) {
    for (const ga of analyzeIdentityPolicy(ws, doc)) {
      for (const k of ga.byPrincipal.flatMap((p) => p.keys)) {
        if (k.keyDoc !== keyDoc || k.match.certainty !== 'yes' || k.undecided) continue;
        for (const a of minus(ga.grant.actions.actions, k.effective)) none.add(a);
      }
    }
  }
  const noEffect = none.size ? ` No effect: ${displayActions(ws.catalog, none, 6)} (the key policy allows them neither to it nor to IAM policies of its account).` : '';
  return `Its IAM policies grant it on this key: ${displayActions(ws.catalog, actions)} — ${places.join(', ')}.${noEffect}`;
}
