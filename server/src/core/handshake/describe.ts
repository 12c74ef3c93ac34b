/**
 * Words and places for handshake messages, hovers and related information: where a
 * statement is (file and line), what was searched in an account, who matches.
 */
import { leadSentence, type RelatedInfo, type Span } from '../findings';
import type { JsonNode } from '../json/jsonDocument';
import type { PolicyDocument, Statement } from '../model/policyDocument';
import { relativePath } from '../relativePaths';
import type { AccountIam, HandshakeWorld } from './world';
import { accountLabel, principalLabel } from './world';
import { samePrincipal, type TrustStatement } from './keyPolicyTrusts';
import { useLabel, viaLabel, type AccessShape } from './access';
import { iamPrincipalKind } from '../model/arn';

/** A node of a document as a span of its file. */
export function fileSpan(doc: PolicyDocument, node: { offset: number; length: number }): Span {
  const start = doc.toFileOffset(node.offset);
  const end = doc.toFileOffset(node.offset + node.length);
  return { offset: start, length: Math.max(0, end - start) };
}

/** The file as the user knows it: relative to its manifest's folder, else its last two segments. */
export function fileLabel(world: HandshakeWorld, file: string, from?: string): string {
  // Named from the file the message is in: relative to its manifest's folder, or to the folder
  // both manifests are in (`a/k1.json` in a message of b/p.json), not to the named file's own.
  const base = from === undefined ? undefined : world.manifestFor(from)?.root;
  const own = world.manifestFor(file)?.root;
  if (base !== undefined && own !== undefined && base !== own) {
    const rel = relativePath(base, file) ?? relativePath(commonFolder(base, own), file);
    if (rel) return rel;
  }
  const m = world.manifestFor(file);
  const rel = m ? relativePath(m.root, file) : undefined;
  if (rel) return rel;
  const parts = file.replace(/\\/g, '/').split('/');
  return parts.slice(-2).join('/');
}

/** The deepest folder holding both folders. */
function commonFolder(a: string, b: string): string {
  const pa = a.replace(/\\/g, '/').split('/');
  const pb = b.replace(/\\/g, '/').split('/');
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  return pa.slice(0, i).join('/');
}

/** `path:line` of a node (1-based line). */
export function locationLabel(world: HandshakeWorld, doc: PolicyDocument, node: JsonNode): string {
  const line = world.lineOf(doc.file, doc.toFileOffset(node.offset));
  return line === undefined ? fileLabel(world, doc.file) : `${fileLabel(world, doc.file)}:${line + 1}`;
}

export function related(doc: PolicyDocument, node: JsonNode, message: string): RelatedInfo {
  return { file: doc.file, span: fileSpan(doc, node), message };
}

/** "4 principals and 5 identity policies in 3 files" */
export function searchedLabel(iam: AccountIam): string {
  const p = iam.principals.length;
  const d = iam.documents.length;
  return `${p} known principal${p === 1 ? '' : 's'} and ${d} identity polic${d === 1 ? 'y' : 'ies'} in ${iam.files} file${iam.files === 1 ? '' : 's'}`;
}

