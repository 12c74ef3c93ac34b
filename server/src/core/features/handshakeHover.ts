/**
 * Hover for the handshake: on a principal of another account in a key policy, which
 * principals of that account can use the key, with which actions, through which file and
 * line, conditional or not, and what has no effect; on a key ARN in an identity policy,
 * what that key's policy allows the policy's principal. Markdown; spans in file offsets.
 */
import type { Span } from '../findings';
import type { PolicyDocument } from '../model/policyDocument';
import { granteeLabel, fileLabel, fileSpan, locationLabel, matchNote, searchedLabel } from '../handshake/describe';
import { keyLabel } from '../handshake/keyIdentity';
import { matchesByPrincipal, type TrustAnalysis } from '../handshake/keyPolicyAnalysis';
import type { KeyTrustResult } from '../handshake/identityAnalysis';
import { groupByShape, shapeQualifiers, type AccessShape } from '../handshake/access';
import { CROSS_ACCOUNT_ACTIONS, displayActions, intersect, minus } from '../model/kmsActions';
import { accountLabel, principalLabel } from '../handshake/world';
import { constraintLabel, grantsTo, trustGrants, type KmsGrant } from '../handshake/kmsGrants';
import type { Workspace } from '../workspace/workspace';
import { handshakeTargetAt } from './handshakeTargets';

export interface HandshakeHover { markdown: string; span: Span }

export interface HandshakeHoverOptions {
  /**
   * Findings on the hovered principal already name who can use the key and where (the editor
   * shows them in the same hover): the section then leaves that list out.
   */
  listedByFindings?: boolean;
}

export function handshakeHover(ws: Workspace, path: string, offset: number, options: HandshakeHoverOptions = {}): HandshakeHover | undefined {
  const target = handshakeTargetAt(ws, path, offset);
  if (!target) return undefined;
  const span = fileSpan(target.doc, target.node);
  if (target.kind === 'trust') {
    const key = target.analysis.key;
    // Beside the finding, the key's id is enough (the hover on the key's ARN says the rest).
    const label = key && options.listedByFindings && key.arn ? keyId(key.arn) : key && keyLabel(key);
    const head = `**Handshake** · ${label ? `\`${label}\`` : 'key (unknown)'}${target.analysis.accountSource === 'inferred' ? ' (account inferred from the default statement)' : ''}`;
    // One principal value can trust several accounts (`"*"` with kms:CallerAccount listing them): each section then names its account.
    const several = new Set(target.trusts.map((t) => t.account)).size > 1;
    const sections = target.trusts.map((t) => trustSection(ws, target.doc, t, options.listedByFindings === true, several));
    // Beside the finding, the section is one paragraph under the heading (the hover stays short).
    return { markdown: options.listedByFindings ? `${head} · ${sections.join(' ')}` : [head, ...sections].join('\n\n'), span };
  }
  const g = target.grant;
  // Beside a finding on this grant, what has no effect is the finding's to say: the section keeps what works.
  const listed = options.listedByFindings === true;
  const lines: string[] = [];
  for (const pa of g.byPrincipal) {
    for (const k of pa.keys) {
      const who = pa.principal ? `\`${principalLabel(pa.principal)}\`` : g.doc.owner.unnamedRoles?.length ? `\`${granteeLabel(ws, undefined, g.doc)}\`` : 'this policy\'s principal';
      const where = listed ? `\`${keyId(k.key.arn) ?? keyLabel(k.key)}\`` : `\`${keyLabel(k.key)}\` (${fileLabel(ws, k.keyDoc.file)})`;
      const dead = k.ownDead ? intersect(k.ownDead.actions, g.grant.actions.actions) : new Set<string>();
      const usable = minus(intersect(k.effective, g.grant.actions.actions), dead);
      const ineffective = minus(minus(g.grant.actions.actions, usable), dead);
      const parts: string[] = [];
      // The statement's own condition shuts the principal out: what the key policy says does not matter then.
      if (dead.size && !listed) parts.push(`  ${who} gets nothing from ${displayActions(ws.catalog, dead, 8)} here: this statement's own condition (${k.ownDead!.decidedFalse.join('; ')}) never holds for it.`);
      if (k.undecided && usable.size === 0 && dead.size === 0) parts.push(`  the key policy trusts principals that cannot be told apart here (an organization or unresolved values): cannot tell whether ${who} is trusted.`);
      else if (usable.size) for (const group of groupByShape(usable, k.shapes)) parts.push(`  ${who} can use ${displayActions(ws.catalog, group.actions, 8)}${shapeNote(group.shape)} — trusted by ${trustingLabel(ws, k, group.actions)}.`);
      else if (!listed && dead.size === 0) {
        parts.push(k.sameAccount
          ? `  the key policy lets no IAM policy of its own account grant these actions (it neither allows the account principal nor names ${who}): the grant has no effect.`
          : `  the key policy does not trust ${who} for these actions: the grant has no effect.`);
      }
      for (const kg of pa.principal ? grantsTo(k.keyDoc, pa.principal) : []) {
        parts.push(`  ${who} has ${displayActions(ws.catalog, kg.operations, 8)} through the KMS grant \`${kg.label}\` at ${grantLocation(ws, kg)}${kg.constraint ? ` (${constraintLabel(kg)})` : ''}.`);
      }
      if (usable.size && ineffective.size && !listed) {
        const never = k.sameAccount ? [] : [...ineffective].filter((a) => !CROSS_ACCOUNT_ACTIONS.has(a));
        const neverText = never.length === ineffective.size ? 'KMS never allows them across accounts' : `${never.length} of them KMS never allows across accounts`;
        parts.push(`  No effect: ${displayActions(ws.catalog, ineffective, 6)}${never.length ? ` (${never.length === 1 && ineffective.size === 1 ? 'KMS never allows it across accounts' : neverText})` : ''}.`);
      }
      if (parts.length === 0) continue;
      const head = `- Key ${where}${k.match.certainty === 'maybe' ? ` (may be this key: ${k.match.note ?? 'its ARN is not known'})` : ''}:`;
      lines.push([head, ...parts].join('\n'));
    }
  }
  // Beside a finding that says it all, the section has nothing to add.
  if (listed && lines.length === 0) return undefined;
  // Beside a finding, the hovered entry and the finding say which actions are granted.
  const title = listed ? `**Handshake** · principals of ${accountLabel(ws, g.account, g.doc.file)}` : `**Handshake** · ${displayActions(ws.catalog, g.grant.actions.actions, 6)} granted to principals of ${accountLabel(ws, g.account, g.doc.file)}`;
  return { markdown: [title, ...lines].join('\n\n'), span };
}

