/**
 * CloudFormation JSON templates: key policies of AWS::KMS::Key / ReplicaKey, identity
 * policies of AWS::IAM::Role / Policy / ManagedPolicy, role trust policies. Intrinsic
 * functions are resolved where the manifest gives values, else they are unknown values.
 */
import type { JsonDocument, JsonNode } from '../json/jsonDocument';
import { items, properties, prop, propValue, stringValue } from '../json/nodes';
import { isIntrinsic, type PolicyOwner } from '../model/policyDocument';
import { makeDocument, type DiscoveredFile, type FileBinding } from './discover';
import { expandSamPolicyTemplate } from './samPolicyTemplates';

export interface TemplateContext {
  account?: string;
  region?: string;
  partition?: string;
  parameters?: Record<string, string>;
}

/** Resolve a string-valued node, following Ref/Fn::Sub/Fn::Join where the context knows the values. */
export function resolveString(node: JsonNode | undefined, ctx: TemplateContext | undefined, resources?: JsonNode): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string') return String(node.value);
  if (node.type !== 'object' || node.children?.length !== 1) return undefined;
  const [p] = properties(node);
  const lookup = (name: string): string | undefined => {
    switch (name) {
      case 'AWS::AccountId': return ctx?.account;
      case 'AWS::Region': return ctx?.region;
      case 'AWS::Partition': return ctx?.partition ?? (ctx?.region ? partitionOf(ctx.region) : undefined);
      case 'AWS::URLSuffix': return 'amazonaws.com';
      default: return ctx?.parameters?.[name];
    }
  };
  switch (p.name) {
    case 'Ref': {
      const name = stringValue(p.value);
      return name ? lookup(name) : undefined;
    }
    case 'Fn::Sub': {
      let template: string | undefined;
      const vars = new Map<string, string | undefined>();
      if (p.value?.type === 'string') template = String(p.value.value);
      else if (p.value?.type === 'array') {
        template = stringValue(p.value.children?.[0]);
        for (const v of properties(p.value.children?.[1])) vars.set(v.name, resolveString(v.value, ctx, resources));
      }
      if (template === undefined) return undefined;
      let failed = false;
      const result = template.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
        const v = vars.has(name) ? vars.get(name) : lookup(name);
        if (v === undefined) failed = true;
        return v ?? '';
      });
      return failed ? undefined : result.replace(/\$\{!/g, '${');
    }
    case 'Fn::Join': {
      const [sep, list] = items(p.value);
      const s = stringValue(sep);
      if (s === undefined || list?.type !== 'array') return undefined;
      const parts = items(list).map((n) => resolveString(n, ctx, resources));
      return parts.every((x) => x !== undefined) ? parts.join(s) : undefined;
    }
    default:
      return undefined;
  }
}

/** The logical id of `Fn::GetAtt` of a resource's `Arn` (`[Id, "Arn"]` or `"Id.Arn"`), else undefined. */
export function getAttArn(node: JsonNode | undefined): string | undefined {
  if (node?.type !== 'object' || node.children?.length !== 1) return undefined;
  const v = propValue(node, 'Fn::GetAtt');
  if (v?.type === 'array' && v.children?.length === 2 && stringValue(v.children[1]) === 'Arn') return stringValue(v.children[0]);
  const dotted = stringValue(v);
  return dotted?.endsWith('.Arn') ? dotted.slice(0, -4) : undefined;
}

/**
 * The reference an unresolved `Resource` value makes to a key defined in a template (see
 * `PolicyOwner.keyRefs`): `Fn::GetAtt` of a resource of the same file, `Fn::ImportValue` of an export.
 */
export function templateKeyRef(node: JsonNode, file: string | undefined, ctx: TemplateContext | undefined): string | undefined {
  const logical = getAttArn(node) ?? subKeyIdRef(node);
  if (logical !== undefined) return file === undefined ? undefined : `${file}#${logical}`;
  const imported = propValue(node, 'Fn::ImportValue');
  const name = imported && node.children?.length === 1 ? resolveString(imported, ctx) : undefined;
  return name === undefined ? undefined : exportRef(name, ctx);
}

/** Exports are names within one account and Region: `export:ACCOUNT/REGION/NAME`, blank where not known. */
function exportRef(name: string, ctx: TemplateContext | undefined): string {
  return `export:${ctx?.account ?? ''}/${ctx?.region ?? ''}/${name}`;
}

/** Whether two key references (see `templateKeyRef`) can name the same key: exports of an unknown account or Region may. */
export function sameKeyRef(a: string, b: string): boolean {
  if (a === b) return true;
  if (!a.startsWith('export:') || !b.startsWith('export:')) return false;
  const [aa, ar, ...an] = a.slice(7).split('/');
  const [ba, br, ...bn] = b.slice(7).split('/');
  const fits = (x: string, y: string) => x === y || x === '' || y === '';
  return an.join('/') === bn.join('/') && fits(aa, ba) && fits(ar, br);
}

/**
 * `{"Fn::Sub": ["arn:…:key/${name}", {"name": {"Ref": "Key"}}]}` (as SAM's KMS policy templates
 * expand): the ARN of key `Key` of the same template (`Ref` of a key is its id).
 */
function subKeyIdRef(node: JsonNode): string | undefined {
  const sub = propValue(node, 'Fn::Sub');
  if (sub?.type !== 'array' || node.children?.length !== 1) return undefined;
  const [template, vars] = items(sub);
  const text = stringValue(template) ?? '';
  const name = text.startsWith('arn:') && text.includes(':kms:') ? /:key\/\$\{([^}!]+)\}$/.exec(text)?.[1] : undefined;
  return name === undefined ? undefined : stringValue(propValue(propValue(vars, name), 'Ref'));
}

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

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
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