/** `role/AppReader` or, for a policy whose principal is not known, its label. */
export function granteeLabel(world: HandshakeWorld, principal: string | undefined, doc: PolicyDocument): string {
  if (principal) return principalLabel(principal);
  const roles = doc.owner.unnamedRoles;
  if (roles?.length) {
    // A template's role whose name is generated: named by its logical id (and construct path).
    const label = doc.owner.label;
    const through = label && !roles.some((r) => r === label || r.startsWith(`${label} `)) ? `, through ${label}` : '';
    return `${roles.length === 1 ? 'role' : 'roles'} ${roles.join(', ')} (name generated at deployment${through})`;
  }
  // A group's policy whose members are not known: its members use it.
  const groups = (doc.owner.principals ?? []).filter((p) => iamPrincipalKind(p) === 'group');
  if (groups.length) return `the members of ${groups.map(principalLabel).join(', ')} (none known)`;
  return `a policy with no known principal (${doc.owner.label ?? fileLabel(world, doc.file)})`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Related information at the start of each file (at most `max`): where something was
 * searched for and not found. The start of a file does not move when the file is edited.
 */
export function searchedFiles(world: HandshakeWorld, docs: PolicyDocument[], message: (file: string) => string, max = 3): RelatedInfo[] {
  const files = [...new Set(docs.map((d) => d.file))].slice(0, max);
  return files.map((file) => ({ file, span: { offset: 0, length: 0 }, message: message(fileLabel(world, file)) }));
}

/** ` (only through s3.us-west-2.amazonaws.com)`, ` (conditional: …)` or nothing: how a match is qualified. */
export function matchNote(m: { via?: string[]; conditions: string[] }): string {
  const parts: string[] = [];
  if (m.via) parts.push(viaLabel(m.via));
  if (m.conditions.length) parts.push(`conditional: ${m.conditions.join('; ')}`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/**
 * Whom a key-policy statement trusts, as it concerns a principal of `account` (for related
 * information): the principal itself, its account, its organization or everyone; undefined
 * when the statement names none of these. `file`: where the label is shown (account names from its manifest).
 */
export function trustedAsLabel(world: HandshakeWorld, ts: TrustStatement, account: string, principal: string | undefined, file: string): string | undefined {
  if (principal && ts.trusts.some((t) => t.form === 'principal' && t.principalArn !== undefined && samePrincipal(t.principalArn, principal))) return principalLabel(principal);
  if (ts.trusts.some((t) => (t.form === 'root' || t.form === 'caller-account') && t.account === account)) return `account ${accountLabel(world, account, file)}`;
  if (ts.trusts.some((t) => t.form === 'organization')) return 'its organization';
  if (ts.trusts.some((t) => t.form === 'public')) return 'every principal';
  return undefined;
}

/** Related information on a grant whose own condition never holds for its principal: its Condition, and the entries that decide it. */
export function deadGrantRelated(d: { principal: string | undefined; doc: PolicyDocument; grant: { statement: Statement }; decidedFalse: string[] }): RelatedInfo {
  const s = d.grant.statement;
  return related(d.doc, s.elements.Condition?.key ?? s.node, `Grant of ${d.principal ? principalLabel(d.principal) : 'this policy'}: its condition (${d.decidedFalse.join('; ')}) never holds for it`);
}

/** Related information on a grant that holds only in requests the key-policy statement never allows: its Condition, and how it can be used. */
export function apartGrantRelated(d: { principal: string | undefined; doc: PolicyDocument; grant: { statement: Statement }; granted: AccessShape }, actions: string): RelatedInfo {
  const s = d.grant.statement;
  return related(d.doc, s.elements.Condition?.key ?? s.node, `Grant of ${d.principal ? principalLabel(d.principal) : 'this policy'}: allows ${actions} ${useLabel(d.granted)}`);
}

/**
 * The first sentence of a key-side finding when the trusted principal, or the trusted account,
 * has IAM grants on the key and none of them works (the hover and the code lens word it alike:
 * "has an IAM grant on this key that does not work"), then what to correct: the Deny that removes
 * them, their own condition, or the statement's condition that never holds for their principals.
 * For grants of several kinds, making one work is enough. `short` stands for `who` when the
 * sentence would not fit on one line.
 */
export function grantsNotWorkingLead(who: string, short: string, grants: {
  removed?: readonly { grant: object; by: string }[];
  dead?: readonly { grant: object }[];
  excluded?: readonly { grant: object }[];
  apart?: readonly { grant: object }[];
}): string {
  const { removed = [], dead = [], excluded = [], apart = [] } = grants;
  const n = new Set([...removed, ...dead, ...excluded, ...apart].map((g) => g.grant)).size;
  const kinds = [removed, dead, excluded, apart].filter((k) => k.length).length;
  const them = n === 1 ? 'it' : 'them';
  const todo = kinds > 1 ? (n === 1 ? 'correct it' : 'make one work')
    : removed.length ? `narrow the ${new Set(removed.map((r) => r.by)).size === 1 ? 'Deny' : 'Denies'}`
      : dead.length ? `correct ${n === 1 ? 'its condition' : 'their conditions'}`
        : excluded.length ? 'correct this statement\'s condition'
          : `make ${them} agree with this statement`;
  return leadSentence((name) => `${name} ${grantsNotWorking(n)}: ${todo}, or remove the trust.`, who, short);
}

/** `has an IAM grant on this key that does not work`, for `n` such grants: the words of the key-side findings and the code lens. */
export function grantsNotWorking(n: number): string {
  return n === 1 ? 'has an IAM grant on this key that does not work' : `has ${n} IAM grants on this key that do not work`;
}
