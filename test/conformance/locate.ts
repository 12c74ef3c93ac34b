/**
 * Places of findings: which statement of a bare policy, which resource of a CloudFormation
 * template. Their JSON paths (`Statement/1/Condition/…`) and our spans end up as the same
 * `Place` so they can be compared.
 */
import type { DiscoveredFile } from '../../server/src/core/sources/discoveredFile';
import type { JsonNode } from '../../server/src/core/json/jsonDocument';
import { properties, propValue } from '../../server/src/core/json/nodes';
import { readStatements } from '../../server/src/core/model/policyDocument';
import type { Place } from './types';
import { parseHcl } from '../../server/src/core/sources/hcl/hclSyntax';
import { blocksOf } from '../../server/src/core/sources/hcl/policyDocumentBlock';

/** `TYPE.NAME` of the `resource` block (or `data.TYPE.NAME` of the data block) that holds the offset. */
function terraformBlockAt(text: string, offset: number): string | undefined {
  const body = parseHcl(text)?.children.find((c) => c.type === 'body');
  for (const b of body ? blocksOf(body, text) : []) {
    if (offset < b.node.start || offset >= b.node.end || b.labels.length < 2) continue;
    if (b.type === 'resource') return `${b.labels[0]}.${b.labels[1]}`;
    if (b.type === 'data') return `data.${b.labels[0]}.${b.labels[1]}`;
  }
  return undefined;
}

/** `Statement/3/Action/0` → 3; `Statement/Condition/…` (a single statement object) → 0; `""` → document level. */
export function statementOfPath(path: string): number | undefined {
  const parts = path.split('/');
  if (parts[0] !== 'Statement') return undefined;
  const n = Number(parts[1]);
  return parts.length > 1 && Number.isInteger(n) && parts[1] !== '' ? n : 0;
}

/** The index of the statement whose node holds the file offset, in the file's first document that has one. */
export function statementAt(discovered: DiscoveredFile | undefined, offset: number): number | undefined {
  for (const doc of discovered?.documents ?? []) {
    for (const s of readStatements(doc.root)) {
      const start = doc.toFileOffset(s.node.offset);
      const end = doc.toFileOffset(s.node.offset + s.node.length);
      if (offset >= start && offset < end) return s.index;
    }
  }
  return undefined;
}

/**
 * The JSON path, Access Analyzer's way (`Statement/2/Resource/3`, `Statement/0/Condition/StringEquals/aws:SourceIp`),
 * of the innermost node of the file's first policy document that holds the file offset.
 * A property's key counts as its value's place.
 */
export function pathAt(discovered: DiscoveredFile | undefined, offset: number): string | undefined {
  for (const doc of discovered?.documents ?? []) {
    const start = doc.toFileOffset(doc.root.offset);
    if (offset < start || offset >= doc.toFileOffset(doc.root.offset + doc.root.length)) continue;
    const parts: string[] = [];
    let node: JsonNode | undefined = doc.root;
    for (let depth = 0; node && depth < 64; depth++) {
      const inside: JsonNode | undefined = (node.children ?? []).find((c) => offset >= doc.toFileOffset(c.offset) && offset < doc.toFileOffset(c.offset + c.length));
      if (!inside) break;
      if (node.type === 'array') {
        parts.push(String(node.children!.indexOf(inside)));
        node = inside;
      } else if (inside.type === 'property') {
        parts.push(String(inside.children?.[0]?.value ?? ''));
        const value: JsonNode | undefined = inside.children?.[1];
        node = value && offset >= doc.toFileOffset(value.offset) ? value : undefined;
      } else node = inside;
    }
    return normalizePath(parts.join('/'));
  }
  return undefined;
}

/** A path into a single Statement object (`Statement/Condition/…`) as into the first of a list (`Statement/0/Condition/…`). */
export function normalizePath(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'Statement' && parts.length > 1 && !/^\d+$/.test(parts[1])) parts.splice(1, 0, '0');
  return parts.join('/');
}

/** Whether the JSON path `inner` is `outer` or a node inside it. */
export function pathWithin(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(`${outer}/`);
}

/** Whether two JSON paths point at the same node or one holds the other. */
export function pathsMeet(a: string, b: string): boolean {
  return pathWithin(a, b) || pathWithin(b, a);
}

/** The logical id of the CloudFormation resource whose entry holds the offset; for Terraform, the resource's address (`aws_kms_key.k`). */
export function resourceAt(discovered: DiscoveredFile | undefined, offset: number): string | undefined {
  if (discovered?.shape === 'terraform') return terraformBlockAt(discovered.json.text, offset);
  const resources = discovered?.json.root ? propValue(discovered.json.root, 'Resources') : undefined;
  for (const p of properties(resources)) {
    const start = p.property.offset;
    if (offset >= start && offset < start + p.property.length) return p.name;
  }
  return undefined;
}

/** Logical id → resource type, for a template. */
export function resourceTypes(discovered: DiscoveredFile | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const resources = discovered?.json.root ? propValue(discovered.json.root, 'Resources') : undefined;
  for (const p of properties(resources)) {
    const type = propValue(p.value, 'Type');
    if (type?.type === 'string') out[p.name] = String(type.value);
  }
  return out;
}

/** Whether an expected place and an observed one are the same, at the case's granularity. */
export function samePlace(expected: Place, observed: Place, granularity: 'file' | 'statement' | 'resource'): boolean {
  switch (granularity) {
    case 'file': return true;
    // A document-level finding on either side (policy size, missing Version) matches anywhere in the file.
    case 'statement': return expected.statement === undefined || observed.statement === undefined || expected.statement === observed.statement;
    case 'resource': return expected.resource === observed.resource;
  }
}
