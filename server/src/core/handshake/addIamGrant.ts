/**
 * Quick-fix `add-iam-grant`: for a principal of another account that the key policy trusts
 * but that has no grant, add a statement granting the trusted cross-account actions on the
 * key's ARN to one of the principal's policy files; when it has none, create a policy file
 * (where the manifest already binds the principal's policies, or a new path added to the
 * manifest). A role or user a template declares gets a policy of its own in that template
 * (templateGrant.ts): what it deploys is the template's.
 */
import type { LocalFix } from '../findings';
import type { FileEdit } from '../findings';
import { parseJson, type JsonNode } from '../json/jsonDocument';
import { prop, propValue } from '../json/nodes';
import { parseArn } from '../model/arn';
import type { PolicyDocument } from '../model/policyDocument';
import { keyOfPolicy, type KeyPolicyAnalysis } from './keyPolicyAnalysis';
import { relativePath } from '../relativePaths';
import { mayBeDenied, principalDocuments } from './accountGrants';
import { samePrincipal } from './keyPolicyTrusts';
import { fileLabel } from './describe';
import { appendItemEdit, formatValue, insertPropertyEdit } from './jsonEdits';
import { appendItemYaml } from '../yaml/yamlEdits';
import { displayAction } from '../model/kmsActions';
import { appendHclListItem, appendStatementBlock, hclTemplateText, isBlockNode } from '../sources/hcl/hclEdits';
import { principalLabel, type HandshakeWorld, type DeclaringTemplate } from './world';
import { templateGrant } from './templateGrant';
import { detach, lineBreakOf, withLineBreaks } from '../strings';

export const ADD_GRANT_FIX_ID = 'add-iam-grant';

/** Bounds the menu for accounts known from a large export; the order keeps the useful ones in. */
const MAX_GRANT_CANDIDATES = 50;

/**
 * The principals an add-grant fix is offered for, the same list for every statement of a key
 * policy: every known role and user of the account, those without any grant on this key
 * first, each group in ARN order.
 */
export function grantCandidates(world: HandshakeWorld, analysis: KeyPolicyAnalysis, account: string): string[] {
  const granted = new Set<string>();
  for (const t of analysis.external) {
    if (t.account !== account) continue;
    for (const m of t.matches) if (m.principal) granted.add(m.principal.toLowerCase());
  }
  const all = world.accountIam(account).rolesAndUsers;
  const has = (p: string) => granted.has(p.toLowerCase());
  return [...all.filter((p) => !has(p)), ...all.filter(has)].slice(0, MAX_GRANT_CANDIDATES);
}

/** The actions a Deny of the principal's own policies may not take away on the key of `keyDoc`. */
function notDenied(world: HandshakeWorld, keyDoc: PolicyDocument, account: string, principal: string, actions: Set<string>): Set<string> {
  const key = keyOfPolicy(keyDoc).key;
  const denied = key ? mayBeDenied(world, account, principal, key, actions) : undefined;
  return denied?.size ? new Set([...actions].filter((a) => !denied.has(a))) : actions;
}

export function grantStatement(world: HandshakeWorld, keyArn: string, actions: Iterable<string>): { Sid: string; Effect: string; Action: string[]; Resource: string } {
  return { ...keyStatement(world, parseArn(keyArn)?.resource.split('/')[1] ?? 'Key', actions), Resource: keyArn };
}

/** The grant statement without its Resource, its Sid named after `keyName` (a key id, or a template's name of the key). */
function keyStatement(world: HandshakeWorld, keyName: string, actions: Iterable<string>): { Sid: string; Effect: string; Action: string[] } {
  return {
    Sid: `UseKey${keyName.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}`,
    Effect: 'Allow',
    Action: [...actions].sort().map((a) => displayAction(world.catalog, a)),
  };
}

/** Ends the title of a grant for a principal that has one whose own condition never holds for it: the new one has no condition. */
export const BESIDE_DEAD_GRANT = ', without the condition that never holds for it';

