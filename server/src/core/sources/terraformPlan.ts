/**
 * Terraform plan JSON (`terraform show -json plan.out`): the policies of the planned
 * resources, in `planned_values.root_module` and its child modules. Policy arguments are
 * JSON strings holding JSON; their documents are parsed again and findings point inside the
 * string, as for `get-key-policy` output.
 *
 * Resources read: `aws_kms_key`, `aws_kms_replica_key` (`policy`), `aws_kms_key_policy`
 * (`policy`, `key_id`), `aws_iam_role` (`assume_role_policy`, `inline_policy`),
 * `aws_iam_role_policy`, `aws_iam_user_policy`, `aws_iam_group_policy`, `aws_iam_policy` with
 * `aws_iam_role_policy_attachment`, `aws_iam_user_policy_attachment`,
 * `aws_iam_group_policy_attachment` and `aws_iam_policy_attachment`.
 *
 * Owners: ARNs in the planned values where they are known; otherwise built from names and the
 * account the manifest's `templates` entry gives the plan (`arn:aws:iam::ACCOUNT:role/PATH/NAME`).
 * Values unknown until apply are absent from `planned_values`: a policy that is not known yet is
 * not read, never reported. An identity policy known only after apply (`after_unknown` of its
 * resource change says so) is still a policy of its principals, whose text is not known: the
 * handshake reads it as one that may grant anything, never as one that grants nothing.
 */
import type { JsonDocument, JsonNode, ParseLimits } from '../json/jsonDocument';
import { items, propValue, stringValue } from '../json/nodes';
import { iamEntityArn, parseArn, ACCOUNT_ID } from '../model/arn';
import type { PolicyKind, PolicyOwner } from '../model/policyDocument';
import { embeddedDocument, makeDocument, markBounded, unknownPolicyRoot, type DiscoveredFile, type FileBinding } from './discoveredFile';
import { partitionOf } from '../model/templateValues';
import { GroupMembers } from './groupMembers';

interface PlannedResource {
  address: string;
  type: string;
  values: JsonNode;
}

/** Whether a JSON root is a Terraform plan or state in the JSON output format. */
export function isTerraformPlan(root: JsonNode): boolean {
  return propValue(root, 'planned_values')?.type === 'object' && (!!propValue(root, 'format_version') || !!propValue(root, 'terraform_version'));
}

/** Managed resources of a module and its child modules, depth-first, in file order. */
function plannedResources(module: JsonNode | undefined, out: PlannedResource[], depth = 0): PlannedResource[] {
  if (!module || module.type !== 'object' || depth > 64) return out;
  for (const r of items(propValue(module, 'resources'))) {
    if (stringValue(propValue(r, 'mode')) === 'data') continue;
    const type = stringValue(propValue(r, 'type'));
    const values = propValue(r, 'values');
    if (!type || values?.type !== 'object') continue;
    out.push({ address: stringValue(propValue(r, 'address')) ?? type, type, values });
  }
  for (const child of items(propValue(module, 'child_modules'))) plannedResources(child, out, depth + 1);
  return out;
}

const str = (values: JsonNode, name: string) => stringValue(propValue(values, name));

