/**
 * checkov's CloudFormation check tests: per check directory, the templates (YAML and JSON) and
 * the resources its test asserts pass or fail (`<Type>.<LogicalId>`). Compared per resource;
 * only the directory's check counts. Directories whose test asserts only counts are left out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discover } from '../../../server/src/core/sources/discover';
import { corpusPath } from '../../support/corpus';
import { resourceTypes } from '../locate';
import type { SuiteCases } from './suiteCases';

interface CheckDirectory { files: string[]; check_id?: string; failing_resources?: string[]; passing_resources?: string[] }

export function checkovCases(): SuiteCases {
  const root = corpusPath('linter-fixtures', 'checkov-cloudformation');
  const data = JSON.parse(fs.readFileSync(path.join(root, 'EXPECTED.json'), 'utf8')) as { by_directory: Record<string, CheckDirectory> };
  const out: SuiteCases = { cases: [], skipped: [] };
  for (const [dir, d] of Object.entries(data.by_directory)) {
    const listed = d.failing_resources !== undefined || d.passing_resources !== undefined;
    for (const file of d.files) {
      const name = `checkov-cloudformation/templates/${dir}/${file}`;
      if (!d.check_id || !listed) {
        out.skipped.push({ name, reason: d.check_id ? 'upstream asserts only counts of passed and failed resources' : 'no check-level expectation upstream' });
        continue;
      }
      const text = fs.readFileSync(path.join(root, 'templates', dir, file), 'utf8');
      const discovered = discover(file, text);
      const own = new Set(Object.keys(resourcesOf(discovered.json.root)));
      const expected = (d.failing_resources ?? [])
        .map((r) => r.slice(r.lastIndexOf('.') + 1))
        .filter((id) => own.has(id))
        .map((resource) => ({ type: d.check_id!, resource }));
      out.cases.push({ suite: 'checkov', name, file, text, granularity: 'resource', expected, asserted: [d.check_id], resourceTypes: resourceTypes(discovered) });
    }
  }
  return out;
}

/** The template's resources by logical id. */
function resourcesOf(root: ReturnType<typeof discover>['json']['root']): Record<string, true> {
  const out: Record<string, true> = {};
  const resources = root?.children?.find((p) => p.children?.[0]?.value === 'Resources')?.children?.[1];
  for (const p of resources?.children ?? []) out[String(p.children?.[0]?.value)] = true;
  return out;
}
