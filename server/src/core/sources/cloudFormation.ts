/**
 * CloudFormation templates: key policies of AWS::KMS::Key / ReplicaKey, identity policies of
 * AWS::IAM::Role / User / Group / Policy / ManagedPolicy (a group's with its members), role
 * trust policies. Intrinsic functions are resolved where the manifest gives values, else they
 * are unknown values.
 */
import type { JsonDocument, JsonNode, ParseLimits } from '../json/jsonDocument';
import { items, properties, prop, propValue, stringValue, type PropertyEntry } from '../json/nodes';
import { isIntrinsic, type PolicyOwner, type TemplatePrincipal } from '../model/policyDocument';
import { exportRef, getAttArn, partitionOf, resolveString, type TemplateContext } from '../model/templateValues';
import { makeDocument, templateStringDocument, type DiscoveredFile, type FileBinding } from './discoveredFile';
import { expandSamPolicyTemplate } from './samPolicyTemplates';
import { GroupMembers } from './groupMembers';

/** The references to a key or role of a template: in its own file, and the exports of its ARN. */
function resourceRefs(file: string, root: JsonNode | undefined, logical: string, ctx: TemplateContext | undefined): string[] {
  const out = [`${file}#${logical}`];
  const oList = properties(propValue(root, 'Outputs'));
  for (let i = 0; i < oList.length; i++) {
    const o = oList[i];
    if (getAttArn(propValue(o.value, 'Value')) !== logical) continue;
    const name = resolveString(propValue(propValue(o.value, 'Export'), 'Name'), ctx);
    if (name !== undefined) out.push(exportRef(name, ctx));
  }
  return out;
}

/**
 * A policy property written as JSON text: the string, and whether it is an `Fn::Sub` template
 * (with the variable map of `!Sub ['{…}', {Var: …}]`, when given).
 */
function policyText(node: JsonNode): { text: JsonNode; sub?: { vars?: JsonNode } } | undefined {
  if (node.type === 'string') return { text: node };
  if (node.type !== 'object' || node.children?.length !== 1) return undefined;
  const sub = propValue(node, 'Fn::Sub');
  const text = sub?.type === 'array' ? sub.children?.[0] : sub;
  const vars = sub?.type === 'array' ? sub.children?.[1] : undefined;
  return text?.type === 'string' ? { text, sub: { vars: vars?.type === 'object' ? vars : undefined } } : undefined;
}