/**
 * The fixes for these principals, made when first asked for (a check's findings are published
 * far more often than their fixes are read; making them reads the principals' policies). Made
 * here, the function holds only its arguments, not the scope of the check that reports.
 * `besideDead`: principals whose grant on the key has its own condition that never holds for them.
 */
export function addIamGrantFixes(world: HandshakeWorld, keyDoc: PolicyDocument, keyArn: string | undefined, principals: readonly string[], actions: Set<string>, besideDead: ReadonlySet<string> = new Set()): () => LocalFix[] {
  return () => principals.map((p) => addIamGrantFix(world, keyDoc, keyArn, p, actions, besideDead.has(p))).filter((f): f is LocalFix => f !== undefined);
}

/**
 * The fix for one principal: a grant of the actions a Deny of its own policies would not remove
 * (a grant of those would be removed too); undefined when there is none, or no sensible place for the grant.
 */
export function addIamGrantFix(world: HandshakeWorld, keyDoc: PolicyDocument, keyArn: string | undefined, principal: string, wanted: Set<string>, besideDead = false): LocalFix | undefined {
  if (wanted.size === 0) return undefined;
  const arn = parseArn(principal);
  if (!arn || !/^(role|user)\//.test(arn.resource)) return undefined;
  const actions = notDenied(world, keyDoc, arn.account, principal, wanted);
  if (actions.size === 0) return undefined;
  const title = `Grant ${[...actions].length} key action${actions.size === 1 ? '' : 's'} to ${principalLabel(principal)}`;
  const ending = besideDead ? BESIDE_DEAD_GRANT : '';
  if (keyArn) {
    const statement = grantStatement(world, keyArn, actions);
    for (const existing of editablePolicies(world, arn.account, principal)) {
      const edit = appendStatementEdit(existing, statement);
      if (!edit) continue;
      return {
        title: `${title} in ${fileLabel(world, existing.file)}${ending}`,
        id: ADD_GRANT_FIX_ID,
        edits: [],
        otherFiles: [{ file: existing.file, edits: [{ ...edit, offset: existing.toFileOffset(edit.offset) }] }],
      };
    }
  }
  // A role or user a template declares gets the policies the template deploys: a policy of its
  // own in the template, never a policy file beside it (that would give access AWS never has).
  const template = world.principalTemplate(principal);
  if (template) return templatePolicyFix(world, template, keyDoc, keyArn, actions, `${title} in ${fileLabel(world, template.file)}`, ending);
  if (!keyArn) return undefined;
  const statement = grantStatement(world, keyArn, actions);
  const place = newPolicyPlace(world, keyDoc, principal, keyArn);
  if (!place) return undefined;
  const content = JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, 2) + '\n';
  const changes: FileEdit[] = [{ file: place.file, create: true, edits: [{ offset: 0, length: 0, newText: content }] }];
  if (place.manifestEdit) changes.push(place.manifestEdit);
  return { title: `${title} in a new policy file ${place.label}${ending}`, id: ADD_GRANT_FIX_ID, edits: [], otherFiles: changes };
}

/**
 * The fix that adds a policy of its own to the template that declares the principal (see
 * templateGrant.ts); without the key's ARN, only where the template names the key itself.
 */
