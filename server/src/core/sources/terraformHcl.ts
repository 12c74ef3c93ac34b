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
 * HCL holds a syntax error is not read (the Terraform extension reports HCL syntax).
 */
import type { JsonDocument, ParseLimits } from '../json/jsonDocument';
import type { PolicyKind, PolicyOwner } from '../model/policyDocument';
import { partitionOf } from '../model/templateValues';
import { makeDocument, type DiscoveredFile, type FileBinding } from './discoveredFile';
import { named, parseHcl, type HclNode } from './hcl/hclSyntax';
import { core, evalString, iamArn, referenceParts, resolveReference, toJsonNode, type HclScope } from './hcl/hclValues';
import { attributesOf, blocksOf, policyDocumentNode, type HclAttribute, type HclBlock } from './hcl/policyDocumentBlock';
import { templateJson } from './hcl/templateJson';

type Extra = { isManagedPolicy?: boolean; isInlinePolicy?: boolean; policyArn?: string };

interface Use {
  kind: PolicyKind;
  owner: PolicyOwner;
  extra: Extra;
}

export function readTerraformHcl(file: string, text: string, binding: FileBinding | undefined, limits: ParseLimits): DiscoveredFile {
  const json: JsonDocument = { text, root: undefined, problems: [], syntax: 'hcl' };
  const out: DiscoveredFile = { file, json, shape: 'terraform', documents: [], embeddedProblems: [] };
  const tree = parseHcl(text);
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
  };
  const resources: HclBlock[] = [];
  const policyDocs = new Map<string, HclBlock>();
  for (const b of blocksOf(body, text)) {
    if (b.type === 'variable' && b.labels[0]) {
      const d = attributesOf(b.body, text).get('default');
      if (d) scope.variables.set(b.labels[0], d.value);
    } else if (b.type === 'locals') {
      for (const [name, a] of attributesOf(b.body, text)) scope.locals.set(name, a.value);
    } else if (b.type === 'resource' && b.labels.length >= 2) {
      resources.push(b);
      const args = new Map<string, HclNode>();
      for (const [name, a] of attributesOf(b.body, text)) args.set(name, a.value);
      scope.resources.set(`${b.labels[0]}.${b.labels[1]}`, args);
    } else if (b.type === 'data' && b.labels[0] === 'aws_iam_policy_document' && b.labels[1]) {
      policyDocs.set(b.labels[1], b);
    }
  }

  const account = template?.account;
  const docUses = new Map<string, Use>();
  const add = (value: HclNode | undefined, kind: PolicyKind, owner: PolicyOwner, extra: Extra = {}, depth = 0) => {
    if (!value || depth > 8) return;
    const parts = referenceParts(value, text);
    if (parts) {
      if (parts[0] === 'data' && parts[1] === 'aws_iam_policy_document' && parts[2] && parts[3] === 'json' && policyDocs.has(parts[2])) {
        if (!docUses.has(parts[2])) docUses.set(parts[2], { kind, owner, extra });
      } else if (parts[0] === 'local' && parts[1] && parts.length === 2) {
        add(scope.locals.get(parts[1]), kind, owner, extra, depth + 1);
      }
      return;
    }
    const n = core(value);
    if (!n || n.broken) return;
    if (n.type === 'function_call') {
      const [fn, args] = named(n);
      if (fn?.type !== 'identifier' || text.slice(fn.start, fn.end) !== 'jsonencode') return;
      const arg = named(args).find((a) => a.type === 'expression');
      const root = arg && toJsonNode(arg, scope);
      if (root?.type !== 'object') return;
      const doc: JsonDocument = { text, root, problems: [], syntax: 'hcl' };
      out.documents.push(makeDocument(file, doc, root, 'terraform', kind, binding, owner, { ...extra, allowsIntrinsics: true }));
      return;
    }
    if (n.type === 'heredoc_template' || n.type === 'quoted_template' || n.type === 'string_lit') {
      const t = templateJson(n, scope, limits);
      if (!t) return;
      out.embeddedProblems.push({ json: t.json, toFileOffset: t.toFileOffset });
      if (t.json.root?.type !== 'object') return;
      out.documents.push(
        makeDocument(file, t.json, t.json.root, 'terraform', kind, binding, owner, { ...extra, allowsIntrinsics: true, embedded: !t.heredoc, toFileOffset: t.toFileOffset }),
      );
    }
  };

  /** The ARN of the role, user or group an argument names (by name, ARN or reference). */
  const holderArn = (kind: 'role' | 'user' | 'group', value: HclNode | undefined): string | undefined => {
    if (!value) return undefined;
    const parts = referenceParts(value, text);
    if (parts && parts[0] === `aws_iam_${kind}` && parts[1]) return resolveReference([parts[0], parts[1], 'arn'], scope);
    const v = evalString(value, scope);
    return v?.startsWith('arn:') ? v : iamArn(kind, v, undefined, scope);
  };
  const attrs = (b: HclBlock) => attributesOf(b.body, text);
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
  for (const r of resources) {
    const a = attrs(r);
    const policyArn = val(a, 'policy_arn');
    switch (r.labels[0]) {
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
        add(val(a, 'policy'), 'kms-key-policy', { account, region, partition: scope.partition, label: address });
        break;
      case 'aws_iam_role': {
        const arn = resolveReference([type, name, 'arn'], scope);
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
        add(val(a, 'policy'), 'iam-identity-policy', { principals: holder ? [holder] : [], account, label: address }, { isInlinePolicy: true });
        break;
      }
      case 'aws_iam_policy': {
        const arn = resolveReference([type, name, 'arn'], scope);
        const principals = [...(attached.get(address) ?? []), ...((arn && attached.get(arn)) || [])];
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
  for (const [name] of policyDocs) {
    const root = roots.get(name);
    if (!root || (checkedElsewhere.has(name) && !docUses.has(name))) continue;
    const use = docUses.get(name);
    const doc: JsonDocument = { text, root, problems: [], syntax: 'hcl' };
    const owner: PolicyOwner = use?.owner ?? { account, region, label: `data.aws_iam_policy_document.${name}` };
    out.documents.push(makeDocument(file, doc, root, 'terraform', use?.kind, binding, owner, { ...use?.extra, allowsIntrinsics: true }));
  }
  return out;
}

