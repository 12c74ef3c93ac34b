/**
 * What one file contributes to the cross-file index, and what other files' findings read
 * of it: identity policies and principals by account, key policies by key, the accounts its
 * key policies trust, the keys its grants name, and signatures of the KMS statements (text
 * and place) so that an edit elsewhere in the file does not disturb other files.
 *
 * For a file whose parse tree the workspace does not keep (every file without a key
 * policy), identity policies are held as compact copies (`compactFacts`) with only their
 * KMS statements: what other files read, and what the identity-side checks read.
 */
import type { Catalog } from '../catalog/catalog';
import type { JsonNode } from '../json/jsonDocument';
import { prop } from '../json/nodes';
import { compactDocument } from '../model/compactDocument';
import type { PolicyDocument } from '../model/policyDocument';
import { documentGrants } from '../handshake/accountGrants';
import { documentAccounts } from '../handshake/identityAnalysis';
import { exactArns, grantTargetAccounts, namesTemplateKey } from '../handshake/identityGrants';
import { decryptionOnAllKeys } from '../handshake/allKeys';
import { awsTrustStatements } from '../handshake/roleTrusts';
import { keyOfPolicy, keyPolicyTrusts } from '../handshake/keyPolicyAnalysis';
import type { TemplateContext } from '../model/templateValues';
import type { DiscoveredFile } from '../sources/discoveredFile';
import { detach, signature } from '../strings';
import { sized } from '../arrays';
import { boundedMemo } from '../recentCache';

/** A key named by account, and by ARN when the ARN is exact. */
export interface KeyRef { account: string; arn?: string }

/** A KMS statement of an identity policy of `account`, as other files' findings read it. */
export interface IamStatementFact {
  account: string;
  /** Text, place and owner of the statement (`signature` of them): equal signatures read the same. */
  sig: string;
  /** The exact key ARNs it names; undefined when it may name any key (`*`, wildcards, unknown values). */
  arns?: string[];
}

export interface FileFacts {
  /** Identity policies by the account they belong to. */
  identityDocs: [string, PolicyDocument][];
  /** Roles, users and groups the file names as owners, by account. */
  principals: [string, string][];
  /** Accounts whose every role, or every user, the file lists (an authorization-details export). */
  completeLists: [string, 'role' | 'user'][];
  /** Roles and users with a permissions boundary (an export says so), by account. */
  bounded: [string, string][];
  /** Key policies by the key's account. */
  keyDocs: [string, PolicyDocument][];
  /** The keys of `keyDocs`. */
  keys: KeyRef[];
  /** Accounts (other than the key's) the file's key policies trust: their IAM data matters here. */
  trusted: string[];
  /** Keys the file's grants name (of other accounts and of its own): their key policies matter here. */
  targets: KeyRef[];
  iamStatements: IamStatementFact[];
  /** Accounts of the file's identity policies that allow decryption on all keys (their quick-fix lists the keys that trust them). */
  allKeysAccounts: string[];
  /** Signature of the file's key policies as other files read them (trusts, denies, places; `signature` of them). */
  keySig: string;
  /**
   * Whether the workspace-scope checks can report on the file: it holds a key policy, an
   * identity policy that grants keys by ARN (`targets`) or allows decryption on
   * all keys, or a trust policy that AWS principals can assume; the identity-side checks
   * read nothing else (of a trust policy, only the statements of AWS principals are kept).
   */
  crossChecked: boolean;
}

export const NO_FACTS: FileFacts = { identityDocs: [], principals: [], completeLists: [], bounded: [], keyDocs: [], keys: [], trusted: [], targets: [], iamStatements: [], allKeysAccounts: [], keySig: '', crossChecked: false };

const ACCOUNT = /^\d{12}$/;

function nodeSig(doc: PolicyDocument, node: { offset: number; length: number }): string {
  return `${doc.toFileOffset(node.offset)}:${doc.json.text.slice(node.offset, node.offset + node.length)}`;
}

/** Distinct principal entries kept; the table starts over when full (sharing is an economy, never needed). */
const SHARED_PRINCIPALS = 65_536;
const principalPairs = new Map<string, [string, string]>();

/**
 * `[account, principal]` for the file facts, the same entry for every file that names the
 * principal (the files of a role's folder all do): a flat copy of the ARN (a slice of a file's
 * text would keep that text alive), read-only.
 */