function templatePolicyFix(world: HandshakeWorld, template: DeclaringTemplate, keyDoc: PolicyDocument, keyArn: string | undefined, actions: Set<string>, title: string, ending: string): LocalFix | undefined {
  const text = world.text(template.file);
  if (text === undefined) return undefined;
  // Without the key's ARN, the statement is named after the key's resource (`aws_kms_key.app`: UseKeyApp).
  const name = (keyDoc.owner.label ?? 'Key').split('.').pop()!.replace(/[^A-Za-z0-9]/g, '').slice(0, 8).replace(/^[a-z]/, (c) => c.toUpperCase());
  const statement = keyArn ? grantStatement(world, keyArn, actions) : { ...keyStatement(world, name, actions), Resource: undefined };
  const grant = templateGrant(template, text, keyDoc, statement);
  if (!grant) return undefined;
  // In the file's line breaks, as a flat copy (see appendStatementEdit).
  const edit = { ...grant.edit, newText: detach(withLineBreaks(grant.edit.newText, lineBreakOf(text))) };
  return { title: `${title} as ${grant.place}${ending}`, id: ADD_GRANT_FIX_ID, edits: [], otherFiles: [{ file: template.file, edits: [edit] }] };
}

/**
 * The edit that adds the statement to a policy, in its own syntax: a JSON array item, a YAML
 * item in the style of its Statement list, an item of a `jsonencode` list, a `statement`
 * block of a policy document block, or JSON text in a template's string. Undefined when there
 * is no place for it that can be written safely.
 */
function appendStatementEdit(doc: PolicyDocument, statement: ReturnType<typeof grantStatement>): { offset: number; length: number; newText: string } | undefined {
  const edit = statementEdit(doc, statement);
  if (!edit) return undefined;
  // JSON text in a Terraform heredoc is escaped for it, as the engine escapes a fix's edits.
  const escaped = doc.hclString ? hclTemplateText(edit.newText, doc.hclString === 'quoted', doc.json.text[edit.offset + edit.length]) : edit.newText;
  // In the file's line breaks, as the engine writes a fix's edits.
  const newText = withLineBreaks(escaped, lineBreakOf(doc.json.text));
  // A flat copy: the finding holding the fix may outlive the policy's text (see WorkspaceOptions.readText).
  return { ...edit, newText: detach(newText) };
}

function statementEdit(doc: PolicyDocument, statement: ReturnType<typeof grantStatement>): { offset: number; length: number; newText: string } | undefined {
  const text = doc.json.text;
  if (doc.json.syntax === 'hcl' && isBlockNode(text, doc.root)) return appendStatementBlock(text, doc.root, statement);
  const st = propValue(doc.root, 'Statement')!;
  if (doc.json.syntax === 'hcl') return appendHclListItem(text, st, statement);
  if (doc.writeInString) return appendInString(doc, st, statement);
  const json = appendItemEdit(text, st, statement);
  return doc.json.syntax === 'yaml' ? appendItemYaml(doc.json, st, statement, json) : json;
}

/**
 * A policy written as JSON text in a template's string (`PolicyDocument: !Sub '{…}'`, a JSON
 * string): the statement on one line after the last one (or inside an empty `[]`), written as
 * the string holds it (quotes doubled or escaped); undefined where the string cannot take it safely.
 */
function appendInString(doc: PolicyDocument, st: JsonNode, statement: ReturnType<typeof grantStatement>): { offset: number; length: number; newText: string } | undefined {
  if (!doc.writeInString || doc.json.text[st.offset] !== '[') return undefined;
  const last = st.children?.[st.children.length - 1];
  // After the last statement, or as the first one of an empty list.
  const at = last ? last.offset + last.length : st.offset + 1;
  const newText = doc.writeInString(at, 0, `${last ? ', ' : ''}${formatValue(statement, '', '', false, '\n')}`);
  return newText === undefined ? undefined : { offset: at, length: 0, newText };
}

/**
 * The policies attached to the principal with a Statement array to add to, in the order they
 * are tried: bare policy files first, then policies written in a template (JSON, YAML or
 * Terraform), then policies written as JSON text in a template's string. Only policies written
 * in the workspace (never an export of what AWS holds, a plan Terraform wrote, or a SAM policy
 * template as expanded) and the principal's alone: a policy also attached to other principals,
 * or a group's, would grant them the key too.
 */
