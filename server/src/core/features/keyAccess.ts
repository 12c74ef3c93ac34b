/**
 * Who can use each key: for every key policy of the workspace, the accounts it trusts and, in
 * each, the principals that can use the key (the handshake: the key policy trusts them and an
 * IAM policy of theirs grants the key), with which actions, conditional or only through a
 * service, and what has no effect. The Key access view of the editor and the CLI's `graph`
 * command both draw this. Pure: places are file spans.
 */
import type { Span } from '../findings';
import type { JsonNode } from '../json/jsonDocument';
import type { PolicyDocument } from '../model/policyDocument';
import { fileLabel, fileSpan, granteeLabel } from '../handshake/describe';
import { keyLabel } from '../handshake/keyIdentity';
import { constraintLabel, keyGrants } from '../handshake/kmsGrants';
import { analyzeIdentityPolicy, type KeyTrustResult } from '../handshake/identityAnalysis';
import type { Grant } from '../handshake/identityGrants';
import { groupByShape } from '../handshake/access';
import { analyzeKeyPolicy, keyOfPolicy, matchesByPrincipal, type TrustAnalysis } from '../handshake/keyPolicyAnalysis';
import type { Catalog } from '../catalog/catalog';
import { CROSS_ACCOUNT_ACTIONS, displayAction, intersect, minus } from '../model/kmsActions';
import { principalLabel } from '../handshake/world';
import { sessionOf, sessionsLabel } from '../handshake/keyPolicyTrusts';
import { iamPrincipalKind } from '../model/arn';
import type { Workspace } from '../workspace/workspace';

/** A statement in a file (what selecting an entry opens). */
export interface Place { file: string; span: Span }

export interface KeyAccessPrincipal {
  /** The role or user ARN; undefined for an identity policy whose principal is not known. */
  arn?: string;
  /** `role/AppReader`, or what the policy is when its principal is not known. */
  label: string;
  /** The actions it can use on the key, sorted. */
  actions: string[];
  /** Why its access is conditional (every grant is); empty when it is not. */
  conditions: string[];
  /** Only through these services (`kms:ViaService`); undefined when direct calls work. */
  via?: string[];
  /** The statements that give it the key: its IAM grants (another account; its own when the key policy allows the account principal) or the key policy's naming it; for a KMS grant, the grant. */
  places: Place[];
  /**
   * It reaches the key through this KMS grant (`aws_kms_grant.reader`), with the grant's operations
   * and no key-policy trust or IAM grant needed; its constraints are its conditions.
   */
  grant?: string;
}

export interface KeyAccessIneffective {
  actions: string[];
  /** Why they have no effect. */
  reason: string;
  /** Whose grant, when it is one principal's: its label and, when known, its ARN. */
  principal?: string;
  principalArn?: string;
  place?: Place;
}

export interface KeyAccessAccount {
  /** The account id, or `*` for a statement trusting every account. */
  account: string;
  name?: string;
  /** The key's own account. */
  own: boolean;
  /** The actions the key policy trusts the account with (its own account: as written), sorted. */
  trusted: string[];
  /** The key policy trusts the account as a whole: its IAM policies decide who can use the key. */
  wholeAccount: boolean;
  /** The key-policy statements that trust the account. */
  statements: Place[];
  /** Whether the workspace holds IAM data of the account (else who can use the key there is not known). */
  described: boolean;
  principals: KeyAccessPrincipal[];
  ineffective: KeyAccessIneffective[];
}

export interface KeyAccessKey {
  /** The key's ARN, else what is known of it. */
  label: string;
  arn?: string;
  account?: string;
  /** The key policy (the whole document). */
  place: Place;
  /** The key policy's file as the user knows it (relative to its manifest). */
  fileLabel: string;
  accounts: KeyAccessAccount[];
}

function place(doc: PolicyDocument, node: JsonNode): Place {
  return { file: doc.file, span: fileSpan(doc, node) };
}

const sorted = (s: Iterable<string>) => [...new Set(s)].sort();
/** KMS actions as written in policies (`kms:Decrypt`), sorted. */
const named = (catalog: Catalog, actions: Iterable<string>) => sorted([...actions].map((a) => displayAction(catalog, a)));

/** Every key policy of the workspace, keys sorted by label. */
export function keyAccess(ws: Workspace): KeyAccessKey[] {
  const docs = ws.keyAccounts().flatMap((a) => ws.keyPolicies(a));
  const out = [...new Set(docs)].map((doc) => keyAccessOf(ws, doc));
  return out.sort((a, b) => a.label.localeCompare(b.label) || a.place.file.localeCompare(b.place.file));
}

