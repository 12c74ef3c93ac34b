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
 * For a trust of one principal that no grant of it works for: that it has grants on the key all
 * the same, and why they do not work (as the hover words it). Undefined when it has none.
 */
function notWorking(t: TrustAnalysis): string | undefined {
  const grants = new Set<object>();
  // Each reason with the grants it holds for (one reason, several grants: "them").
  const why = new Map<string, { one: string; many: string; grants: Set<object> }>();
  const add = (grant: object, key: string, one: string, many: string) => {
    grants.add(grant);
    let r = why.get(key);
    if (!r) why.set(key, (r = { one, many, grants: new Set() }));
    r.grants.add(grant);
  };
  for (const d of t.disjoint ?? []) add(d.grant, 'disjoint', 'no request meets both its condition and the statement\'s', 'no request meets both their conditions and the statement\'s');
  for (const d of t.deadGrants ?? []) add(d.grant, 'dead', 'its own condition never holds for it', 'their own conditions never hold for it');
  for (const r of t.removed) add(r.grant, `removed ${r.by}`, `${r.by} removes it`, `${r.by} removes them`);
  if (grants.size === 0) return undefined;
  const reasons = [...why.values()].map((r) => (r.grants.size === 1 ? r.one : r.many)).join('; ');
  return `${grantsNotWorking(grants.size)}: ${reasons}`;
}

/**
 * For a trust that nothing uses: the statement's own condition never holds for the trusted
 * principal (then its grants are not looked for: the statement gives it nothing), or for the
 * principals with grants on the key. Worded like the hover and the checks: the statement's condition is
 * what to correct, not a grant to add. Undefined when the condition is not why.
 */
function conditionShutsOut(ws: Workspace, t: TrustAnalysis): string | undefined {
  const named = t.trust.form === 'principal' && !!t.trust.principalArn;
  if (t.decidedFalse) return `this statement's condition never holds for ${named ? 'it' : 'its principals'} (${t.decidedFalse.join('; ')})`;
  if (t.excluded.length === 0) return undefined;
  const decided = `(${t.excluded[0].decidedFalse.join('; ')})`;
  if (named) return `this statement's condition never holds for it ${decided}`;
  const who = [...new Set(t.excluded.map((e) => granteeLabel(ws, e.principal, e.doc)))];
  return `${who.join(', ')} ${who.length === 1 ? 'has an IAM grant on it' : 'have IAM grants on it'}, but this statement's condition never holds for ${who.length === 1 ? 'it' : 'them'} ${decided}`;
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
        const shut = groups.length ? undefined : conditionShutsOut(ws, t);
        if (named) title = groups.length ? `${named} in ${name} uses this key${notes.length ? ` (${notes.join('; ')})` : ''}` : shut ? `${named} in ${name}: ${shut}` : `${named} in ${name} ${notWorking(t) ?? 'has no IAM grant on this key'}`;
        else if (groups.length === 0) title = `No principal in ${name} uses this key${shut ? `: ${shut}` : ''}`;
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
