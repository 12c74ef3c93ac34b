/**
 * Values a template leaves to the deployment (CloudFormation's `Ref`, `Fn::Sub`, `Fn::Join`
 * of the account, Region, partition and parameters; Terraform variables): what the manifest's
 * `templates` binding gives, and reading a string through them where they are known.
 */
import type { JsonNode } from '../json/jsonDocument';
import { items, properties, stringValue } from '../json/nodes';

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

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