export function keyAccessOf(ws: Workspace, doc: PolicyDocument): KeyAccessKey {
  const { key } = keyOfPolicy(doc);
  const analysis = analyzeKeyPolicy(ws, doc);
  const accounts = new Map<string, KeyAccessAccount>();
  const accountEntry = (account: string, own: boolean) => {
    let e = accounts.get(account);
    if (!e) {
      e = { account, name: ws.accountName(account, doc.file), own, trusted: [], wholeAccount: false, statements: [], described: own || ws.accountIam(account).described, principals: [], ineffective: [] };
      accounts.set(account, e);
    }
    return e;
  };
  // The key's own account and `*`: what the statements say (the handshake is about other accounts).
  for (const ts of analysis.trusts.statements) {
    const written = ts.actions.entries.map((x) => x.item.value).filter((v): v is string => !!v);
    for (const trust of ts.trusts) {
      const own = !!key && trust.account === key.account;
      if (!own && trust.form !== 'public') continue;
      const e = accountEntry(own ? key!.account : '*', own);
      e.trusted = sorted([...e.trusted, ...(written.length ? written : named(ws.catalog, ts.actions.actions))]);
      addStatement(e, place(doc, ts.statement.node));
      if (trust.form === 'principal' && trust.principalArn) {
        // An assumed-role session ARN: only the role's sessions of that name.
        const session = iamPrincipalKind(trust.principalArn) === 'assumed-role' ? sessionOf(trust.principalArn, '') : undefined;
        const conditions = [...ts.conditionKeys.map((k) => `the key policy statement's condition on ${k}`), ...(session ? [sessionsLabel([session])] : [])];
        addPrincipal(e, { arn: trust.principalArn, label: principalLabel(trust.principalArn), actions: named(ws.catalog, ts.actions.actions), conditions, places: [place(doc, ts.statement.node)] });
      } else if (trust.form === 'template-principal') {
        // A role of the template whose ARN is known only once deployed: by its logical id, never by a made-up ARN.
        addPrincipal(e, { label: trust.label!, actions: named(ws.catalog, ts.actions.actions), conditions: ts.conditionKeys.map((k) => `the key policy statement's condition on ${k}`), places: [place(doc, ts.statement.node)] });
      } else {
        e.wholeAccount = true;
      }
    }
  }
  for (const t of analysis.external) addTrust(ws, doc, accountEntry(t.account, false), t);
  // KMS grants on the key: their grantees use it with the grant's operations, whatever the key policy and IAM say.
  for (const g of keyGrants(doc)) {
    const account = g.grantee?.split(':')[4];
    if (!g.grantee || !account || !/^\d{12}$/.test(account)) continue;
    addPrincipal(accountEntry(account, !!key && account === key.account), {
      arn: g.grantee,
      label: principalLabel(g.grantee),
      actions: named(ws.catalog, g.operations),
      conditions: g.constraint ? [`the grant's constraint: ${constraintLabel(g)}`] : [],
      places: [{ file: g.file, span: g.span }],
      grant: g.label,
    });
  }
  // IAM grants naming this key that the key policy does not let work: of other accounts, and
  // of the key's own account (there the key policy must allow the account principal or name
  // the principal). In the own account, the principals whose IAM grant works are listed too.
  if (key) {
    for (const { id } of ws.knownAccounts()) {
      const own = id === key.account;
      for (const idDoc of ws.accountIam(id).documents) {
        for (const g of analyzeIdentityPolicy(ws, idDoc)) {
          for (const pa of g.byPrincipal) {
            for (const k of pa.keys) {
              if (k.keyDoc !== doc || k.undecided) continue;
              const dead = k.ownDead?.actions ?? new Set<string>();
              const works = minus(k.effective, dead);
              if (own && k.match.certainty === 'yes') addOwnGrant(ws, accountEntry(id, true), idDoc, g.grant, pa.principal, k, intersect(g.grant.actions.actions, works));
              const lost = minus(g.grant.actions.actions, works);
              if (lost.size === 0) continue;
              const reason = [...lost].every((a) => dead.has(a)) ? `its own condition (${k.ownDead!.decidedFalse.join('; ')}) never holds for this principal`
                : k.statements.length === 0 ? (own ? 'the key policy neither allows the account principal nor names this principal: IAM policies of its account cannot grant it' : 'the key policy does not trust this principal or its account')
                : !own && [...lost].every((a) => !CROSS_ACCOUNT_ACTIONS.has(a)) ? 'KMS never allows them across accounts' : 'the key policy does not allow them to this principal';
              addIneffective(accountEntry(id, own), { actions: named(ws.catalog, lost), reason, principal: granteeLabel(ws, pa.principal, idDoc), principalArn: pa.principal, place: place(idDoc, g.grant.statement.node) });
            }
          }
        }
      }
    }
  }
  const list = [...accounts.values()];
  for (const e of list) e.principals.sort((a, b) => (a.arn ? 0 : 1) - (b.arn ? 0 : 1) || a.label.localeCompare(b.label) || (a.grant ?? '').localeCompare(b.grant ?? ''));
  // The own account first, then the others by id, `*` last.
  list.sort((a, b) => Number(b.own) - Number(a.own) || Number(a.account === '*') - Number(b.account === '*') || a.account.localeCompare(b.account));
  return {
    label: key ? keyLabel(key) : doc.owner.label ?? fileLabel(ws, doc.file),
    arn: key?.arn,
    account: key?.account,
    place: place(doc, doc.root),
    fileLabel: fileLabel(ws, doc.file),
    accounts: list,
  };
}

