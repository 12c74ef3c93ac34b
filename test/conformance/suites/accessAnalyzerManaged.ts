/**
 * IAM Access Analyzer ValidatePolicy (IDENTITY_POLICY) on every AWS managed policy, as
 * recorded by MAMIP: a policy without a findings file had no findings. Compared per
 * statement (their JSON paths give the statement index).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusPath } from '../../support/corpus';
import { normalizePath, statementOfPath } from '../locate';
import type { Expected } from '../types';
import type { SuiteCases } from './suiteCases';

interface MamipEntry { findings: { findingType: string; issueCode: string; paths: string[] }[] }

export interface ManagedOptions {
  /** Only the policies Access Analyzer reported findings for (the quick run of the unit test). */
  onlyWithFindings?: boolean;
}

export function accessAnalyzerManagedCases(options: ManagedOptions = {}): SuiteCases {
  const expected = JSON.parse(fs.readFileSync(corpusPath('linter-fixtures', 'access-analyzer-mamip', 'EXPECTED.json'), 'utf8')) as Record<string, MamipEntry>;
  const dir = corpusPath('aws-managed');
  const out: SuiteCases = { cases: [], skipped: [] };
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const policy = path.basename(file, '.json');
    const entry = expected[policy];
    if (options.onlyWithFindings && !entry) continue;
    out.cases.push({
      suite: 'access-analyzer-mamip',
      name: `aws-managed/${file}`,
      file: `aws-managed/${file}`,
      text: fs.readFileSync(path.join(dir, file), 'utf8'),
      binding: { kind: 'iam-identity-policy' },
      granularity: 'statement',
      expected: (entry?.findings ?? []).flatMap(toExpected),
    });
  }
  return out;
}

/** One finding may point into several statements (redundant actions across statements): one expectation each. */
function toExpected(f: MamipEntry['findings'][number]): Expected[] {
  const statements = new Map<string, Expected>();
  for (const p of f.paths.length ? f.paths : ['']) {
    const statement = statementOfPath(p);
    const key = String(statement);
    const known = statements.get(key);
    if (!known) statements.set(key, { type: f.issueCode, statement, path: p, paths: p ? [normalizePath(p)] : undefined });
    else if (p) known.paths = [...(known.paths ?? []), normalizePath(p)];
  }
  return [...statements.values()];
}
