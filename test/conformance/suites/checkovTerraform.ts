/**
 * checkov's Terraform check tests: per check, the fixture folder and the resource addresses its
 * test asserts pass or fail (`aws_kms_key.fail_0`; a data check's `aws_iam_policy_document.x` is
 * the block `data.aws_iam_policy_document.x`). Each `.tf` file is a case compared per resource;
 * only the folder's check counts. Runs over plan JSON are left out (the plan run asserts only
 * passing data sources of a child module the fixture folder does not hold).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusPath } from '../../support/corpus';
import { parseHcl } from '../../../server/src/core/sources/hcl/hclSyntax';
import { blocksOf } from '../../../server/src/core/sources/hcl/policyDocumentBlock';
import type { SuiteCases } from './suiteCases';

interface CheckovRun { target: string[]; plan_runner: boolean; passing_resources: string[]; failing_resources: string[] }
interface CheckovCheck { check_id: string; block_type: 'resource' | 'data'; fixture_dir: string; fixture_files: string[]; runs: CheckovRun[] }

export function checkovTerraformCases(): SuiteCases {
  const root = corpusPath('terraform', 'linter-fixtures', 'checkov');
  const data = JSON.parse(fs.readFileSync(path.join(root, 'EXPECTED.json'), 'utf8')) as { checks: CheckovCheck[] };
  const out: SuiteCases = { cases: [], skipped: [] };
  for (const check of data.checks) {
    for (const run of check.runs.filter((r) => r.plan_runner)) {
      out.skipped.push({ name: `terraform/linter-fixtures/checkov/${path.posix.dirname(check.fixture_dir)}/${run.target.join(',')}`, reason: `${check.check_id} plan run: upstream asserts only passing data sources of a child module (module.poc) whose configuration the fixture does not hold` });
    }
    const run = check.runs.find((r) => !r.plan_runner);
    if (!run) continue;
    // A data check names its blocks without the `data.` prefix that addresses them in a module.
    const address = (r: string) => (check.block_type === 'data' ? `data.${r}` : r);
    for (const rel of check.fixture_files.filter((f) => f.endsWith('.tf')).sort()) {
      const name = `terraform/linter-fixtures/checkov/${rel}`;
      const text = fs.readFileSync(path.join(root, rel), 'utf8');
      const own = blockAddresses(text);
      const expected = run.failing_resources.map(address).filter((a) => own.has(a)).map((resource) => ({ type: check.check_id, resource }));
      out.cases.push({ suite: 'checkov-terraform', name, file: path.posix.basename(rel), text, granularity: 'resource', expected, asserted: [check.check_id] });
    }
  }
  return out;
}

/** `TYPE.NAME` of the file's resource blocks and `data.TYPE.NAME` of its data blocks. */
export function blockAddresses(text: string): Set<string> {
  const body = parseHcl(text)?.children.find((c) => c.type === 'body');
  const out = new Set<string>();
  for (const b of body ? blocksOf(body, text) : []) {
    if (b.labels.length < 2) continue;
    if (b.type === 'resource') out.add(`${b.labels[0]}.${b.labels[1]}`);
    if (b.type === 'data') out.add(`data.${b.labels[0]}.${b.labels[1]}`);
  }
  return out;
}
