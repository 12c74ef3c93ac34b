/**
 * Values a template leaves to the deployment (CloudFormation's `Ref`, `Fn::Sub`, `Fn::Join`
 * of the account, Region, partition and parameters; Terraform variables): what the manifest's
 * `templates` binding gives, and reading a string through them where they are known.
 */
import type { JsonNode } from '../json/jsonDocument';
import { items, properties, propValue, stringValue } from '../json/nodes';

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
  // An unquoted YAML number (`Acct: 444455556666`) is the text CloudFormation passes on.
  if (node.type === 'number') return String(node.value);
  if (node.type !== 'object' || node.children?.length !== 1) return undefined;
  const [p] = properties(node);
  const lookup = (name: string): string | undefined => templateValue(name, ctx);
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
        const vs = properties(p.value.children?.[1]);
        for (let i = 0; i < vs.length; i++) {
          const v = vs[i];
          vars.set(v.name, resolveString(v.value, ctx, resources));
        }
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
    case 'Fn::Select':
      return selectedString(p.value, ctx, resources);
    default:
      return undefined;
  }
}

/**
 * `Fn::Select` `[index, list]` of a list written out or of `Fn::Split` `[delimiter, string]`
 * (`!Select [4, !Split [":", !Ref TrustedRootArn]]` is the account of an ARN parameter), where
 * the index and the strings are known.
 */
function selectedString(args: JsonNode | undefined, ctx: TemplateContext | undefined, resources?: JsonNode): string | undefined {
  const [index, list] = items(args);
  const written = index?.type === 'number' ? String(index.value) : stringValue(index);
  if (!written || !/^\d{1,4}$/.test(written) || !list) return undefined;
  const i = Number(written);
  if (list.type === 'array') return resolveString(list.children?.[i], ctx, resources);
  const split = propValue(list, 'Fn::Split');
  const [delimiter, source] = items(split);
  const d = stringValue(delimiter);
  const whole = list.children?.length === 1 && d ? resolveString(source, ctx, resources) : undefined;
  return whole?.split(d!)[i];
}

/** The value of a pseudo parameter or parameter where the context gives it. */
function templateValue(name: string, ctx: TemplateContext | undefined): string | undefined {
  switch (name) {
    case 'AWS::AccountId': return ctx?.account;
    case 'AWS::Region': return ctx?.region;
    case 'AWS::Partition': return ctx?.partition ?? (ctx?.region ? partitionOf(ctx.region) : undefined);
    case 'AWS::URLSuffix': return 'amazonaws.com';
    default: return ctx?.parameters?.[name];
  }
}

/**
 * A string-valued node as text for people: `Ref`, `Fn::Sub` and `Fn::Join` read as
 * `resolveString` does, each value the context does not give kept as `${Name}`, and a Terraform string
 * template left unknown as its text
 * (`!Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'` without a manifest stays as
 * written, `!Ref AWS::AccountId` is `${AWS::AccountId}`). Undefined for other intrinsics.
 */
export function templateText(node: JsonNode | undefined, ctx: TemplateContext | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string' || node.type === 'number') return String(node.value);
  if (node.type !== 'object' || node.children?.length !== 1) return undefined;
  const [p] = properties(node);
  const value = (name: string) => templateValue(name, ctx) ?? `\${${name}}`;
  switch (p.name) {
    case 'Ref': {
      const name = stringValue(p.value);
      return name === undefined || name === 'AWS::NoValue' ? undefined : value(name);
    }
    case 'Fn::Sub': {
      const [template, vars] = p.value?.type === 'array' ? items(p.value) : [p.value, undefined];
      const text = stringValue(template);
      if (text === undefined) return undefined;
      const given = new Map<string, string>();
      const vs = properties(vars);
      for (let i = 0; i < vs.length; i++) given.set(vs[i].name, templateText(vs[i].value, ctx) ?? `\${${vs[i].name}}`);
      return text.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => given.get(name) ?? value(name)).replace(/\$\{!/g, '${');
    }
    case 'Fn::Terraform': {
      // A Terraform string template whose interpolations are not known (`"ec2.${var.region}.amazonaws.com"`):
      // its text, with `${…}` as written. Escapes, `$${`, directives and other expressions are not read.
      const source = stringValue(p.value);
      return source !== undefined && /^"[^"\\%]*"$/.test(source) && !source.includes('$${') ? source.slice(1, -1) : undefined;
    }
    case 'Fn::Join': {
      const [sep, list] = items(p.value);
      const s = stringValue(sep);
      if (s === undefined || list?.type !== 'array') return undefined;
      const parts = items(list).map((n) => templateText(n, ctx));
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
  const address = terraformKeyArn(node);
  if (address !== undefined) return file === undefined ? undefined : terraformKeyRef(file, address);
  const imported = propValue(node, 'Fn::ImportValue');
  const name = imported && node.children?.length === 1 ? resolveString(imported, ctx) : undefined;
  return name === undefined ? undefined : exportRef(name, ctx);
}

/**
 * The reference to a Terraform key of the module (the `.tf` file's folder) by its address
 * (`aws_kms_key.app`), as `Resource = aws_kms_key.app.arn` of any file of the module names it.
 */
export function terraformKeyRef(file: string, address: string): string {
  return `${file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1)}#${address}`;
}

/** The address of the key of `aws_kms_key.NAME.arn` (or a replica key's) read as a value known at apply time only. */
function terraformKeyArn(node: JsonNode): string | undefined {
  const source = node.children?.length === 1 ? stringValue(propValue(node, 'Fn::Terraform')) : undefined;
  return source && /^aws_kms_(replica_)?key\.[A-Za-z_][A-Za-z0-9_-]*\.arn$/.test(source) ? source.slice(0, -4) : undefined;
}

/** Exports are names within one account and Region: `export:ACCOUNT/REGION/NAME`, blank where not known. */
export function exportRef(name: string, ctx: TemplateContext | undefined): string {
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

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
