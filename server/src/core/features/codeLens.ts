/**
 * Code lens on the cross-account principals of key policies: how many principals of the
 * trusted account use the key ("2 roles in workloads use this key"). Spans in file offsets.
 */
import type { Span } from '../findings';
import { fileSpan, granteeLabel, grantsNotWorking } from '../handshake/describe';
import { analyzeKeyPolicy, matchesByPrincipal, type TrustAnalysis } from '../handshake/keyPolicyAnalysis';
import { viaLabel } from '../handshake/access';
import { principalLabel } from '../handshake/world';
import { trustGrants } from '../handshake/kmsGrants';
import type { Workspace } from '../workspace/workspace';
import type { PolicyDocument } from '../model/policyDocument';
import { displayActions } from '../model/kmsActions';

export interface HandshakeLens {
  span: Span;
  title: string;
  /** The IAM statements that give the principals this use of the key (file offsets), shown when the lens is clicked. */
  references?: { file: string; span: Span }[];
}

function kindsLabel(principals: string[], unknown: number): string {
  const roles = principals.filter((p) => /:role\//.test(p)).length;
  const users = principals.filter((p) => /:user\//.test(p)).length;
  const parts: string[] = [];
  if (roles) parts.push(`${roles} role${roles === 1 ? '' : 's'}`);
  if (users) parts.push(`${users} user${users === 1 ? '' : 's'}`);
  if (unknown) parts.push(`${unknown} polic${unknown === 1 ? 'y' : 'ies'} of unknown principals`);
  return parts.join(', ');
}

/**
 * For a trust that no grant works for: that the principal (or the account) has grants on the key
 * all the same, and why they do not work, in the words of the findings' first sentence
 * ("has an IAM grant on this key that does not work"). On an account, each reason names whose
 * grants it is. Undefined when there are none.
 */
function notWorking(ws: Workspace, t: TrustAnalysis, named: boolean): string | undefined {
  const grants = new Set<object>();
  // Each reason with the grants it holds for (one reason, several grants: "them") and their principals.
  const why = new Map<string, { words: (one: boolean, whose: string) => string; grants: Set<object>; whose: Set<string> }>();
  const add = (g: { grant: object; principal: string | undefined; doc: PolicyDocument }, key: string, words: (one: boolean, whose: string) => string) => {
    grants.add(g.grant);
    let r = why.get(key);
    if (!r) why.set(key, (r = { words, grants: new Set(), whose: new Set() }));
    r.grants.add(g.grant);
    r.whose.add(granteeLabel(ws, g.principal, g.doc));
  };
  for (const d of t.disjoint ?? []) add(d, 'disjoint', (one, whose) => `no request${named ? '' : ` of ${whose}`} meets both ${one ? 'its condition' : 'their conditions'} and the statement's`);
  for (const d of t.deadGrants ?? []) add(d, 'dead', (one, whose) => `${one ? 'its own condition never holds' : 'their own conditions never hold'} for ${named ? 'it' : whose}`);
  for (const r of t.removed) add(r, `removed ${r.by}`, (one, whose) => `${r.by} removes ${one ? 'it' : 'them'}${named ? '' : ` from ${whose}`}`);
  // On an account: grants of principals the statement's condition shuts out (on one principal, `conditionShutsOut` says it).
  if (!named) for (const e of t.excluded) add(e, 'excluded', (_one, whose) => `this statement's condition never holds for ${whose} (${e.decidedFalse.join('; ')})`);
  if (grants.size === 0) return undefined;
  const reasons = [...why.values()].map((r) => r.words(r.grants.size === 1, [...r.whose].join(', '))).join('; ');
  return `${grantsNotWorking(grants.size)}: ${reasons}`;
}

/**
 * For a trust that the statement gives nothing: its own condition never holds for the trusted
 * principal, or a Deny of the key policy takes every action from it (then its grants are not
 * looked for); for a named principal, also the statement's condition that shuts out its grants.
 * Worded like the hover and the checks: the statement's condition or the Deny is what to correct,
 * not a grant to add. Undefined when neither is why.
 */
function statementGivesNothing(ws: Workspace, doc: PolicyDocument, t: TrustAnalysis): string | undefined {
  const named = t.trust.form === 'principal' && !!t.trust.principalArn;
  if (t.decidedFalse) return `this statement's condition never holds for ${named ? 'it' : 'its principals'} (${t.decidedFalse.join('; ')})`;
  if (t.deniedBy) {
    const line = ws.lineOf(doc.file, doc.toFileOffset(t.deniedBy.node.offset));
    return `a Deny of the key policy${line === undefined ? '' : ` (line ${line + 1})`} removes ${displayActions(ws.catalog, t.statement.capable, 4)} from ${named ? 'it' : 'its principals'}`;
  }
  if (!named || t.excluded.length === 0) return undefined;
  return `this statement's condition never holds for it (${t.excluded[0].decidedFalse.join('; ')})`;
}

export function codeLens(ws: Workspace, path: string): HandshakeLens[] {
  const out: HandshakeLens[] = [];
  for (const doc of ws.discovered(path)?.documents ?? []) {
    if (doc.kind !== 'kms-key-policy') continue;
    for (const t of analyzeKeyPolicy(ws, doc).external) {
      const name = ws.accountName(t.account, path) ?? t.account;
      let title: string;
      let usesNone = true;
      const references: { file: string; span: Span }[] = [];
      if (!t.described) title = `${name}: no IAM data in the workspace`;
      else {
        const groups = matchesByPrincipal(t.matches);
        usesNone = groups.length === 0;
        for (const m of t.matches) {
          const span = fileSpan(m.doc, m.grant.statement.node);
          if (!references.some((r) => r.file === m.doc.file && r.span.offset === span.offset)) references.push({ file: m.doc.file, span });
        }
        const known = groups.map((g) => g.principal).filter((p): p is string => !!p);
        const unknown = groups.length - known.length;
        const conditional = groups.filter((g) => g.conditional).length;
        // Only through services when every group is: the services, said once.
        const via = groups.length && groups.every((g) => g.via) ? [...new Set(groups.flatMap((g) => g.via!))] : undefined;
        const notes = [via ? viaLabel(via) : '', conditional ? `${conditional} conditional` : ''].filter((x) => x);
        // A named role or user says which one: several of them on one line read apart ("role/A … | role/B …").
        const named = t.trust.form === 'principal' && t.trust.principalArn ? principalLabel(t.trust.principalArn) : undefined;
        const nothing = groups.length ? undefined : statementGivesNothing(ws, doc, t);
        if (named) title = groups.length ? `${named} in ${name} uses this key${notes.length ? ` (${notes.join('; ')})` : ''}` : nothing ? `${named} in ${name}: ${nothing}` : `${named} in ${name} ${notWorking(ws, t, true) ?? 'has no IAM grant on this key'}`;
        else if (groups.length === 0) {
          const broken = nothing ? undefined : notWorking(ws, t, false);
          title = broken ? `${name} ${broken}` : `No principal in ${name} uses this key${nothing ? `: ${nothing}` : ''}`;
        }
        else title = `${kindsLabel(known, unknown)} in ${name} ${groups.length === 1 ? 'uses' : 'use'} this key${notes.length ? ` (${notes.join('; ')})` : ''}`;
      }
      // KMS grants on the key to the principal (or the account's roles and users): a way in of their own.
      const kms = trustGrants(doc, t);
      if (kms.length) {
        const grantees = [...new Set(kms.map((g) => g.grantee!))];
        const through = `through ${kms.length === 1 ? 'a KMS grant' : `${kms.length} KMS grants`}`;
        if (usesNone) title = `${grantees.length === 1 ? principalLabel(grantees[0]) : kindsLabel(grantees, 0)} in ${name} ${grantees.length === 1 ? 'uses' : 'use'} this key ${through}`;
        else title += ` · ${grantees.map(principalLabel).join(', ')} ${through}`;
        for (const g of kms) references.push({ file: g.file, span: g.span });
      }
      out.push({ span: fileSpan(doc, t.trust.node), title, ...(references.length ? { references } : {}) });
    }
  }
  return out;
}
