/**
 * `aws iam get-account-authorization-details` exports: inline and managed identity
 * policies with the role/user/group ARNs that own them, and role trust policies.
 */
import type { JsonDocument, JsonNode, ParseLimits } from '../json/jsonDocument';
import { items, prop, propValue, stringValue } from '../json/nodes';
import type { PolicyKind, PolicyOwner } from '../model/policyDocument';
import { embeddedDocument, makeDocument, markBounded, type DiscoveredFile, type FileBinding } from './discoveredFile';
import { GroupMembers } from './groupMembers';

interface Holder { arn?: string; account?: string; label?: string }

function accountOf(arn: string | undefined): string | undefined {
  const m = arn ? /^arn:[^:]*:iam::(\d{12}):/.exec(arn) : null;
  return m ? m[1] : undefined;
}

export function readAuthorizationDetails(file: string, json: JsonDocument, binding: FileBinding | undefined, limits: ParseLimits, out: DiscoveredFile): void {
  const root = json.root!;
  // Managed policy ARN -> principals attaching it; group name -> member user ARNs.
  const attachments = new Map<string, string[]>();
  const groupMembers = new GroupMembers();
  const attach = (policyArn: string | undefined, principal: string | undefined) => {
    if (!policyArn || !principal) return;
    const list = attachments.get(policyArn) ?? [];
    list.push(principal);
    attachments.set(policyArn, list);
  };

  const add = (docNode: JsonNode | undefined, kind: PolicyKind, owner: PolicyOwner, extra: { isManagedPolicy?: boolean; isInlinePolicy?: boolean; policyArn?: string }) => {
    if (!docNode) return;
    if (docNode.type === 'object') {
      out.documents.push(makeDocument(file, json, docNode, 'authorization-details', kind, binding, owner, extra));
    } else if (docNode.type === 'string') {
      const raw = String(docNode.value);
      if (/^\s*%7B/i.test(raw)) {
        // URL-encoded document (older exports): ranges map to the whole string.
        let decoded: string;
        try { decoded = decodeURIComponent(raw.replace(/\+/g, ' ')); } catch { return; }
        const inner = embeddedDocument({ text: JSON.stringify(decoded), root: undefined, problems: [] }, { type: 'string', offset: 0, length: JSON.stringify(decoded).length } as JsonNode, limits);
        if (inner.json.root?.type === 'object') {
          // Offsets cannot be mapped through URL encoding: every range points at the string's start.
          const start = docNode.offset;
          out.documents.push(makeDocument(file, inner.json, inner.json.root, 'authorization-details', kind, binding, owner, {
            ...extra, embedded: true, toFileOffset: () => start,
          }));
        }
      } else {
        const inner = embeddedDocument(json, docNode, limits);
        out.embeddedProblems.push(inner);
        if (inner.json.root?.type === 'object') {
          out.documents.push(makeDocument(file, inner.json, inner.json.root, 'authorization-details', kind, binding, owner, {
            ...extra, embedded: true, toFileOffset: inner.toFileOffset,
          }));
        }
      }
    }
  };

  for (const user of items(propValue(root, 'UserDetailList'))) {
    const arn = stringValue(propValue(user, 'Arn'));
    for (const g of items(propValue(user, 'GroupList'))) {
      const name = stringValue(g);
      groupMembers.add(name, arn);
    }
  }

  const principalsOf = (h: Holder & { group?: string }) => [h.arn, ...(h.group ? groupMembers.of(h.group) : [])].filter((x): x is string => !!x);

  const lists: [string, string, string][] = [
    ['RoleDetailList', 'RolePolicyList', 'RoleName'],
    ['UserDetailList', 'UserPolicyList', 'UserName'],
    ['GroupDetailList', 'GroupPolicyList', 'GroupName'],
  ];
  // The export lists every role and user of the account, policies or not.
  const listed: NonNullable<DiscoveredFile['listed']> = {};
  if (propValue(root, 'RoleDetailList')?.type === 'array') listed.roles = [];
  if (propValue(root, 'UserDetailList')?.type === 'array') listed.users = [];
  out.listed = listed;
  for (const [listName, inlineName, nameField] of lists) {
    for (const entity of items(propValue(root, listName))) {
      if (entity.type !== 'object') continue;
      const arn = stringValue(propValue(entity, 'Arn'));
      if (arn && listName === 'RoleDetailList') listed.roles?.push(arn);
      if (arn && listName === 'UserDetailList') listed.users?.push(arn);
      if (listName !== 'GroupDetailList' && stringValue(propValue(propValue(entity, 'PermissionsBoundary'), 'PermissionsBoundaryArn'))) markBounded(out, arn);
      const name = stringValue(propValue(entity, nameField));
      const holder = { arn, account: accountOf(arn), label: name, group: listName === 'GroupDetailList' ? name : undefined };
      const owner: PolicyOwner = { principals: principalsOf(holder), account: holder.account, label: name };
      for (const inline of items(propValue(entity, inlineName))) {
        add(propValue(inline, 'PolicyDocument'), 'iam-identity-policy', { ...owner, label: `${name ?? '?'}/${stringValue(propValue(inline, 'PolicyName')) ?? 'inline'}` }, { isInlinePolicy: true });
      }
      for (const a of items(propValue(entity, 'AttachedManagedPolicies'))) {
        for (const p of principalsOf(holder)) attach(stringValue(propValue(a, 'PolicyArn')), p);
      }
      if (listName === 'RoleDetailList') {
        add(propValue(entity, 'AssumeRolePolicyDocument'), 'iam-trust-policy', { ...owner, label: `${name ?? '?'} trust policy` }, {});
      }
    }
  }

  for (const policy of items(propValue(root, 'Policies'))) {
    const arn = stringValue(propValue(policy, 'Arn'));
    const name = stringValue(propValue(policy, 'PolicyName'));
    const defaultId = stringValue(propValue(policy, 'DefaultVersionId'));
    const versions = items(propValue(policy, 'PolicyVersionList'));
    const current = versions.find((v) => propValue(v, 'IsDefaultVersion')?.value === true)
      ?? versions.find((v) => stringValue(propValue(v, 'VersionId')) === defaultId)
      ?? (versions.length === 1 ? versions[0] : undefined);
    if (!current) continue;
    const principals = (arn && attachments.get(arn)) || [];
    const accounts = new Set(principals.map(accountOf).filter(Boolean));
    add(prop(current, 'Document')?.value, 'iam-identity-policy', {
      principals,
      account: accountOf(arn) ?? (accounts.size === 1 ? [...accounts][0] : undefined),
      label: name,
    }, { isManagedPolicy: true, policyArn: arn });
  }
}
