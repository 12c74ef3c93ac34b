/**
 * Places of findings: which statement of a bare policy, which resource of a CloudFormation
 * template. Their JSON paths (`Statement/1/Condition/…`) and our spans end up as the same
 * `Place` so they can be compared.
 */
import type { DiscoveredFile } from '../../server/src/core/sources/discoveredFile';
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
