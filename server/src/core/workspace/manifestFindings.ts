/**
 * Findings of the manifest file itself (check id `manifest`): JSON syntax, what the schema
 * or the structure rejects, paths that leave the manifest's folder, keys given twice, and
 * paths and globs that match no file.
 */
import { severityFor, type EngineOptions } from '../engine';
import type { Finding, Fix, Severity } from '../findings';
import type { JsonNode } from '../json/jsonDocument';
import { relativePath } from '../relativePaths';
import type { Manifest, ManifestPattern, ManifestProblem } from './manifest';
import { SKIPPED_DIRS } from '../sourceFiles';

export const MANIFEST_CHECK = { id: 'manifest', defaultSeverity: 'error' as Severity };

/**
 * `matchesSomething`: the pattern matches a file this manifest governs; `shadowedBy`: the
 * nearer manifest that governs files the pattern matches, when it matches only such files.
 */
export function manifestFindings(
  m: Manifest,
  matchesSomething: (p: ManifestPattern) => boolean,
  options: EngineOptions,
  shadowedBy: (p: ManifestPattern) => string | undefined = () => undefined,
  /** Another manifest (before this one by path) that binds a key policy to the key ARN: its binding is the one read. */
  keyBoundIn: (arn: string) => string | undefined = () => undefined,
): Finding[] {
  const out = textFindings(m, options);
  const report = (node: JsonNode, message: string, requested?: Severity) => {
    const severity = severityFor(MANIFEST_CHECK, options, requested);
    if (severity) out.push({ checkId: MANIFEST_CHECK.id, severity, message, span: { offset: node.offset, length: node.length } });
  };
  const unmatched = (p: ManifestPattern, what: string) => {
    if (!p.usable || matchesSomething(p)) return;
    const nearer = shadowedBy(p);
    const where = nearer === undefined ? undefined : relativePath(m.root, nearer);
    if (where !== undefined) {
      report(p.node, `${what} "${p.text}" matches only files that the nearer manifest ${where} governs (the nearest manifest wins): this entry applies to nothing. Move it to that manifest.`, 'warning');
    } else {
      // A folder no reading enters (node_modules, .git, out, dist…): its files are never read, so never matched.
      const skipped = p.text.split('/').slice(0, -1).find((s) => SKIPPED_DIRS.has(s));
      const note = skipped ? ` Files under a folder named ${skipped} are not read (${[...SKIPPED_DIRS].join(', ')} are skipped): keep policy files elsewhere.` : '';
      report(p.node, `${what} "${p.text}" matches no file in ${m.root || 'the manifest\'s folder'}.${note}`, 'warning');
    }
  };
  for (const k of m.keys) {
    const other = keyBoundIn(k.arn);
    if (other === undefined) continue;
    report(k.node, `The key ${k.arn} already has its key policy in ${relativePath(m.root, other) ?? other}: a key has exactly one key policy. IAM grants on the key are checked against that one only.`);
  }
  for (const k of m.keys) unmatched(k.policy, 'The key policy path');
  for (const e of m.principals) for (const p of e.policies) unmatched(p, 'The policy path');
  for (const t of m.templates) for (const p of t.files) unmatched(p, 'The template path');
  return out;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * What a manifest holds, in words: "2 accounts, 1 key, 2 principals, 0 templates", and its
 * problems when it has any: as many as the findings of its own text (below). Whether its paths
 * match files is not counted: when a manifest is read, the files it binds may not be yet.
 */
export function manifestSummary(m: Manifest, options: EngineOptions): string {
  const problems = textFindings(m, options).length;
  const parts = [count(m.accounts.size, 'account'), count(m.keys.length, 'key'), count(m.principals.length, 'principal'), count(m.templates.length, 'template')];
  return parts.join(', ') + (problems ? `; ${count(problems, 'problem')}` : '');
}

/**
 * The findings of the manifest's own text, whatever other files say: JSON syntax (one a place:
 * the parser reports every unclosed bracket at the end of the text, as for policy files) and
 * what its content has wrong (schema, structure, paths leaving its folder, keys given twice).
 */
function textFindings(m: Manifest, options: EngineOptions): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<number>();
  for (const p of m.json.problems) {
    if (seen.has(p.offset)) continue;
    seen.add(p.offset);
    const checkId = p.kind === 'syntax' ? 'json-syntax' : 'file-skipped';
    const severity = severityFor({ id: checkId, defaultSeverity: p.kind === 'syntax' ? 'error' : 'info' }, options);
    if (severity) out.push({ checkId, severity, message: p.message, span: { offset: p.offset, length: p.length } });
  }
  const report = (node: JsonNode, message: string, requested?: Severity, fixes?: Fix[], related?: ManifestProblem['related']) => {
    const severity = severityFor(MANIFEST_CHECK, options, requested);
    if (!severity) return;
    const f: Finding = { checkId: MANIFEST_CHECK.id, severity, message, span: { offset: node.offset, length: node.length } };
    if (related?.length) f.related = related.map((r) => ({ file: m.path, span: { offset: r.node.offset, length: r.node.length }, message: r.message }));
    if (fixes?.length) f.fixes = fixes;
    out.push(f);
  };
  for (const p of m.problems) {
    report(p.node, p.message, p.severity, p.fixes?.map((x) => ({ title: x.title, id: x.id, isPreferred: x.isPreferred, changes: [{ edits: x.edits }] })), p.related);
  }
  return out;
}
