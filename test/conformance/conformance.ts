/**
 * Runs every suite: loads its cases from the corpus, checks each case's text with the
 * engine, and compares the findings with the other tool's expectations.
 */
import { checkText } from '../../server/src/core/engine';
import { allChecks, engineCheckIds } from '../../server/src/core/checks/registry';
import { corpusMissing } from '../support/corpus';
import { compareCase, type CompareContext } from './compare';
import { loadDisagreements, loadMappings, vocabularyOf, type Mappings } from './data';
import { accessAnalyzerManagedCases } from './suites/accessAnalyzerManaged';
import { cfnLintCases } from './suites/cfnLint';
import { cfnNagCases } from './suites/cfnNag';
import { checkovCases } from './suites/checkov';
import { checkovTerraformCases } from './suites/checkovTerraform';
import { cfnGuardCases } from './suites/cfnGuard';
import { kicsCases } from './suites/kics';
import { kicsTerraformCases } from './suites/kicsTerraform';
import { parliamentCases } from './suites/parliament';
import { policyValidatorCases } from './suites/policyValidator';
import { trivyTerraformCases } from './suites/trivyTerraform';
import type { SuiteCases } from './suites/suiteCases';
import type { SuiteResult } from './types';

export interface RunOptions {
  /** Check every AWS managed policy (slow), not only those Access Analyzer reported on. */
  full?: boolean;
  /** Run only these suites. */
  suites?: string[];
}

const loaders: Record<string, (m: Mappings, o: RunOptions) => SuiteCases> = {
  parliament: (m) => parliamentCases(m.vocabularies.parliament),
  'access-analyzer-mamip': (_m, o) => accessAnalyzerManagedCases({ onlyWithFindings: !o.full }),
  'cfn-policy-validator': () => policyValidatorCases(),
  'cfn-lint': () => cfnLintCases(),
  cfn_nag: () => cfnNagCases(),
  kics: () => kicsCases(),
  'kics-terraform': () => kicsTerraformCases(),
  checkov: () => checkovCases(),
  'cfn-guard': () => cfnGuardCases(),
  'checkov-terraform': () => checkovTerraformCases(),
  'trivy-terraform': () => trivyTerraformCases(),
};

export function registeredCheckIds(): Set<string> {
  return new Set([...engineCheckIds.map((c) => c.id as string), ...allChecks.map((c) => c.id)]);
}

export function runConformance(options: RunOptions = {}): SuiteResult[] {
  const mappings = loadMappings();
  const disagreements = loadDisagreements();
  const registered = registeredCheckIds();
  const results: SuiteResult[] = [];
  for (const suite of Object.keys(mappings.suites)) {
    if (options.suites && !options.suites.includes(suite)) continue;
    const loader = loaders[suite];
    if (!loader) throw new Error(`no loader for suite ${suite}`);
    const ctx: CompareContext = { vocabulary: vocabularyOf(mappings, suite), registered, disagreements, typesRead: mappings.cloudFormationTypesRead };
    const loaded = loader(mappings, options);
    const exclude = mappings.suites[suite].exclude ?? {};
    const cases = loaded.cases.filter((c) => !(c.name in exclude));
    const skipped = [...loaded.skipped, ...Object.entries(exclude).map(([name, reason]) => ({ name, reason }))];
    results.push({
      suite,
      title: mappings.suites[suite].title,
      cases: cases.map((c) => compareCase(c, checkText(c.file, c.text, { binding: c.binding }), ctx)),
      skipped,
    });
  }
  return results;
}

export function conformanceCorpusMissing(): string | undefined {
  return corpusMissing('linter-fixtures') ?? corpusMissing('aws-managed');
}
