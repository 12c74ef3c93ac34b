/**
 * Terraform configuration files (`*.tf`): the policies of the resources they declare, read from
 * the HCL without running Terraform. Policies are read from `jsonencode({...})` expressions,
 * heredoc and quoted JSON strings, and `data "aws_iam_policy_document"` blocks referenced
 * through `.json`. Owners and accounts come from the manifest's `templates` binding (account,
 * region, `var.NAME` parameters) and the literal names of the module's roles, users, groups and
 * policies.
 *
 * Resources read: `aws_kms_key`, `aws_kms_replica_key`, `aws_kms_key_policy` (`policy`),
 * `aws_iam_role` (`assume_role_policy`, `inline_policy`), `aws_iam_role_policy`,
 * `aws_iam_user_policy`, `aws_iam_group_policy`, `aws_iam_policy` with
 * `aws_iam_role_policy_attachment`, `aws_iam_user_policy_attachment`,
 * `aws_iam_group_policy_attachment` and `aws_iam_policy_attachment`.
 *
 * Text that is not valid HCL yet gives findings only where they are certain: a policy whose
 * HCL holds a syntax error is not read, and says so once (`file-skipped`, at the first error in
 * it); errors outside policies are the Terraform extension's to report. An AWS policy variable
 * written `${aws:username}` (Terraform's escape is `$${aws:username}`) is read as that text, and
 * `policy-variable-syntax` reports it.
 */
import type { JsonDocument, ParseLimits } from '../json/jsonDocument';
import type { PolicyDocument, PolicyKind, PolicyOwner } from '../model/policyDocument';
import { grantedAction, type GrantDeclaration, type GrantValue, type KmsGrant } from '../model/kmsGrants';
import { partitionOf, terraformKeyRef, type TemplateContext } from '../model/templateValues';
import { attachBoundGrants, makeDocument, markBounded, mergeDocumentUse, unknownPolicyRoot, type DiscoveredFile, type FileBinding, type FileReference, type PolicyDocumentUse } from './discoveredFile';
import { named, parseHcl, type HclNode } from './hcl/hclSyntax';
import { variablesUsed } from './terraformVars';
import { core, evalString, iamArn, isUnknownValue, referenceParts, resolveReference, toJsonNode, type HclScope } from './hcl/hclValues';
import { attributesOf, blocksOf, policyDocumentNode, type HclAttribute, type HclBlock } from './hcl/policyDocumentBlock';
import { templateJson } from './hcl/templateJson';
import { parseableHclText, unescapedHclPolicyVariables } from './hcl/policyVariables';
import { GroupMembers } from './groupMembers';

type Extra = { isManagedPolicy?: boolean; isInlinePolicy?: boolean; policyArn?: string };

interface Use {
  kind: PolicyKind;
  owner: PolicyOwner;
  extra: Extra;
  /** For a key policy: the address of its key (`aws_kms_key.NAME`), which grants name. */
  key?: string;
}