function principalPair(account: string, principal: string): [string, string] {
  return boundedMemo(principalPairs, principal, SHARED_PRINCIPALS, (kept) => [detach(account), kept]);
}

export function fileFacts(discovered: DiscoveredFile | undefined, catalog: Catalog, template: TemplateContext | undefined): FileFacts {
  if (!discovered || discovered.documents.length === 0) return NO_FACTS;
  const world = { catalog, templateContext: () => template };
  const facts: FileFacts = { ...NO_FACTS, identityDocs: [], principals: [], completeLists: [], bounded: [], keyDocs: [], keys: [], iamStatements: [] };
  const principals = new Set<string>();
  const trusted = new Set<string>();
  const targets = new Map<string, KeyRef>();
  const keySig: string[] = [];
  const allKeys = new Set<string>();
  for (const doc of discovered.documents) {
    for (const p of doc.owner.principals ?? []) principals.add(p);
    if (doc.kind === 'iam-identity-policy') {
      // Attached to principals of several accounts (one file the manifest binds to roles of two): the policy of each.
      const accounts = documentAccounts(doc);
      // A managed policy of an export attached to nothing grants nothing.
      const unattached = (doc.source === 'authorization-details' || doc.source === 'terraform-plan') && !(doc.owner.principals?.length);
      if (!unattached) for (const account of accounts) facts.identityDocs.push([account, doc]);
      for (const g of documentGrants(world, doc)) {
        // key-usage-on-all-keys reports on the policy itself, attached or not.
        if (decryptionOnAllKeys(g)) {
          facts.crossChecked = true;
          for (const account of accounts) allKeys.add(account);
        }
        const arns = exactArns(g);
        // Flat copies: a slice of the text would keep it alive after the workspace lets go of it.
        if (!unattached) for (const account of accounts) facts.iamStatements.push({ account, arns: arns?.map(detach), sig: signature(`${(doc.owner.principals ?? []).join(',')}|${doc.owner.label ?? ''}|${nodeSig(doc, g.statement.node)}`) });
        if (g.effect !== 'Allow') continue;
        // Keys of the policy's own account too: their key policy decides whether IAM grants work there.
        // A key of the policy's own template or account named by reference: its account's keys.
        for (const a of namesTemplateKey(g) ? [...grantTargetAccounts(g), ...accounts] : grantTargetAccounts(g)) {
          const exact = arns?.filter((arn) => arn.split(':')[4] === a);
          if (exact?.length) for (const arn of exact) targets.set(arn, { account: detach(a), arn: detach(arn) });
          else targets.set(a, { account: detach(a) });
        }
      }
    } else if (doc.kind === 'iam-trust-policy') {
      // access-outside-trusted-accounts reads who can assume the role.
      if (awsTrustStatements(doc).length) facts.crossChecked = true;
    } else if (doc.kind === 'kms-key-policy') {
      facts.crossChecked = true;
      const { key } = keyOfPolicy(doc);
      if (!key) continue;
      facts.keyDocs.push([key.account, doc]);
      facts.keys.push({ account: key.account, arn: key.arn });
      const trusts = keyPolicyTrusts(world, doc);
      // Identity-side findings point into the key policy (the Statement key, else the whole
      // policy, as where a trust would go) and their fixes edit it: any move renews them.
      const anchor = prop(doc.root, 'Statement')?.key ?? doc.root;
      keySig.push(`${key.account}|${key.arn ?? ''}|${key.region ?? ''}|${key.refs?.join(',') ?? ''}|${trusts.unresolved}|${doc.toFileOffset(anchor.offset)}|${doc.toFileOffset(doc.root.offset)}:${doc.root.length}`);
      for (const ts of trusts.statements) {
        keySig.push(nodeSig(doc, ts.statement.node));
        for (const t of ts.trusts) if (t.account && t.account !== key.account) trusted.add(t.account);
      }
      for (const d of trusts.denies) keySig.push(nodeSig(doc, d.statement.node));
    }
  }
  const complete = new Set<string>();
  for (const [kind, list] of [['role', discovered.listed?.roles], ['user', discovered.listed?.users]] as const) {
    for (const arn of list ?? []) {
      principals.add(arn);
      const account = arn.split(':')[4];
      if (account && ACCOUNT.test(account) && !complete.has(`${account}|${kind}`)) {
        complete.add(`${account}|${kind}`);
        facts.completeLists.push([account, kind]);
      }
    }
  }
  for (const p of principals) {
    const account = p.split(':')[4];
    if (account && ACCOUNT.test(account)) facts.principals.push(principalPair(account, p));
  }
  for (const p of discovered.listed?.bounded ?? []) {
    const account = p.split(':')[4];
    if (account && ACCOUNT.test(account)) facts.bounded.push(principalPair(account, p));
  }
  facts.trusted = [...trusted];
  facts.targets = [...targets.values()];
  facts.allKeysAccounts = [...allKeys];
  if (facts.targets.length) facts.crossChecked = true;
  facts.keySig = keySig.length ? signature(keySig.join('\n')) : '';
  // The facts live as long as the file: lists grown by `push` (room for 17 entries) are
  // copied to their size, and the many empty ones share one.
  facts.identityDocs = sized(facts.identityDocs);
  facts.principals = sized(facts.principals);
  facts.completeLists = sized(facts.completeLists);
  facts.bounded = sized(facts.bounded);
  facts.keyDocs = sized(facts.keyDocs);
  facts.keys = sized(facts.keys);
  facts.trusted = sized(facts.trusted);
  facts.targets = sized(facts.targets);
  facts.allKeysAccounts = sized(facts.allKeysAccounts);
  facts.iamStatements = sized(facts.iamStatements);
  return facts;
}

