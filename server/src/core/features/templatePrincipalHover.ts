/**
 * Hover on a key-policy principal that names a role or user of the key's own template
 * (`Fn::GetAtt Role.Arn`) or an export (`Fn::ImportValue`): which principal it is, by its
 * logical id (its generated name, and so its ARN, is known only once deployed), what the
 * statement allows it, and what its IAM policies in the workspace grant it on the key.
 */
import type { JsonNode } from '../json/jsonDocument';
import type { PolicyDocument, Statement } from '../model/policyDocument';
import { sameKeyRef } from '../model/templateValues';
import { displayActions } from '../model/kmsActions';
import { documentGrants } from '../handshake/accountGrants';
import { locationLabel } from '../handshake/describe';
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
  const label = trust.label!;
  const space = label.indexOf(' ');
  const head = trust.ref!.startsWith('export:')
    ? `**Principal exported by another stack**: ${label}, a role or user of account ${account}.`
    : `**IAM ${label.slice(0, space)}** \`${label.slice(space + 1)}\` of this template, in account ${account}: its name is generated at deployment.`;
  const ts = keyPolicyTrusts(ws, doc).statements.find((t) => t.statement.node === statement.node)!;
  const conditional = ts.conditionKeys.length ? ` (conditional: ${ts.conditionKeys.join(', ')})` : '';
  const allows = `This statement allows it ${displayActions(ws.catalog, ts.actions.actions)}${conditional}: the key policy alone gives it access.`;
  return [head, allows, grantsLine(ws, doc, trust)].join('\n\n');
}

/** What the IAM policies of the principal (those its references name) grant on the key. */
function grantsLine(ws: Workspace, keyDoc: PolicyDocument, trust: Trust): string {
  const key = keyOfPolicy(keyDoc).key;
  const places: string[] = [];
  const actions = new Set<string>();
  for (const doc of ws.accountIam(trust.account!).documents) {
    if (!doc.owner.roleRefs?.some((r) => sameKeyRef(r, trust.ref!))) continue;
    for (const g of documentGrants(ws, doc)) {
      if (g.effect !== 'Allow' || g.unknown !== undefined || !key || grantNamesKey(g, key).certainty !== 'yes') continue;
      for (const a of g.actions.actions) actions.add(a);
      places.push(`${doc.owner.label ?? 'its policy'} at ${locationLabel(ws, doc, g.statement.node)}`);
    }
  }
  if (places.length === 0) return 'Its IAM policies in the workspace grant nothing on this key by name.';
  return `Its IAM policies grant it on this key: ${displayActions(ws.catalog, actions)} — ${places.join(', ')}.`;
}