export function readTerraformHcl(file: string, text: string, binding: FileBinding | undefined, limits: ParseLimits): DiscoveredFile {
  const json: JsonDocument = { text, root: undefined, problems: [], syntax: 'hcl' };
  const out: DiscoveredFile = { file, json, shape: 'terraform', documents: [], embeddedProblems: [] };
  const variables = unescapedHclPolicyVariables(text);
  const tree = parseHcl(parseableHclText(text, variables));
  const body = tree?.children.find((c) => c.type === 'body');
  if (!body) return out;

  const template = binding?.template ?? (binding?.owner?.account ? { account: binding.owner.account, region: binding.owner.region } : undefined);
  const region = template?.region;
  const scope: HclScope = {
    text,
    template,
    variables: new Map(),
    locals: new Map(),
    resources: new Map(),
    partition: template?.partition ?? (region ? partitionOf(region) : 'aws'),
    ...(binding?.moduleVariables ? { moduleVariables: binding.moduleVariables } : {}),
  };
  /** Literal defaults of the file's `variable` blocks: what it gives the other files of its module. */
  const defaults: Record<string, string> = {};
  const literal: HclScope = { text, template: undefined, variables: new Map(), locals: new Map(), resources: new Map(), partition: 'aws' };
  const resources: HclBlock[] = [];
  /** The resources' arguments, read once. */
  const resourceArgs = new Map<HclBlock, Map<string, HclAttribute>>();
  const policyDocs = new Map<string, HclBlock>();
  for (const b of blocksOf(body, text)) {
    if (b.type === 'variable' && b.labels[0]) {
      const d = attributesOf(b.body, text).get('default');
      if (d) {
        scope.variables.set(b.labels[0], d.value);
        const v = evalString(d.value, literal);
        if (v !== undefined && b.labels[0] !== '__proto__') defaults[b.labels[0]] = v;
      }
    } else if (b.type === 'locals') {
      for (const [name, a] of attributesOf(b.body, text)) scope.locals.set(name, a.value);
    } else if (b.type === 'resource' && b.labels.length >= 2) {
      resources.push(b);
      const attributes = attributesOf(b.body, text);
      resourceArgs.set(b, attributes);
      const args = new Map<string, HclNode>();
      for (const [name, a] of attributes) args.set(name, a.value);
      scope.resources.set(`${b.labels[0]}.${b.labels[1]}`, args);
    } else if (b.type === 'data' && b.labels[0] === 'aws_iam_policy_document' && b.labels[1]) {
      policyDocs.set(b.labels[1], b);
    }
  }

  const account = template?.account;
  const docUses = new Map<string, Use>();
  const usedElsewhere: Record<string, PolicyDocumentUse> = {};
  /** Key policies by the address of their key (`aws_kms_key.NAME`): the grants on that key are theirs. */
  const keyPolicies = new Map<string, PolicyDocument[]>();
  let keyAddress: string | undefined;
  const push = (doc: PolicyDocument, key: string | undefined) => {
    if (variables.length) doc.hclPolicyVariables = variables;
    out.documents.push(doc);
    if (key) keyPolicies.set(key, [...(keyPolicies.get(key) ?? []), doc]);
  };
  /**
   * A policy whose HCL does not parse: one finding at the first error in it (the engine says
   * one thing a place: a local two resources use is one finding).
   */
  const unread = (n: HclNode, label: string | undefined) => {
    const error = firstError(n);
    // The error's first line; a missing token (no width) is shown on the character it is missing before.
    const line = text.indexOf('\n', error.start);
    let end = line > error.start && line < error.end ? line : error.end;
    if (end === error.start && end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    json.problems.push({ offset: error.start, length: end - error.start, kind: 'unread',
      message: `This policy is not checked: its HCL does not parse here. Fix the syntax, and ${label ?? 'the policy'} is checked.` });
  };
  /**
   * Reads a policy argument; false when its value is not one the reader can read (a variable,
   * another resource's attribute, a function other than jsonencode, file and templatefile, a
   * template with directives): a policy whose text is not known here.
   */
  const read = (value: HclNode | undefined, kind: PolicyKind, owner: PolicyOwner, extra: Extra, depth: number): boolean => {
    if (!value || depth > 8) return false;
    const parts = referenceParts(value, text);
    if (parts) {
      if (parts[0] === 'data' && parts[1] === 'aws_iam_policy_document' && parts[2] && parts[3] === 'json' && policyDocs.has(parts[2])) {
        // A block several resources use is the policy of each of their principals.
        const use: Use = { kind, owner, extra, key: keyAddress };
        const before = docUses.get(parts[2]);
        docUses.set(parts[2], before ? mergeDocumentUse(before, use) : use);
        return true;
      }
      if (parts[0] === 'data' && parts[1] === 'aws_iam_policy_document' && parts[2] && parts[3] === 'json') {
        // A block of another file of the module: that file reads it with this owner (with those of its other uses).
        const use: PolicyDocumentUse = { kind, owner, extra };
        usedElsewhere[parts[2]] = parts[2] in usedElsewhere ? mergeDocumentUse(usedElsewhere[parts[2]], use) : use;
        return true;
      }
      if (parts[0] === 'local' && parts[1] && parts.length === 2) return read(scope.locals.get(parts[1]), kind, owner, extra, depth + 1);
      return false;
    }
    const n = core(value);
    // Not valid HCL yet: read once it is.
    if (!n || n.broken) {
      unread(n ?? value, owner.label);
      return true;
    }
    if (n.type === 'function_call') {
      const [fn, args] = named(n);
      const fnName = fn?.type === 'identifier' ? text.slice(fn.start, fn.end) : '';
      if (fnName === 'file' || fnName === 'templatefile') {
        const ref = fileReference(file, fnName, named(args).filter((x) => x.type === 'expression'), scope, kind, owner, template);
        if (ref) (out.fileReferences ??= []).push(ref);
        return !!ref;
      }
      if (fnName !== 'jsonencode') return false;
      const arg = named(args).find((a) => a.type === 'expression');
      const root = arg && toJsonNode(arg, scope);
      // `jsonencode(var.policy)`: an object not known here.
      if (root?.type !== 'object' || isUnknownValue(root)) return false;
      const doc: JsonDocument = { text, root, problems: [], syntax: 'hcl' };
      push(makeDocument(file, doc, root, 'terraform', kind, binding, owner, { ...extra, allowsIntrinsics: true }), keyAddress);
      return true;
    }
    if (n.type === 'heredoc_template' || n.type === 'quoted_template' || n.type === 'string_lit') {
      const t = templateJson(n, scope, limits);
      if (!t) return false;
      out.embeddedProblems.push({ json: t.json, toFileOffset: t.toFileOffset });
      if (t.json.root?.type !== 'object') return true;
      push(makeDocument(file, t.json, t.json.root, 'terraform', kind, binding, owner, { ...extra, allowsIntrinsics: true, embedded: !t.heredoc, hclString: t.heredoc ? 'heredoc' : 'quoted', toFileOffset: t.toFileOffset }), keyAddress);
      return true;
    }
    return false;
  };
  /**
   * A policy argument. An identity policy the reader cannot read is still a policy of its
   * principals, whose text is not known: the handshake reads it as one that may grant anything.
   */
  const add = (value: HclNode | undefined, kind: PolicyKind, owner: PolicyOwner, extra: Extra = {}) => {
    if (read(value, kind, owner, extra, 0) || !value || kind !== 'iam-identity-policy') return;
    const source = text.slice(value.start, value.end).replace(/\s+/g, ' ').trim();
    const shown = source.length > 60 ? `${source.slice(0, 60)}…` : source;
    const root = unknownPolicyRoot(value.start, value.end - value.start, source);
    const doc: JsonDocument = { text, root, problems: [], syntax: 'hcl' };
    push(makeDocument(file, doc, root, 'terraform', kind, binding, owner, { ...extra, allowsIntrinsics: true, unknownContent: `its policy is not known (${shown})` }), undefined);
  };

  /** The ARN of the role, user or group an argument names (by name, ARN or reference). */
  const holderArn = (kind: 'role' | 'user' | 'group', value: HclNode | undefined): string | undefined => {
    if (!value) return undefined;
    const parts = referenceParts(value, text);
    if (parts && parts[0] === `aws_iam_${kind}` && parts[1]) return resolveReference([parts[0], parts[1], 'arn'], scope);
    const v = evalString(value, scope);
    return v?.startsWith('arn:') ? v : iamArn(kind, v, undefined, scope);
  };
  const attrs = (b: HclBlock) => resourceArgs.get(b) ?? attributesOf(b.body, text);
  const val = (a: Map<string, HclAttribute>, name: string) => a.get(name)?.value;

  // Managed policy (by resource address or ARN) -> principals it is attached to.
  const attached = new Map<string, string[]>();
  const attach = (policy: HclNode | undefined, principal: string | undefined) => {
    if (!policy || !principal) return;
    const parts = referenceParts(policy, text);
    const key = parts && parts[0] === 'aws_iam_policy' && parts[1] ? `aws_iam_policy.${parts[1]}` : evalString(policy, scope);
    if (!key) return;
    const list = attached.get(key);
    if (list) list.push(principal);
    else attached.set(key, [principal]);
  };
  // Group ARN -> its member users' ARNs, from the file's memberships.
  const members = new GroupMembers();
  const listItems = (n: HclNode | undefined) => {
    const items = core(n);
    return items?.type === 'tuple' ? named(items) : [];
  };
  for (const r of resources) {
    const a = attrs(r);
    const policyArn = val(a, 'policy_arn');
    switch (r.labels[0]) {
      case 'aws_iam_group_membership': {
        const group = holderArn('group', val(a, 'group'));
        for (const u of listItems(val(a, 'users'))) members.add(group, holderArn('user', u));
        break;
      }
      case 'aws_iam_user_group_membership': {
        const user = holderArn('user', val(a, 'user'));
        for (const g of listItems(val(a, 'groups'))) members.add(holderArn('group', g), user);
        break;
      }
      case 'aws_iam_role_policy_attachment': attach(policyArn, holderArn('role', val(a, 'role'))); break;
      case 'aws_iam_user_policy_attachment': attach(policyArn, holderArn('user', val(a, 'user'))); break;
      case 'aws_iam_group_policy_attachment': attach(policyArn, holderArn('group', val(a, 'group'))); break;
      case 'aws_iam_policy_attachment':
        for (const [list, kind] of [['roles', 'role'], ['users', 'user'], ['groups', 'group']] as const) {
          const items = core(val(a, list));
          for (const item of items?.type === 'tuple' ? named(items) : []) attach(policyArn, holderArn(kind, item));
        }
        break;
    }
  }

  for (const r of resources) {
    const [type, name] = r.labels;
    const address = `${type}.${name}`;
    const a = attrs(r);
    switch (type) {
      case 'aws_kms_key':
      case 'aws_kms_replica_key':
      case 'aws_kms_key_policy':
        keyAddress = type === 'aws_kms_key_policy' ? keyResource(val(a, 'key_id'), text) : address;
        // Named by `aws_kms_key.NAME.arn` in policies of the module.
        add(val(a, 'policy'), 'kms-key-policy', { account, region, partition: scope.partition, label: address, ...(keyAddress ? { keyRefs: [terraformKeyRef(file, keyAddress)] } : {}) });
        keyAddress = undefined;
        break;
      case 'aws_iam_user': {
        const arn = resolveReference([type, name, 'arn'], scope);
        if (arn) declare(out, arn, 'user', r);
        // A permissions boundary (whatever its value): the handshake does not evaluate it.
        if (val(a, 'permissions_boundary')) markBounded(out, arn);
        break;
      }
      case 'aws_iam_role': {
        const arn = resolveReference([type, name, 'arn'], scope);
        if (arn) declare(out, arn, 'role', r);
        if (val(a, 'permissions_boundary')) markBounded(out, arn);
        const owner = { principals: arn ? [arn] : [], account, label: address };
        add(val(a, 'assume_role_policy'), 'iam-trust-policy', { ...owner, label: `${address} trust policy` });
        for (const inline of blocksOf(r.body, text, 'inline_policy')) {
          const ia = attrs(inline);
          const inlineName = evalString(val(ia, 'name'), scope) ?? 'inline';
          add(val(ia, 'policy'), 'iam-identity-policy', { ...owner, label: `${address}/${inlineName}` }, { isInlinePolicy: true });
        }
        break;
      }
      case 'aws_iam_role_policy':
      case 'aws_iam_user_policy':
      case 'aws_iam_group_policy': {
        const kind = type === 'aws_iam_role_policy' ? 'role' : type === 'aws_iam_user_policy' ? 'user' : 'group';
        const holder = holderArn(kind, val(a, kind));
        add(val(a, 'policy'), 'iam-identity-policy', { principals: members.with(holder ? [holder] : []), account, label: address }, { isInlinePolicy: true });
        break;
      }
      case 'aws_iam_policy': {
        const arn = resolveReference([type, name, 'arn'], scope);
        const principals = members.with([...(attached.get(address) ?? []), ...((arn && attached.get(arn)) || [])]);
        add(val(a, 'policy'), 'iam-identity-policy', { principals, account, label: address }, { isManagedPolicy: true, policyArn: arn });
        break;
      }
    }
  }

  // Every policy document block is a document: of the first resource that uses it, or by its content.
  // A block merged into a document a resource uses is checked there (unless a resource uses it too).
  const checkedElsewhere = new Set<string>();
  const roots = new Map<string, ReturnType<typeof policyDocumentNode>>();
  let current = '';
  const blocks = {
    get: (n: string) => policyDocs.get(n),
    merged: (n: string, depth: number) => { if (depth === 0 && docUses.has(current) && n !== current) checkedElsewhere.add(n); },
    budget: { left: 4 * policyDocs.size + 64 },
  };
  for (const [name, block] of policyDocs) {
    current = name;
    roots.set(name, policyDocumentNode(block, scope, blocks));
  }
  for (const [name, block] of policyDocs) {
    const root = roots.get(name);
    if (!root && block.node.broken) unread(block.node, `data.aws_iam_policy_document.${name}`);
    if (!root || (checkedElsewhere.has(name) && !docUses.has(name) && !binding?.documentUses?.[name])) continue;
    // Used here and by other files of the module: the policy of the principals of all of them.
    const here = docUses.get(name);
    const elsewhere = binding?.documentUses?.[name];
    const use = here && elsewhere ? mergeDocumentUse<PolicyDocumentUse>(here, elsewhere) : here ?? elsewhere;
    const doc: JsonDocument = { text, root, problems: [], syntax: 'hcl' };
    const owner: PolicyOwner = use?.owner ?? { account, region, label: `data.aws_iam_policy_document.${name}` };
    push(makeDocument(file, doc, root, 'terraform', use?.kind, binding, owner, { ...use?.extra, allowsIntrinsics: true }), docUses.get(name)?.key);
  }
  if (policyDocs.size || Object.keys(usedElsewhere).length) out.policyDocuments = { declared: [...policyDocs.keys()], used: usedElsewhere };

  // Grants on the keys of the file: each key policy of the key holds them. A grant on a key of
  // another file of the module (by address) or on a key ARN is that key's: the workspace gives it
  // to the file that declares the key or that the manifest binds to the ARN.
  const giveGrant = (key: string, grant: KmsGrant) => {
    for (const d of keyPolicies.get(key) ?? []) if (d.kind === 'kms-key-policy') (d.kmsGrants ??= []).push(grant);
  };
  const foreign: { key: string; grant: KmsGrant }[] = [];
  for (const r of resources) {
    if (r.labels[0] !== 'aws_kms_grant') continue;
    (out.grantDeclarations ??= []).push(grantDeclaration(r, attrs(r), text));
    const keyId = val(attrs(r), 'key_id');
    const key = keyResource(keyId, text) ?? keyArnOf(evalString(keyId, scope));
    if (!key) continue;
    const grant = readGrant(r, file, scope);
    if (keyPolicies.has(key)) giveGrant(key, grant);
    else foreign.push({ key, grant });
  }
  for (const [key, grants] of Object.entries(binding?.keyGrants ?? {})) for (const g of grants) giveGrant(key, g);
  // Grants of this file on a key ARN the manifest binds this file to.
  attachBoundGrants(out, arnGrants(foreign));
  if (keyPolicies.size || foreign.length) out.kmsGrants = { keys: [...keyPolicies.keys()], foreign };
  const used = variablesUsed(text);
  if (Object.keys(defaults).length || used.length) out.moduleVariables = { ...(Object.keys(defaults).length ? { defaults } : {}), ...(used.length ? { used } : {}) };
  return out;
}

/** Records a role or user the configuration declares, by its resource's address. */
function declare(out: DiscoveredFile, arn: string, kind: 'role' | 'user', r: HclBlock): void {
  (out.declaredPrincipals ??= []).push({ arn, kind, name: `${r.labels[0]}.${r.labels[1]}`, offset: r.node.start, length: r.node.end - r.node.start });
}

/** The first ERROR node, or missing token, in a node the parser marks broken. */
function firstError(n: HclNode): HclNode {
  let node = n;
  for (;;) {
    if (node.type === 'ERROR') return node;
    const child = node.children.find((c) => c.broken);
    if (!child) return node;
    node = child;
  }
}

/** A key ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`) as a grant's `key_id` gives it; an alias ARN or a bare key id names no key the workspace knows by ARN. */
function keyArnOf(value: string | undefined): string | undefined {
  return value && /^arn:[^:]+:kms:[^:]*:\d{12}:key\/[^*?]+$/.test(value) ? value : undefined;
}

/** The grants on key ARNs, by ARN. */
function arnGrants(list: { key: string; grant: KmsGrant }[]): Record<string, KmsGrant[]> | undefined {
  let out: Record<string, KmsGrant[]> | undefined;
  for (const { key, grant } of list) if (key.startsWith('arn:')) ((out ??= {})[key] ??= []).push(grant);
  return out;
}

/**
 * `file(PATH)` or `templatefile(PATH, VARS)` as a policy: the file at PATH (relative to the
 * `.tf` file's folder; `path.module` is that folder) is a policy of this kind and owner, with the
 * template's known variables as parameters.
 */
function fileReference(file: string, fn: 'file' | 'templatefile', args: HclNode[], scope: HclScope, kind: PolicyKind, owner: PolicyOwner, template: TemplateContext | undefined): FileReference | undefined {
  const rel = evalString(args[0], scope);
  const target = rel ? joinPath(file, rel) : undefined;
  if (!target || /\.tf$/i.test(target)) return undefined;
  const parameters: Record<string, string> = { ...template?.parameters };
  const vars = fn === 'templatefile' ? core(args[1]) : undefined;
  for (const elem of vars?.type === 'object' ? vars.children : []) {
    if (elem.type !== 'object_elem') continue;
    const [k, v] = named(elem);
    const kc = core(k);
    const name = kc?.type === 'variable_expr' ? scope.text.slice(kc.start, kc.end) : evalString(k, scope);
    const value = evalString(v, scope);
    if (name !== undefined && value !== undefined) parameters[name] = value;
  }
  const context: TemplateContext = { ...template, parameters };
  return { target, binding: { kind, owner, template: context, readBy: fn } };
}

/** A path relative to a file's folder, joined and normalized (`.` and `..` resolved) with the file's separator. */
export function joinPath(file: string, rel: string): string | undefined {
  const sep = file.includes('\\') && !file.includes('/') ? '\\' : '/';
  const absolute = /^([A-Za-z]:)?[\\/]/.test(rel);
  const base = absolute ? [] : file.split(/[\\/]/).slice(0, -1);
  for (const part of rel.split(/[\\/]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') { if (base.length <= 1) return undefined; base.pop(); } else base.push(part);
  }
  const joined = base.join(sep);
  return absolute && !/^[A-Za-z]:/.test(joined) ? `${sep}${joined}` : joined;
}

/** `aws_kms_key.NAME` (or a replica key's) when the expression refers to that key's id, key id or ARN. */
function keyResource(value: HclNode | undefined, text: string): string | undefined {
  const parts = value && referenceParts(value, text);
  if (!parts || parts.length !== 3 || (parts[0] !== 'aws_kms_key' && parts[0] !== 'aws_kms_replica_key')) return undefined;
  return ['id', 'key_id', 'arn'].includes(parts[2]) ? `${parts[0]}.${parts[1]}` : undefined;
}

/** A principal argument: a literal ARN, or a role or user of the module by reference. */
function principalArn(value: HclNode | undefined, scope: HclScope): string | undefined {
  const v = evalString(value, scope);
  return v?.startsWith('arn:') ? v : undefined;
}

/** An `aws_kms_grant` resource: grantee, operations, constraint and retiring principal. */
function readGrant(r: HclBlock, file: string, scope: HclScope): KmsGrant {
  const a = attributesOf(r.body, scope.text);
  const operations = new Set<string>();
  const ops = core(a.get('operations')?.value);
  for (const item of ops?.type === 'tuple' ? named(ops) : []) {
    const op = grantedAction(evalString(item, scope) ?? '');
    if (op) operations.add(op);
  }
  let constraint: KmsGrant['constraint'];
  for (const c of blocksOf(r.body, scope.text, 'constraints')) {
    const ca = attributesOf(c.body, scope.text);
    for (const [attr, type] of [['encryption_context_equals', 'equals'], ['encryption_context_subset', 'subset']] as const) {
      const v = ca.get(attr)?.value;
      if (!v) continue;
      const node = toJsonNode(v, scope);
      let context: Record<string, string> | undefined;
      if (node?.type === 'object') {
        context = {};
        for (const p of node.children ?? []) {
          const [k, val] = p.children ?? [];
          if (typeof k?.value === 'string' && val?.type === 'string') context[k.value] = String(val.value);
          else { context = undefined; break; }
        }
      }
      constraint = { type, context };
    }
  }
  const grantee = principalArn(a.get('grantee_principal')?.value, scope);
  const retiring = principalArn(a.get('retiring_principal')?.value, scope);
  return {
    label: `aws_kms_grant.${r.labels[1]}`,
    file,
    span: { offset: r.node.start, length: r.node.end - r.node.start },
    ...(grantee ? { grantee } : {}),
    operations,
    ...(constraint ? { constraint } : {}),
    ...(retiring ? { retiring } : {}),
  };
}

/** What an `aws_kms_grant` writes as literal strings: its operations and its grantee and retiring principals. */
function grantDeclaration(r: HclBlock, a: Map<string, HclAttribute>, text: string): GrantDeclaration {
  const ops = core(a.get('operations')?.value);
  const operations: GrantValue[] = [];
  for (const item of ops?.type === 'tuple' && !ops.broken ? named(ops) : []) {
    const v = literalString(item, text);
    if (v) operations.push(v);
  }
  const principals: GrantDeclaration['principals'] = [];
  for (const argument of ['grantee_principal', 'retiring_principal'] as const) {
    const v = literalString(a.get(argument)?.value, text);
    if (v) principals.push({ ...v, argument });
  }
  return { label: `aws_kms_grant.${r.labels[1]}`, operations, principals };
}

/**
 * A quoted string without interpolations or escapes (its text is its value), with the span of
 * that text; undefined for anything else, and for an empty string.
 */
function literalString(value: HclNode | undefined, text: string): GrantValue | undefined {
  const n = core(value);
  if (!n || n.broken || (n.type !== 'string_lit' && n.type !== 'quoted_template')) return undefined;
  const parts = named(n);
  if (parts.length !== 3 || parts[1].type !== 'template_literal') return undefined;
  const raw = text.slice(parts[1].start, parts[1].end);
  if (raw.includes('\\') || raw.includes('$${') || raw.includes('%%{')) return undefined;
  return { value: raw, span: { offset: parts[1].start, length: raw.length } };
}
