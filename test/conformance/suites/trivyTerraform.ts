/**
 * trivy-checks' Terraform examples for IAM and KMS: each check's YAML data file lists snippets
 * under `terraform.good` (the check passes) and `terraform.bad` (it fails). Each snippet is a
 * case compared per file (two files also hold CloudFormation snippets, read the same way); the check id comes from the table of the corpus's EXPECTED.md. tfsec's
 * `_examples` (trivy-checks' predecessor) join as cases without expectations: upstream asserts
 * nothing about them, so they are read and checked, and nothing of theirs is compared.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import { corpusPath } from '../../support/corpus';
import type { SuiteCases } from './suiteCases';

export function trivyTerraformCases(): SuiteCases {
  const root = corpusPath('terraform', 'linter-fixtures');
  const out: SuiteCases = { cases: [], skipped: [] };
  const trivy = path.join(root, 'trivy-checks');
  const ids = checkIds(fs.readFileSync(path.join(trivy, 'EXPECTED.md'), 'utf8'));
  for (const [rel, id] of [...ids].sort(([a], [b]) => a.localeCompare(b))) {
    const name = `terraform/linter-fixtures/trivy-checks/checks/cloud/aws/${rel}`;
    const doc = parseDocument(fs.readFileSync(path.join(trivy, 'checks', 'cloud', 'aws', rel), 'utf8'));
    if (doc.errors.length || !isMap(doc.get('terraform'))) {
      out.skipped.push({ name, reason: 'no terraform section a YAML reader can read' });
      continue;
    }
    // Two of the files also hold CloudFormation snippets of the same check: read them as templates.
    for (const [section, file] of [['terraform', 'main.tf'], ['cloudformation', 'template.yaml']] as const) for (const verdict of ['good', 'bad'] as const) {
      const snippets = doc.getIn([section, verdict]);
      if (!isSeq(snippets)) continue;
      snippets.items.forEach((item, i) => {
        const text = String((item as { value?: unknown }).value ?? '');
        out.cases.push({
          suite: 'trivy-terraform',
          name: `${name}#${section}.${verdict}[${i}]`,
          file,
          text,
          granularity: 'file',
          expected: verdict === 'bad' ? [{ type: id }] : [],
          asserted: [id],
        });
      });
    }
  }
  const tfsec = path.join(root, 'tfsec', '_examples');
  for (const dir of fs.readdirSync(tfsec).sort()) {
    const file = path.join(tfsec, dir, 'main.tf');
    if (!fs.existsSync(file)) continue;
    out.cases.push({ suite: 'trivy-terraform', name: `terraform/linter-fixtures/tfsec/_examples/${dir}/main.tf`, file: 'main.tf', text: fs.readFileSync(file, 'utf8'), granularity: 'file', expected: [], asserted: [] });
  }
  return out;
}

/** `iam/no_policy_wildcards.yaml` → `AWS-0057`, from the rows of EXPECTED.md's table. */
function checkIds(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of markdown.matchAll(/^\| *([a-z_/]+\.yaml) *\| *(AWS-\d+)/gm)) out.set(m[1], m[2]);
  return out;
}
