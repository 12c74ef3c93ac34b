/**
 * CloudFormation JSON templates: key policies of AWS::KMS::Key / ReplicaKey, identity
 * policies of AWS::IAM::Role / Policy / ManagedPolicy, role trust policies. Intrinsic
 * functions are resolved where the manifest gives values, else they are unknown values.
 */
import type { JsonDocument, JsonNode } from '../json/jsonDocument';
import { items, properties, prop, propValue, stringValue } from '../json/nodes';
import { isIntrinsic, type PolicyOwner } from '../model/policyDocument';
import { exportRef, getAttArn, partitionOf, resolveString, type TemplateContext } from '../model/templateValues';
import { makeDocument, type DiscoveredFile, type FileBinding } from './discoveredFile';
import { expandSamPolicyTemplate } from './samPolicyTemplates';

/** The references to a key of a template: in its own file, and the exports of its ARN. */
function keyRefs(file: string, root: JsonNode | undefined, logical: string, ctx: TemplateContext | undefined): string[] {
  const out = [`${file}#${logical}`];
  for (const o of properties(propValue(root, 'Outputs'))) {
    if (getAttArn(propValue(o.value, 'Value')) !== logical) continue;
    const name = resolveString(propValue(propValue(o.value, 'Export'), 'Name'), ctx);
    if (name !== undefined) out.push(exportRef(name, ctx));
  }
  return out;
}

export function readCloudFormation(file: string, json: JsonDocument, binding: FileBinding | undefined, out: DiscoveredFile): void {
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
  const base: PolicyOwner = { account: ctx?.account, region: ctx?.region, partition };
  for (const r of properties(resources)) {
    const type = stringValue(propValue(r.value, 'Type'));
    const props = propValue(r.value, 'Properties');
    if (!type || !props) continue;
    const add = (node: JsonNode | undefined, kind: 'kms-key-policy' | 'iam-identity-policy' | 'iam-trust-policy', owner: PolicyOwner, extra = {}) => {
      // A policy property is a policy even when it lacks Statement: the schema check says so.
      if (node?.type === 'object' && !isIntrinsic(node)) {
        out.documents.push(makeDocument(file, json, node, 'cloudformation', kind, binding, owner, extra));
      }
    };
    switch (type) {
      case 'AWS::KMS::Key':
      case 'AWS::KMS::ReplicaKey':
        add(propValue(props, 'KeyPolicy'), 'kms-key-policy', { ...base, label: r.name, keyRefs: keyRefs(file, json.root, r.name, ctx) });
        break;
      case 'AWS::IAM::Role': {
        const arn = roleArn(r.name);
        const owner = { ...base, principals: arn ? [arn] : [], label: r.name };
        add(propValue(props, 'AssumeRolePolicyDocument'), 'iam-trust-policy', owner);
        for (const p of items(propValue(props, 'Policies'))) add(propValue(p, 'PolicyDocument'), 'iam-identity-policy', owner, { isInlinePolicy: true });
        break;
      }
      case 'AWS::Serverless::Function':
      case 'AWS::Serverless::StateMachine': {
        // SAM: `Policies` are ignored when `Role` is set; otherwise each inline document (a
        // map with Statement) is a policy of the role SAM creates, whose name is not known,
        // and so is each SAM policy template that grants KMS actions, as SAM expands it.
        // Managed policy names (strings) and other policy templates grant no KMS action we know of.
        if (propValue(props, 'Role')) break;
        const owner = { ...base, principals: [], label: `${r.name}Role` };
        for (const p of items(propValue(props, 'Policies'))) {
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
        const roleRefs = [...items(propValue(props, 'Roles')), ...(propValue(props, 'RoleName') ? [propValue(props, 'RoleName')!] : [])];
        for (const ref of roleRefs) {
          const logical = stringValue(propValue(ref, 'Ref'));
          const arn = logical ? roleArn(logical) : undefined;
          const name = logical ? undefined : resolveString(ref, ctx);
          if (arn) principals.push(arn);
          else if (name && ctx?.account) principals.push(`arn:${partition}:iam::${ctx.account}:role/${name}`);
        }
        add(propValue(props, 'PolicyDocument'), 'iam-identity-policy', { ...base, principals, label: r.name },
          type === 'AWS::IAM::ManagedPolicy' ? { isManagedPolicy: true } : { isInlinePolicy: true });
        break;
      }
    }
  }
}