/** ` only through s3.us-west-2.amazonaws.com`, ` (only sessions named alice)`, ` (when the conditions hold)`, some of them or nothing. */
function shapeNote(shape: AccessShape | undefined): string {
  // The qualifiers as the key side words them: the services, then the rest in brackets.
  const [first, ...others] = shapeQualifiers(shape);
  if (first === undefined) return '';
  if (!shape?.via?.length) return ` (${first})`;
  return ` ${first}${others.length ? ` (${others[0]})` : ''}`;
}

/** The key-policy statements that allow the actions shown, not every statement that names the principal. */
function trustingLabel(ws: Workspace, k: KeyTrustResult, actions: Set<string>): string {
  const crediting = new Set([...actions].flatMap((a) => k.allowedBy.get(a) ?? []));
  return k.statements
    .filter((ts) => crediting.has(ts))
    .map((ts) => `${ts.statement.sid ? `"${ts.statement.sid}"` : 'a statement'} at ${locationLabel(ws, k.keyDoc, ts.statement.node)}${ts.conditionKeys.length ? ` (conditional: ${ts.conditionKeys.join(', ')})` : ''}`)
    .join(', ');
}

/** The key id at the end of a key ARN: beside a finding, the hover on the ARN says the rest. */
function keyId(arn: string | undefined): string | undefined {
  return arn ? arn.slice(arn.lastIndexOf(':') + 1) : undefined;
}

