/**
 * cfn-policy-validator (Access Analyzer through CloudFormation): its validator test
 * policies, compared per file, and its end-to-end template, compared per resource.
 * Which finding each input gets is in policy-validator-cases.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PolicyKind } from '../../../server/src/core/model/policyDocument';
import { corpusPath } from '../../support/corpus';
import { conformanceDir } from '../data';
import { resourceTypes } from '../locate';
import { discover } from '../../../server/src/core/sources/discover';
import type { SuiteCases } from './suiteCases';

interface ValidatorCases {
  policies: { file: string; kind: PolicyKind; expected: string[] }[];
  /** `alsoIn`: the same template in other files (YAML), with the same expectations. */
  templates: { file: string; alsoIn?: string[]; parameters: Record<string, string>; expected: { type: string; resource: string }[] }[];
}

export function policyValidatorCases(): SuiteCases {
  const data = JSON.parse(fs.readFileSync(path.join(conformanceDir, 'policy-validator-cases.json'), 'utf8')) as ValidatorCases;
  const dir = corpusPath('linter-fixtures', 'aws-cloudformation-iam-policy-validator');
  const out: SuiteCases = { cases: [], skipped: [] };
  for (const p of data.policies) {
    out.cases.push({
      suite: 'cfn-policy-validator',
      name: `aws-cloudformation-iam-policy-validator/${p.file}`,
      file: p.file,
      text: fs.readFileSync(path.join(dir, p.file), 'utf8'),
      binding: { kind: p.kind },
      granularity: 'file',
      expected: p.expected.map((type) => ({ type })),
    });
  }
  for (const t of data.templates) {
    for (const file of [t.file, ...(t.alsoIn ?? [])]) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      out.cases.push({
        suite: 'cfn-policy-validator',
        name: `aws-cloudformation-iam-policy-validator/${file}`,
        file,
        text,
        binding: { template: { parameters: t.parameters } },
        granularity: 'resource',
        expected: t.expected.map((e) => ({ type: e.type, resource: e.resource })),
        resourceTypes: resourceTypes(discover(file, text)),
      });
    }
  }
  out.skipped.push(
    { name: 'aws-cloudformation-iam-policy-validator/test_files/public_access_test.yml, check_access_not_granted_test.yaml', reason: 'their expectations are of check-no-public-access and check-access-not-granted, which the product has no counterpart of' },
    { name: 'aws-cloudformation-iam-policy-validator/test_files/kms_resource.yml, invalid_file.yaml', reason: 'parser inputs without expected findings' },
    { name: 'aws-cloudformation-iam-policy-validator/validation_test_files/*', reason: 'parser outputs with {{placeholders}}, not policies' },
    { name: 'aws-cloudformation-iam-policy-validator/skills_evaluations/*', reason: 'YAML fixtures' },
  );
  return out;
}