function editablePolicies(world: HandshakeWorld, account: string, principal: string): PolicyDocument[] {
  const docs = principalDocuments(world, account, principal).filter((d) => (!d.embedded || d.writeInString) && d.expandedFrom === undefined
    && d.source !== 'authorization-details' && d.source !== 'terraform-plan' && onlyFor(d, principal));
  // A policy document block takes a statement block wherever its statements come from.
  const ok = (d: PolicyDocument) => propValue(d.root, 'Statement')?.type === 'array' || (d.json.syntax === 'hcl' && isBlockNode(d.json.text, d.root));
  const rank = (d: PolicyDocument) => (d.source === 'file' ? 0 : d.embedded ? 2 : 1);
  return docs.filter(ok).sort((a, b) => rank(a) - rank(b));
}

function onlyFor(doc: PolicyDocument, principal: string): boolean {
  return !doc.owner.unnamedRoles?.length && !doc.owner.alsoAttached && (doc.owner.principals ?? []).every((p) => samePrincipal(principal, p));
}

function joinPath(root: string, rel: string): string {
  if (root === '') return rel;
  const sep = root.includes('\\') && !root.includes('/') ? '\\' : '/';
  return root + sep + (sep === '\\' ? rel.replace(/\//g, '\\') : rel);
}

/**
 * Where a new policy file for the principal goes: beside the files the manifest already
 * binds to it (a glob over one folder), or under `policies/<account>/<name>/` with a
 * manifest entry added.
 */
function newPolicyPlace(world: HandshakeWorld, keyDoc: PolicyDocument, principal: string, keyArn: string): { file: string; label: string; manifestEdit?: FileEdit } | undefined {
  const manifest = world.manifestFor(keyDoc.file);
  if (!manifest) return undefined;
  const keyId = (parseArn(keyArn)?.resource.split('/')[1] ?? 'key').slice(0, 8);
  const fileName = `kms-${keyId}.json`;
  // A file the manifest binds to another principal as well would grant that one the key too.
  const sharedPath = (rel: string) => world.principalsBoundTo(joinPath(manifest.root, rel)).some((p) => p !== principal);
  for (const glob of world.principalPolicyGlobs(principal) ?? []) {
    const parts = glob.split('/');
    const dir = parts.slice(0, -1);
    const last = parts[parts.length - 1];
    if (dir.some((s) => /[*?]/.test(s)) || !/^\*\.json$/.test(last)) continue;
    const rel = [...dir, fileName].join('/');
    if (sharedPath(rel)) continue;
    return { file: joinPath(manifest.root, rel), label: rel };
  }
  const arn = parseArn(principal)!;
  const name = arn.resource.split('/').pop() ?? 'principal';
  const rel = `policies/${world.accountName(arn.account, keyDoc.file) ?? arn.account}/${name}/${fileName}`.replace(/[^A-Za-z0-9/._-]/g, '-');
  if (sharedPath(rel)) return undefined;
  const text = world.text(manifest.path);
  if (text === undefined) return undefined;
  const root = parseJson(text).root;
  if (root?.type !== 'object') return undefined;
  const principals = prop(root, 'principals')?.value;
  const existing = principals?.type === 'array' ? principals.children?.find((c) => propValue(c, 'arn')?.value === principal) : undefined;
  const policies = existing ? propValue(existing, 'policies') : undefined;
  let edit;
  if (policies?.type === 'array') edit = appendItemEdit(text, policies, rel);
  else if (principals?.type === 'array') edit = appendItemEdit(text, principals, { arn: principal, policies: [rel] });
  else if (!principals) {
    const { into: _into, ...plain } = insertPropertyEdit(text, root, 'principals', [{ arn: principal, policies: [rel] }]);
    edit = plain;
  }
  if (!edit || relativePath(manifest.root, joinPath(manifest.root, rel)) === undefined) return undefined;
  return { file: joinPath(manifest.root, rel), label: rel, manifestEdit: { file: manifest.path, edits: [edit] } };
}