function trustSection(ws: Workspace, doc: PolicyDocument, t: TrustAnalysis, listed: boolean, several: boolean): string {
  const who = t.trust.form === 'principal' ? `\`${principalLabel(t.trust.principalArn!)}\` of ${accountLabel(ws, t.account, doc.file)}` : `account ${accountLabel(ws, t.account, doc.file)}`;
  // Cross-account actions the statement allows that a Deny of the key policy takes away from every caller here.
  const deniedAll = !t.decidedFalse && t.capable.size === 0 && t.statement.capable.size > 0;
  const lines = [t.decidedFalse
    ? `Trusts ${who} for nothing: the statement's condition (${t.decidedFalse.join('; ')}) never holds for ${t.trust.form === 'principal' ? 'it' : 'its principals'}.`
    : deniedAll
      ? `Trusts ${who} for nothing: a Deny of the key policy removes ${displayActions(ws.catalog, t.statement.capable, 4)} from ${t.trust.form === 'principal' ? 'it' : 'its principals'}.`
      : `${listed && !several ? 'Trusted' : `Trusts ${who}`} for ${t.capable.size ? displayActions(ws.catalog, t.capable, listed ? 4 : 8) : 'no action that works across accounts'}${t.statement.conditionKeys.length ? ` (conditional: ${t.statement.conditionKeys.join(', ')})` : ''}.`];
  const never = minus(t.statement.actions.actions, CROSS_ACCOUNT_ACTIONS);
  if (listed) {
    // The finding above names the principals and their grants.
  } else if (!t.described) {
    lines.push(`The workspace has no IAM data for ${accountLabel(ws, t.account, doc.file)}: who can use the key there cannot be checked.`);
  } else {
    const groups = matchesByPrincipal(t.matches);
    // Grants the statement's condition shuts out, or whose own condition never holds, are grants all the same.
    const shut = [...new Set(t.excluded.map((e) => granteeLabel(ws, e.principal, e.doc)))];
    const dead = [...new Set((t.deadGrants ?? []).map((d) => granteeLabel(ws, d.principal, d.doc)))];
    const has = (names: string[]) => `${names.map((n) => `\`${n}\``).join(', ')} ${names.length === 1 ? 'has a grant' : 'have grants'} on this key`;
    if (shut.length) lines.push(`${has(shut)}, but the statement's condition never holds for ${shut.length === 1 ? 'it' : 'them'}.`);
    if (dead.length) lines.push(`${has(dead)} whose own condition never holds for ${dead.length === 1 ? 'it' : 'them'}.`);
    // Grants that hold only in requests the statement does not (the key only through S3, the grant only through SQS).
    // A principal that can use those actions through another grant is listed below instead.
    const uses = (d: { principal: string | undefined; actions: Set<string> }) => groups.some((g) => g.principal !== undefined && g.principal === d.principal && [...d.actions].every((a) => g.actions.has(a)));
    const apart = [...new Set((t.disjoint ?? []).filter((d) => !uses(d)).map((d) => granteeLabel(ws, d.principal, d.doc)))];
    if (apart.length) lines.push(`${has(apart)}, but no request meets both ${apart.length === 1 ? 'its condition' : 'their conditions'} and the statement's.`);
    if (groups.length === 0) {
      // Removed grants are listed under "No effect" below.
      // With nothing the statement gives (its condition never holds, a Deny takes all), grants were not looked for.
      if (!shut.length && !dead.length && !apart.length && !t.removed.length && !t.decidedFalse && !deniedAll) lines.push(`No principal of the account has an IAM grant on this key for these actions.`);
    } else {
      const items = groups.map((g) => {
        const via = g.matches.map((m) => `${locationLabel(ws, m.doc, m.at)}${matchNote(m)}`);
        return `- \`${granteeLabel(ws, g.principal, g.matches[0].doc)}\`: ${displayActions(ws.catalog, g.actions, 8)} — ${via.join(', ')}`;
      });
      lines.push(`Can use this key:\n${items.join('\n')}`);
    }
    lines.push(`Searched ${searchedLabel(ws.accountIam(t.account))}.`);
  }
  const kms = trustGrants(doc, t);
  if (kms.length) {
    const items = kms.map((g) => `- \`${g.grantee ? principalLabel(g.grantee) : 'a grantee known at apply time'}\`: ${displayActions(ws.catalog, g.operations, 8)} — KMS grant \`${g.label}\` at ${grantLocation(ws, g)}${g.constraint ? ` (${constraintLabel(g)})` : ''}`);
    lines.push(`Through KMS grants (no key-policy trust or IAM grant needed):\n${items.join('\n')}`);
  }
  const ineffective: string[] = [];
  if (never.size) ineffective.push(`${displayActions(ws.catalog, never, 6)} (KMS never allows ${never.size === 1 ? 'it' : 'them'} across accounts)`);
  for (const r of t.removed) ineffective.push(`${displayActions(ws.catalog, r.actions, 4)} of ${granteeLabel(ws, r.principal, r.doc)} (removed by ${r.by})`);
  if (ineffective.length) lines.push(`No effect: ${ineffective.join('; ')}.`);
  return lines.join('\n\n');
}

/** `security/key.tf:40` */
function grantLocation(ws: Workspace, g: KmsGrant): string {
  const line = ws.lineOf(g.file, g.span.offset);
  return line === undefined ? fileLabel(ws, g.file) : `${fileLabel(ws, g.file)}:${line + 1}`;
}