/**
 * For a file whose parse tree is not kept: the same facts with identity policies as compact
 * copies that hold only their KMS statements, without the action names of other services
 * (what other files read). For such a file that the workspace-scope checks report on, also
 * every document of the file in that form, in order: the identity-side checks read only KMS
 * statements, and other kinds have no workspace-scope check. `fileText`: the copies of documents
 * parsed from the file's own text read it through this instead of holding it.
 */
export function compactFacts(facts: FileFacts, discovered: DiscoveredFile, catalog: Catalog, template: TemplateContext | undefined, fileText?: () => string): { facts: FileFacts; documents?: PolicyDocument[] } {
  if (facts.identityDocs.length === 0 && !facts.crossChecked) return { facts };
  const world = { catalog, templateContext: () => template };
  const copies = new Map<PolicyDocument, PolicyDocument>();
  const copyOf = (doc: PolicyDocument): PolicyDocument => {
    let c = copies.get(doc);
    if (!c) {
      const grants = doc.kind === 'iam-identity-policy' ? documentGrants(world, doc) : [];
      const kept = new Set<JsonNode>(doc.kind === 'iam-trust-policy' ? awsTrustStatements(doc).map((s) => s.node) : grants.map((g) => g.statement.node));
      // Of a grant's Action array, the entries that name other services are read by nobody.
      const otherServices = new Set<JsonNode>();
      for (const g of grants) {
        // Except in grants of decryption on all keys: their quick-fix is offered only when every action is KMS's.
        if (decryptionOnAllKeys(g)) continue;
        for (const e of g.actions.entries) if (e.actions.length === 0 && e.item.value !== undefined && e.item.node.parent?.type === 'array') otherServices.add(e.item.node);
      }
      // A document parsed from the file's own text reads it through `fileText` (when given) instead of holding it.
      const text = fileText && !doc.embedded && doc.json.text === discovered.json.text ? fileText : undefined;
      copies.set(doc, (c = compactDocument(doc, kept, otherServices, text)));
    }
    return c;
  };
  return {
    facts: { ...facts, identityDocs: facts.identityDocs.map(([account, doc]) => [account, copyOf(doc)]) },
    documents: facts.crossChecked ? discovered.documents.map(copyOf) : undefined,
  };
}

/** Accounts whose IAM data the file contributes to. */
export function describedAccounts(f: FileFacts): string[] {
  return [...new Set([...f.identityDocs.map(([a]) => a), ...f.principals.map(([a]) => a)])];
}

/** Per account: principals and number of identity policies, as messages count them, and the principals with a permissions boundary. */
export function accountShape(f: FileFacts, account: string): string {
  const principals = f.principals.filter(([a]) => a === account).map(([, p]) => p).sort();
  const bounded = f.bounded.filter(([a]) => a === account).map(([, p]) => p).sort();
  return `${f.identityDocs.filter(([a]) => a === account).length}|${principals.join(',')}|${bounded.join(',')}`;
}