export function readTerraformPlan(file: string, json: JsonDocument, binding: FileBinding | undefined, limits: ParseLimits, out: DiscoveredFile): void {
  const resources = plannedResources(propValue(propValue(json.root!, 'planned_values'), 'root_module'), []);
  const bound = binding?.template?.account ?? binding?.owner?.account;
  const boundRegion = binding?.template?.region ?? binding?.owner?.region;
  const partition = binding?.template?.partition ?? (boundRegion ? partitionOf(boundRegion) : 'aws');
  // One account for the whole plan: the manifest's, else the one every ARN of the plan names.
  const arnAccounts = new Set<string>();
  for (const r of resources) {
    const a = parseArn(str(r.values, 'arn') ?? '')?.account;
    if (a && ACCOUNT_ID.test(a)) arnAccounts.add(a);
  }
  const account = bound && ACCOUNT_ID.test(bound) ? bound : arnAccounts.size === 1 ? [...arnAccounts][0] : undefined;

  const iamArn = (kind: 'role' | 'user' | 'group' | 'policy', name: string | undefined, path: string | undefined): string | undefined =>
    name && account ? iamEntityArn(partition, account, kind, name, path) : undefined;

  // Role, user, group and policy ARNs by name (and policy ARNs by address), for attachments.
  const roles = new Map<string, string>();
  const users = new Map<string, string>();
  const groups = new Map<string, string>();
  const policyArns = new Map<string, string>();
  const keysById = new Map<string, string>();
  for (const r of resources) {
    const name = str(r.values, 'name');
    const arn = str(r.values, 'arn');
    if (r.type === 'aws_iam_role' && name) { const a = arn ?? iamArn('role', name, str(r.values, 'path')); if (a) roles.set(name, a); }
    if (r.type === 'aws_iam_user' && name) { const a = arn ?? iamArn('user', name, str(r.values, 'path')); if (a) users.set(name, a); }
    if (r.type === 'aws_iam_group' && name) { const a = arn ?? iamArn('group', name, str(r.values, 'path')); if (a) groups.set(name, a); }
    if (r.type === 'aws_iam_policy') { const a = arn ?? iamArn('policy', name, str(r.values, 'path')); if (a) policyArns.set(r.address, a); }
    if ((r.type === 'aws_kms_key' || r.type === 'aws_kms_replica_key') && arn) {
      const id = str(r.values, 'key_id') ?? str(r.values, 'id');
      if (id) keysById.set(id, arn);
    }
  }
  const roleArn = (name: string | undefined) => (name ? roles.get(name) ?? iamArn('role', name, undefined) : undefined);
  const userArn = (name: string | undefined) => (name ? users.get(name) ?? iamArn('user', name, undefined) : undefined);
  const groupArn = (name: string | undefined) => (name ? groups.get(name) ?? iamArn('group', name, undefined) : undefined);

  // Managed policy ARN -> principals it is attached to.
  const attached = new Map<string, string[]>();
  const attach = (policyArn: string | undefined, principal: string | undefined) => {
    if (!policyArn || !principal) return;
    const list = attached.get(policyArn);
    if (list) list.push(principal);
    else attached.set(policyArn, [principal]);
  };
  // Group ARN -> its member users' ARNs, from the plan's memberships.
  const members = new GroupMembers();
  for (const r of resources) {
    const policyArn = str(r.values, 'policy_arn');
    switch (r.type) {
      case 'aws_iam_group_membership':
        for (const n of items(propValue(r.values, 'users'))) members.add(groupArn(str(r.values, 'group')), userArn(stringValue(n)));
        break;
      case 'aws_iam_user_group_membership':
        for (const n of items(propValue(r.values, 'groups'))) members.add(groupArn(stringValue(n)), userArn(str(r.values, 'user')));
        break;
      case 'aws_iam_role_policy_attachment': attach(policyArn, roleArn(str(r.values, 'role'))); break;
      case 'aws_iam_user_policy_attachment': attach(policyArn, userArn(str(r.values, 'user'))); break;
      case 'aws_iam_group_policy_attachment': attach(policyArn, groupArn(str(r.values, 'group'))); break;
      case 'aws_iam_policy_attachment':
        for (const n of items(propValue(r.values, 'roles'))) attach(policyArn, roleArn(stringValue(n)));
        for (const n of items(propValue(r.values, 'users'))) attach(policyArn, userArn(stringValue(n)));
        for (const n of items(propValue(r.values, 'groups'))) attach(policyArn, groupArn(stringValue(n)));
        break;
    }
  }

  // What is known only after apply, by resource address (`change.after_unknown`).
  const afterUnknown = new Map<string, JsonNode>();
  for (const c of items(propValue(json.root!, 'resource_changes'))) {
    const address = stringValue(propValue(c, 'address'));
    const unknown = propValue(propValue(c, 'change'), 'after_unknown');
    if (address && unknown?.type === 'object') afterUnknown.set(address, unknown);
  }
  type Extra = { isManagedPolicy?: boolean; isInlinePolicy?: boolean; policyArn?: string };
  const add = (node: JsonNode | undefined, kind: PolicyKind, owner: PolicyOwner, extra: Extra = {}, unknown?: JsonNode) => {
    // An identity policy known only after apply is a policy of its principals whose text is not known.
    if ((node === undefined || node.type === 'null') && unknown?.type === 'boolean' && unknown.value === true && kind === 'iam-identity-policy') {
      const root = unknownPolicyRoot(unknown.offset, unknown.length, 'known after apply');
      out.documents.push(makeDocument(file, json, root, 'terraform-plan', kind, undefined, owner, { ...extra, unknownContent: 'its policy is known only after apply' }));
      return;
    }
    if (node?.type !== 'string' || String(node.value).trim() === '') return;
    const inner = embeddedDocument(json, node, limits);
    out.embeddedProblems.push(inner);
    if (inner.json.root?.type !== 'object') return;
    out.documents.push(makeDocument(file, inner.json, inner.json.root, 'terraform-plan', kind, undefined, owner, { ...extra, embedded: true, toFileOffset: inner.toFileOffset }));
  };

  for (const r of resources) {
    const v = r.values;
    switch (r.type) {
      case 'aws_kms_key':
      case 'aws_kms_replica_key':
      case 'aws_kms_key_policy': {
        const keyId = str(v, 'key_id');
        const keyArn = str(v, 'arn') ?? (keyId?.startsWith('arn:') ? keyId : keyId ? keysById.get(keyId) : undefined);
        const parsed = keyArn ? parseArn(keyArn) : undefined;
        add(propValue(v, 'policy'), 'kms-key-policy', {
          keyArn,
          account: parsed?.account || account,
          region: parsed?.region || boundRegion,
          partition: parsed?.partition || partition,
          label: r.address,
        });
        break;
      }
      case 'aws_iam_user':
        // A permissions boundary: the handshake does not evaluate it.
        if (str(v, 'permissions_boundary')) markBounded(out, userArn(str(v, 'name')));
        break;
      case 'aws_iam_role': {
        const arn = roleArn(str(v, 'name'));
        if (str(v, 'permissions_boundary')) markBounded(out, arn);
        const owner = { principals: arn ? [arn] : [], account, label: r.address };
        add(propValue(v, 'assume_role_policy'), 'iam-trust-policy', { ...owner, label: `${r.address} trust policy` });
        const unknownInline = items(propValue(afterUnknown.get(r.address), 'inline_policy'));
        items(propValue(v, 'inline_policy')).forEach((inline, i) => {
          add(propValue(inline, 'policy'), 'iam-identity-policy', { ...owner, label: `${r.address}/${str(inline, 'name') ?? 'inline'}` }, { isInlinePolicy: true }, propValue(unknownInline[i], 'policy'));
        });
        break;
      }
      case 'aws_iam_role_policy':
      case 'aws_iam_user_policy':
      case 'aws_iam_group_policy': {
        const holder = r.type === 'aws_iam_role_policy' ? roleArn(str(v, 'role')) : r.type === 'aws_iam_user_policy' ? userArn(str(v, 'user')) : groupArn(str(v, 'group'));
        add(propValue(v, 'policy'), 'iam-identity-policy', { principals: members.with(holder ? [holder] : []), account, label: r.address }, { isInlinePolicy: true }, propValue(afterUnknown.get(r.address), 'policy'));
        break;
      }
      case 'aws_iam_policy': {
        const arn = policyArns.get(r.address);
        add(propValue(v, 'policy'), 'iam-identity-policy', { principals: members.with((arn && attached.get(arn)) || []), account, label: r.address }, { isManagedPolicy: true, policyArn: arn }, propValue(afterUnknown.get(r.address), 'policy'));
        break;
      }
    }
  }
}
