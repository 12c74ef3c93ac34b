/**
 * parliament's test policies: one policy per file and the exact set of finding ids the
 * upstream test asserts for it (compared per file).
 */
import * as fs from 'node:fs';
import { corpusPath } from '../../support/corpus';
import type { Vocabulary } from '../data';
import type { ConformanceCase } from '../types';
import type { SuiteCases } from './suiteCases';

interface ParliamentEntry {
  file: string;
  expected_finding_ids: string[] | null;
  comparison: string;
  analyze_policy_string_kwargs?: { include_community_auditors?: boolean } | null;
}

export function parliamentCases(vocabulary: Vocabulary): SuiteCases {
  const dir = corpusPath('linter-fixtures', 'parliament');
  const entries = JSON.parse(fs.readFileSync(`${dir}/EXPECTED.json`, 'utf8')) as ParliamentEntry[];
  const out: SuiteCases = { cases: [], skipped: [] };
  for (const e of entries) {
    const name = `parliament/${e.file}`;
    if (!Array.isArray(e.expected_finding_ids)) {
      out.skipped.push({ name, reason: `no finding assertion upstream (${e.comparison})` });
      continue;
    }
    // Without the community auditors, parliament does not look for their findings.
    const community = e.analyze_policy_string_kwargs?.include_community_auditors === true;
    const types = Object.keys(vocabulary.mapped).concat(Object.keys(vocabulary.outOfScope));
    const c: ConformanceCase = {
      suite: 'parliament',
      name,
      file: e.file,
      text: fs.readFileSync(`${dir}/${e.file}`, 'utf8'),
      granularity: 'file',
      expected: e.expected_finding_ids.map((type) => ({ type })),
      asserted: community ? undefined : types.filter((t) => !vocabulary.communityAuditors?.includes(t)),
    };
    out.cases.push(c);
  }
  return out;
}