export function readCloudFormation(file: string, json: JsonDocument, binding: FileBinding | undefined, limits: ParseLimits, out: DiscoveredFile): void {
  const ctx = binding?.template;
  const resources = propValue(json.root, 'Resources');
  const partition = ctx?.partition ?? (ctx?.region ? partitionOf(ctx.region) : 'aws');
  const roleArn = (logicalId: string): string | undefined => {
    const role = propValue(resources, logicalId);
    if (stringValue(propValue(role, 'Type')) !== 'AWS::IAM::Role') return undefined;
    const props = propValue(role, 'Properties');
    const name = resolveString(propValue(props, 'RoleName'), ctx);
    const path = resolveString(propValue(props, 'Path'), ctx) ?? '/';
    return name && ctx?.account ? `arn:${partition}:iam::${ctx.account}:role${path}${name}` : undefined;
  };
  /** A role of the template whose name is generated: its logical id, and its CDK construct path when given. */
  const unnamedRole = (logicalId: string): string | undefined => {
    const role = propValue(resources, logicalId);
    if (stringValue(propValue(role, 'Type')) !== 'AWS::IAM::Role' || propValue(propValue(role, 'Properties'), 'RoleName')) return undefined;
    const path = stringValue(propValue(propValue(role, 'Metadata'), 'aws:cdk:path'))?.replace(/\/Resource$/, '');
    return path ? `${logicalId} (${path})` : logicalId;
  };
  /** The references to the template's roles (see `PolicyOwner.roleRefs`): `roleRefs` of a policy attached to them. */
  const refsOfRoles = (logicalIds: string[]): { roleRefs?: string[] } =>
    (logicalIds.length ? { roleRefs: logicalIds.flatMap((id) => resourceRefs(file, json.root, id, ctx)) } : {});
  let principalsOfTemplate: Record<string, TemplatePrincipal> | undefined;
  /** The template's roles and users by logical id (see `PolicyOwner.templatePrincipals`), read once for its key policies. */
  const templatePrincipals = (): Record<string, TemplatePrincipal> => {
    if (principalsOfTemplate) return principalsOfTemplate;
    const out: Record<string, TemplatePrincipal> = {};
    for (const e of properties(resources)) {
      const type = stringValue(propValue(e.value, 'Type'));
      if (type === 'AWS::IAM::Role') {
        const arn = roleArn(e.name);
        out[e.name] = arn ? { kind: 'role', label: e.name, arn } : { kind: 'role', label: unnamedRole(e.name) ?? e.name };
      } else if ((type === 'AWS::Serverless::Function' || type === 'AWS::Serverless::StateMachine') && !propValue(propValue(e.value, 'Properties'), 'Role')) {
        // The role SAM creates for it, named after it (see the SAM case below).
        out[`${e.name}Role`] ??= { kind: 'role', label: `${e.name}Role` };
      } else if (type === 'AWS::IAM::User') {
        const arn = entityArn('user', resolveString(propValue(propValue(e.value, 'Properties'), 'UserName'), ctx));
        out[e.name] = arn ? { kind: 'user', label: e.name, arn } : { kind: 'user', label: e.name };
      }
    }
    return (principalsOfTemplate = out);
  };
  /**
   * The name a user or group reference stands for: `Ref` of the template's user or group (its
   * `UserName`/`GroupName`; undefined when generated), else the value itself.
   */
  const entityName = (ref: JsonNode | undefined, type: 'AWS::IAM::User' | 'AWS::IAM::Group'): string | undefined => {
    const logical = stringValue(propValue(ref, 'Ref'));
    if (logical !== undefined && propValue(resources, logical)) {
      const e = propValue(resources, logical);
      if (stringValue(propValue(e, 'Type')) !== type) return undefined;
      return resolveString(propValue(propValue(e, 'Properties'), type === 'AWS::IAM::User' ? 'UserName' : 'GroupName'), ctx);
    }
    return resolveString(ref, ctx);
  };
  // The template's named users and groups (`user/NAME` → ARN, with its path), and the groups'
  // members: a user's `Groups`, and `AWS::IAM::UserToGroupAddition`.
  const declared = new Map<string, string>();
  const members = new GroupMembers();
  /** The ARN of a user or group by name: with its path when the template declares it, else `/`. */
  const entityArn = (kind: 'user' | 'group', name: string | undefined): string | undefined =>
    (name && ctx?.account ? declared.get(`${kind}/${name}`) ?? `arn:${partition}:iam::${ctx.account}:${kind}/${name}` : undefined);
  for (const e of properties(resources)) {
    const type = stringValue(propValue(e.value, 'Type'));
    if (type !== 'AWS::IAM::User' && type !== 'AWS::IAM::Group') continue;
    const props = propValue(e.value, 'Properties');
    const kind = type === 'AWS::IAM::User' ? 'user' : 'group';
    const name = resolveString(propValue(props, kind === 'user' ? 'UserName' : 'GroupName'), ctx);
    if (name && ctx?.account) declared.set(`${kind}/${name}`, `arn:${partition}:iam::${ctx.account}:${kind}${resolveString(propValue(props, 'Path'), ctx) ?? '/'}${name}`);
  }
  for (const e of properties(resources)) {
    const type = stringValue(propValue(e.value, 'Type'));
    const props = propValue(e.value, 'Properties');
    if (type === 'AWS::IAM::User') {
      const user = entityArn('user', resolveString(propValue(props, 'UserName'), ctx));
      for (const g of items(propValue(props, 'Groups'))) members.add(entityName(g, 'AWS::IAM::Group'), user);
    } else if (type === 'AWS::IAM::UserToGroupAddition') {
      const group = entityName(propValue(props, 'GroupName'), 'AWS::IAM::Group');
      for (const u of items(propValue(props, 'Users'))) members.add(group, entityArn('user', entityName(u, 'AWS::IAM::User')));
    }
  }
  // `ManagedPolicyArns: [!Ref P]` of a role, user or group attaches the template's managed
  // policy P to it, as P's own `Roles`, `Users` and `Groups` do; inside an `Fn::If` only when
  // its condition holds (may be attached).
  const attachedBy = new Map<string, { logical: string; type: string; maybe: boolean }[]>();
  for (const e of properties(resources)) {
    const type = stringValue(propValue(e.value, 'Type'));
    if (type !== 'AWS::IAM::Role' && type !== 'AWS::IAM::User' && type !== 'AWS::IAM::Group') continue;
    const visit = (n: JsonNode | undefined, maybe: boolean, depth: number): void => {
      if (!n || depth > 8) return;
      if (n.type === 'array') {
        for (const c of n.children ?? []) visit(c, maybe, depth + 1);
        return;
      }
      if (!isIntrinsic(n)) return;
      const ref = stringValue(propValue(n, 'Ref'));
      if (ref !== undefined && stringValue(propValue(propValue(resources, ref), 'Type')) === 'AWS::IAM::ManagedPolicy') {
        const list = attachedBy.get(ref);
        const entry = { logical: e.name, type, maybe };
        if (list) list.push(entry);
        else attachedBy.set(ref, [entry]);
      }
      const branches = propValue(n, 'Fn::If');
      if (branches?.type === 'array') for (const c of (branches.children ?? []).slice(1, 3)) visit(c, true, depth + 1);
    };
    visit(propValue(propValue(e.value, 'Properties'), 'ManagedPolicyArns'), false, 0);
  }
  /** A group's ARN and its members' ARNs; undefined when its name is not known. */
  const groupPrincipals = (name: string | undefined): string[] | undefined => {
    const arn = entityArn('group', name);
    return arn ? [arn, ...members.of(name!)] : undefined;
  };
  const base: PolicyOwner = { account: ctx?.account, region: ctx?.region, partition };
  const rs = properties(resources);
  for (let j = 0; j < rs.length; j++) {
    const r = rs[j];
    const type = stringValue(propValue(r.value, 'Type'));
    const props = propValue(r.value, 'Properties');
    if (!type || !props) continue;
    const add = (node: JsonNode | undefined, kind: 'kms-key-policy' | 'iam-identity-policy' | 'iam-trust-policy', owner: PolicyOwner, extra = {}) => {
      // A policy property is a policy even when it lacks Statement: the schema check says so.
      if (node?.type === 'object' && !isIntrinsic(node)) {
        out.documents.push(makeDocument(file, json, node, 'cloudformation', kind, binding, owner, extra));
        return;
      }
      // A Json-typed property may be given as JSON text (`PolicyDocument: !Sub '{…}'`).
      const written = node && policyText(node);
      const inner = written && templateStringDocument(json, written.text, limits, written.sub);
      if (!inner) return;
      out.embeddedProblems.push(inner);
      if (inner.json.root?.type !== 'object') return;
      out.documents.push(makeDocument(file, inner.json, inner.json.root, 'cloudformation', kind, binding, owner, {
        ...extra, embedded: true, toFileOffset: inner.toFileOffset, writeInString: inner.writeInString,
      }));
    };
    switch (type) {
      case 'AWS::KMS::Key':
      case 'AWS::KMS::ReplicaKey':
        add(propValue(props, 'KeyPolicy'), 'kms-key-policy', { ...base, label: r.name, keyRefs: resourceRefs(file, json.root, r.name, ctx), templatePrincipals: templatePrincipals() });
        break;
      case 'AWS::IAM::Role': {
        const arn = roleArn(r.name);
        if (arn) declare(out, arn, 'role', r);
        const unnamed = arn ? undefined : unnamedRole(r.name);
        const owner = { ...base, principals: arn ? [arn] : [], label: r.name, ...(unnamed ? { unnamedRoles: [unnamed] } : {}), ...refsOfRoles([r.name]) };
        add(propValue(props, 'AssumeRolePolicyDocument'), 'iam-trust-policy', owner);
        const ps = items(propValue(props, 'Policies'));
        for (let i = 0; i < ps.length; i++) {
          const p = ps[i];
          add(propValue(p, 'PolicyDocument'), 'iam-identity-policy', owner, { isInlinePolicy: true });
        }
        break;
      }
      case 'AWS::IAM::User':
      case 'AWS::IAM::Group': {
        const kind = type === 'AWS::IAM::User' ? 'user' : 'group';
        const name = resolveString(propValue(props, kind === 'user' ? 'UserName' : 'GroupName'), ctx);
        const user = kind === 'user' ? entityArn('user', name) : undefined;
        if (user) declare(out, user, 'user', r);
        const principals = kind === 'user' ? (user ? [user] : []) : groupPrincipals(name) ?? [];
        const ps = items(propValue(props, 'Policies'));
        for (let i = 0; i < ps.length; i++) add(propValue(ps[i], 'PolicyDocument'), 'iam-identity-policy', { ...base, principals, label: r.name }, { isInlinePolicy: true });
        break;
      }
      case 'AWS::Serverless::Function':
      case 'AWS::Serverless::StateMachine': {
        // SAM: `Policies` are ignored when `Role` is set; otherwise each inline document (a
        // map with Statement) is a policy of the role SAM creates, whose name is not known,
        // and so is each SAM policy template that grants KMS actions, as SAM expands it.
        // Managed policy names (strings) and other policy templates grant no KMS action we know of.
        if (propValue(props, 'Role')) break;
        // SAM names the role's logical id after the function; CloudFormation generates its name.
        const owner = { ...base, principals: [], label: `${r.name}Role`, unnamedRoles: [`${r.name}Role`], ...refsOfRoles([`${r.name}Role`]) };
        const ps2 = items(propValue(props, 'Policies'));
        for (let i = 0; i < ps2.length; i++) {
          const p = ps2[i];
          if (p.type !== 'object') continue;
          if (prop(p, 'Statement')) { add(p, 'iam-identity-policy', owner, { isInlinePolicy: true }); continue; }
          const expanded = expandSamPolicyTemplate(p);
          if (expanded) add(expanded.root, 'iam-identity-policy', owner, { isInlinePolicy: true, expandedFrom: `the SAM policy template ${expanded.name}` });
        }
        break;
      }
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
      case 'AWS::IAM::RolePolicy': {
        const principals: string[] = [];
        const unnamedRoles: string[] = [];
        // The template's roles it is attached to, by logical id.
        const ownRoles: string[] = [];
        const roleRefs = [...items(propValue(props, 'Roles')), ...(propValue(props, 'RoleName') ? [propValue(props, 'RoleName')!] : [])];
        for (let i = 0; i < roleRefs.length; i++) {
          const ref = roleRefs[i];
          const logical = stringValue(propValue(ref, 'Ref'));
          const arn = logical ? roleArn(logical) : undefined;
          const name = logical ? undefined : resolveString(ref, ctx);
          const unnamed = logical && !arn ? unnamedRole(logical) : undefined;
          if (logical && (arn || unnamed)) ownRoles.push(logical);
          if (arn) principals.push(arn);
          else if (name && ctx?.account) principals.push(`arn:${partition}:iam::${ctx.account}:role/${name}`);
          else if (unnamed) unnamedRoles.push(unnamed);
        }
        // Its users and groups (a group's members with it); one whose name is not known makes the policy not only its roles'.
        let alsoAttached = false;
        // Those that name it in their ManagedPolicyArns; attached only under a condition, unless also attached outright.
        const certain = new Set(principals);
        const maybe = new Set<string>();
        const attach = (list: string[], when: boolean) => {
          for (const a of list) {
            if (!principals.includes(a)) principals.push(a);
            if (when) maybe.add(a);
            else certain.add(a);
          }
        };
        for (const a of type === 'AWS::IAM::ManagedPolicy' ? attachedBy.get(r.name) ?? [] : []) {
          const props2 = propValue(propValue(resources, a.logical), 'Properties');
          if (a.type === 'AWS::IAM::Role') {
            const arn = roleArn(a.logical);
            const unnamed = arn ? undefined : unnamedRole(a.logical);
            if (!a.maybe && (arn || unnamed)) ownRoles.push(a.logical);
            if (arn) attach([arn], a.maybe);
            else if (unnamed && !unnamedRoles.includes(unnamed)) unnamedRoles.push(unnamed);
            continue;
          }
          const list = a.type === 'AWS::IAM::User'
            ? (((u) => (u ? [u] : undefined))(entityArn('user', resolveString(propValue(props2, 'UserName'), ctx))))
            : groupPrincipals(resolveString(propValue(props2, 'GroupName'), ctx));
          if (list) attach(list, a.maybe);
          else alsoAttached = true;
        }
        const maybePrincipals = [...maybe].filter((a) => !certain.has(a));
        for (const u of items(propValue(props, 'Users'))) {
          const arn = entityArn('user', entityName(u, 'AWS::IAM::User'));
          if (arn) principals.push(arn);
          else alsoAttached = true;
        }
        for (const g of items(propValue(props, 'Groups'))) {
          const list = groupPrincipals(entityName(g, 'AWS::IAM::Group'));
          if (list) principals.push(...list);
          else alsoAttached = true;
        }
        add(propValue(props, 'PolicyDocument'), 'iam-identity-policy', { ...base, principals, label: r.name, ...(unnamedRoles.length ? { unnamedRoles } : {}), ...refsOfRoles(ownRoles), ...(alsoAttached ? { alsoAttached } : {}), ...(maybePrincipals.length ? { maybePrincipals } : {}) },
          type === 'AWS::IAM::ManagedPolicy' ? { isManagedPolicy: true } : { isInlinePolicy: true });
        break;
      }
    }
  }
}

/** Records a role or user the template declares; a resource with CDK metadata is generated. */
function declare(out: DiscoveredFile, arn: string, kind: 'role' | 'user', r: PropertyEntry): void {
  const generated = propValue(propValue(r.value, 'Metadata'), 'aws:cdk:path') !== undefined;
  (out.declaredPrincipals ??= []).push({ arn, kind, name: r.name, offset: r.property.offset, length: r.property.length, ...(generated ? { generated } : {}) });
}
