/**
 * The AWS Guard Rules Registry's KMS and IAM rule tests: each test file is a YAML list of
 * cases, a CloudFormation template fragment (`input`) and, per rule, PASS, FAIL or SKIP.
 * Each fragment is cut out of the test file as it is written (its YAML, tags and all) and
 * checked as a YAML template; a FAIL expects the rule's finding in the fragment. Compared
 * per file: a rule's verdict is about the whole fragment.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { corpusPath } from '../../support/corpus';
import type { SuiteCases } from './suiteCases';

export function cfnGuardCases(): SuiteCases {
  const root = corpusPath('linter-fixtures', 'cfn-guard-rules-registry');
  const out: SuiteCases = { cases: [], skipped: [] };
  for (const group of ['aws_kms', 'iam']) {
    const dir = path.join(root, 'rules', 'aws', group, 'tests');
    for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const rel = `cfn-guard-rules-registry/rules/aws/${group}/tests/${file}`;
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const doc = parseDocument(text, { uniqueKeys: false });
      if (doc.errors.length || !isSeq(doc.contents)) {
        out.skipped.push({ name: rel, reason: `not a list of test cases to a YAML reader${doc.errors.length ? `: ${doc.errors[0].message.split('\n')[0]}` : ''}` });
        continue;
      }
      doc.contents.items.forEach((item, i) => {
        if (!isMap(item)) return;
        const name = String(item.get('name') ?? `case ${i + 1}`);
        const input = item.get('input', true) as YamlNode | undefined;
        const rules = (item.getIn(['expectations', 'rules'], true) ?? undefined) as YamlNode | undefined;
        if (!input?.range || !isMap(rules)) { out.skipped.push({ name: `${rel}#${name}`, reason: 'no input or no rule expectations' }); return; }
        const verdicts = rules.items.map((p) => [String((p.key as { value?: unknown })?.value ?? p.key), String((p.value as { value?: unknown })?.value ?? p.value)] as const);
        out.cases.push({
          suite: 'cfn-guard',
          name: `${rel}#${name}`,
          file: 'template.yaml',
          text: fragment(text, input.range[0], input.range[1]),
          granularity: 'file',
          expected: verdicts.filter(([, v]) => v === 'FAIL').map(([rule]) => ({ type: rule })),
          asserted: verdicts.map(([rule]) => rule),
        });
      });
    }
  }
  return out;
}

/** The text of a YAML node cut out of its file, its lines moved left by the node's column. */
function fragment(text: string, start: number, end: number): string {
  const col = start - (text.lastIndexOf('\n', start - 1) + 1);
  const pad = ' '.repeat(col);
  return (pad + text.slice(start, end)).split('\n').map((l) => (l.startsWith(pad) ? l.slice(col) : l.trimStart())).join('\n').replace(/\s*$/, '\n');
}
