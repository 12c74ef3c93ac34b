/**
 * The whole corpus (shared/corpus) through the CLI, in process: it must not crash, must
 * check every .json, YAML, .tf and Terraform template (.tpl, .tftpl) file, and must print valid JSON whose ranges lie inside the files.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../../server/src/cli/main';
import { allCheckMetadata } from '../../../server/src/core/checks/registry';
import { corpusMissing, corpusRoot, walk } from '../../support/corpus';
import { withHclParser } from '../../support/hcl';

withHclParser();
import { needs } from '../../support/needs';

const skip = needs('corpus', corpusMissing());
/** Folder names the CLI does not descend into (none occur in the corpus today). */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', '.vscode-test']);

interface OutputFinding {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

function run(format: string): { code: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(['check', corpusRoot, '--format', format], { stdout: (s) => out.push(s), stderr: (s) => err.push(s), cwd: corpusRoot });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** The files a folder walk reads: `*.json`, `*.yaml`, `*.yml`, `*.template`, `*.tf`, `*.tfvars`, `*.tpl`, `*.tftpl`. */
function corpusJsonFiles(): string[] {
  return walk(corpusRoot).filter((f) => /\.(json|ya?ml|template|tf|tfvars|tpl|tftpl)$/i.test(f)).filter((f) => !path.relative(corpusRoot, f).split(path.sep).some((part) => SKIPPED_DIRS.has(part)));
}

test('corpus through the CLI: every .json, .yaml, .yml, .template, .tf, .tfvars, .tpl and .tftpl file is checked', skip, (t) => {
  const files = corpusJsonFiles();
  const { code, stdout, stderr } = run('text');
  assert.equal(stderr, '', 'nothing on stderr (unreadable files, usage errors)');
  assert.ok(code === 0 || code === 1, `exit code ${code}`);
  // Skipped: files with a policy not checked (two checkov fixtures hold policy blocks in HCL Terraform cannot parse).
  const summary = /(\d+) files? checked(?:, (\d+) skipped)?: (\d+) error\(s\), (\d+) warning\(s\), (\d+) info\./.exec(stdout);
  assert.ok(summary, 'the text output ends with the summary line');
  assert.equal(Number(summary[1]) + Number(summary[2] ?? 0), files.length, 'files checked and skipped = policy files of the corpus');
  t.diagnostic(`${files.length} files (${summary[2] ?? 0} skipped): ${summary[3]} errors, ${summary[4]} warnings, ${summary[5]} info`);
});

test('corpus through the CLI: JSON output is valid, ranges lie inside the files, no check crashed', skip, (t) => {
  const { code, stdout, stderr } = run('json');
  assert.equal(stderr, '');
  assert.ok(code === 0 || code === 1, `exit code ${code}`);
  const findings = JSON.parse(stdout) as OutputFinding[];
  assert.ok(Array.isArray(findings));
  assert.equal(code, findings.some((f) => f.severity === 'error') ? 1 : 0, 'exit code 1 exactly when an error is reported');
  const ids = new Set(allCheckMetadata().map((m) => m.id));
  const lines = new Map<string, string[]>();
  const bad: string[] = [];
  const crashed: string[] = [];
  const byCode = new Map<string, number>();
  for (const f of findings) {
    byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
    const where = `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.code}`;
    if (f.code === 'internal-error') crashed.push(`${where}: ${f.message}`);
    if (!ids.has(f.code)) bad.push(`${where}: unknown code`);
    if (!['error', 'warning', 'info', 'hint'].includes(f.severity)) bad.push(`${where}: severity ${f.severity}`);
    if (typeof f.message !== 'string' || !f.message) bad.push(`${where}: empty message`);
    const abs = path.resolve(corpusRoot, f.file);
    if (!lines.has(abs)) lines.set(abs, fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8').replace(/^\uFEFF/, '').split(/\r\n|\r|\n/) : []);
    const text = lines.get(abs)!;
    if (!text.length) { bad.push(`${where}: file not found`); continue; }
    const { start, end } = f.range;
    const inside = (p: { line: number; character: number }) => Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < text.length && p.character >= 0 && p.character <= text[p.line].length;
    if (!inside(start) || !inside(end)) bad.push(`${where}: range outside the file ${JSON.stringify(f.range)}`);
    else if (end.line < start.line || (end.line === start.line && end.character < start.character)) bad.push(`${where}: range ends before it starts`);
  }
  t.diagnostic(`${findings.length} findings: ${[...byCode].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`);
  assert.deepEqual(crashed, [], 'checks that failed on a corpus document');
  assert.deepEqual(bad, []);
});