function addTrust(ws: Workspace, doc: PolicyDocument, e: KeyAccessAccount, t: TrustAnalysis): void {
  e.trusted = sorted([...e.trusted, ...named(ws.catalog, t.capable)]);
  if (t.trust.form !== 'principal') e.wholeAccount = true;
  const statement = place(doc, t.statement.statement.node);
  addStatement(e, statement);
  for (const g of matchesByPrincipal(t.matches)) {
    const first = g.matches[0];
    addPrincipal(e, {
      arn: g.principal,
      label: granteeLabel(ws, g.principal, first.doc),
      actions: named(ws.catalog, g.actions),
      conditions: g.conditional ? sorted(g.matches.flatMap((m) => m.conditions)) : [],
      via: g.via ? sorted(g.via) : undefined,
      places: g.matches.map((m) => place(m.doc, m.grant.statement.node)),
    });
  }
  const never = minus(t.statement.actions.actions, CROSS_ACCOUNT_ACTIONS);
  if (never.size) addIneffective(e, { actions: named(ws.catalog, never), reason: 'KMS never allows them across accounts', place: statement });
  if (t.decidedFalse) addIneffective(e, { actions: named(ws.catalog, t.statement.capable), reason: `the statement's condition never holds here (${t.decidedFalse.join('; ')})`, place: statement });
  for (const r of t.removed) {
    addIneffective(e, { actions: named(ws.catalog, r.actions), reason: `removed by ${r.by}`, principal: r.principal ? principalLabel(r.principal) : undefined, principalArn: r.principal, place: place(r.doc, r.grant.statement.node) });
  }
  if (t.described && t.matches.length === 0 && t.capable.size && !t.decidedFalse && t.trust.form !== 'principal') {
    addIneffective(e, { actions: named(ws.catalog, t.capable), reason: 'no principal of the account has an IAM grant for them on this key', place: statement });
  }
  if (t.described && t.matches.length === 0 && t.capable.size && t.trust.form === 'principal' && t.trust.principalArn) {
    addIneffective(e, { actions: named(ws.catalog, t.capable), reason: 'its IAM policies do not grant them on this key', principal: principalLabel(t.trust.principalArn), principalArn: t.trust.principalArn, place: statement });
  }
}

/**
 * A principal of the key's own account whose IAM grant works on the key (the key policy allows
 * the account principal, or names the principal): listed with the grant as its place.
 */
function addOwnGrant(ws: Workspace, e: KeyAccessAccount, idDoc: PolicyDocument, grant: Grant, principal: string | undefined, k: KeyTrustResult, works: Set<string>): void {
  for (const group of groupByShape(works, k.shapes)) {
    const conditions: string[] = [];
    if (group.shape?.sessions) {
      conditions.push(sessionsLabel(group.shape.sessions));
    } else if (group.shape && !group.shape.certain) {
      const crediting = new Set([...group.actions].flatMap((a) => k.allowedBy.get(a) ?? []));
      for (const ts of crediting) for (const c of ts.conditionKeys) conditions.push(`the key policy statement's condition on ${c}`);
      for (const c of grant.conditionKeys) conditions.push(`the IAM statement's condition on ${c}`);
      if (conditions.length === 0) conditions.push('conditions that depend on the request');
    }
    addPrincipal(e, {
      arn: principal,
      label: granteeLabel(ws, principal, idDoc),
      actions: named(ws.catalog, group.actions),
      conditions: sorted(conditions),
      via: group.shape?.via ? sorted(group.shape.via) : undefined,
      places: [place(idDoc, grant.statement.node)],
    });
  }
}

function addStatement(e: KeyAccessAccount, p: Place): void {
  if (!e.statements.some((s) => s.file === p.file && s.span.offset === p.span.offset)) e.statements.push(p);
}

/** One entry per principal and way (policies, or each KMS grant): a principal trusted by several statements gets the union. */
function addPrincipal(e: KeyAccessAccount, p: KeyAccessPrincipal): void {
  const same = e.principals.find((x) => x.arn === p.arn && x.label === p.label && x.grant === p.grant);
  if (!same) { e.principals.push(p); return; }
  // Conditional only while every way it has is.
  same.conditions = same.conditions.length && p.conditions.length ? sorted([...same.conditions, ...p.conditions]) : [];
  same.via = same.via && p.via ? sorted([...same.via, ...p.via]) : undefined;
  same.actions = sorted([...same.actions, ...p.actions]);
  for (const x of p.places) if (!same.places.some((s) => s.file === x.file && s.span.offset === x.span.offset)) same.places.push(x);
}

function addIneffective(e: KeyAccessAccount, i: KeyAccessIneffective): void {
  if (!e.ineffective.some((x) => x.reason === i.reason && x.principal === i.principal && x.actions.join() === i.actions.join())) e.ineffective.push(i);
}
