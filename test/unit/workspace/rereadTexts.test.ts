/**
 * With `readText` (as the server runs it), the workspace keeps no text of a file whose tree it
 * does not keep: it reads the text again when a finding's place, a fix or a feature needs it.
 * Findings, fixes and texts must be those of a workspace that keeps everything, after its
 * findings are let go of (`releaseFindings`, as the server does once they are published) and
 * after a file that keeps no text changes.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../../../server/src/core/findings';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { repoRoot, walk } from '../../support/corpus';

const DIR = path.join(repoRoot, 'examples', 'cross-account');
const KEY_POLICY = path.join(DIR, 'security', 'keys', 'app-data.json');
const GRANT = path.join(DIR, 'workloads', 'roles', 'app-reader', 'use-app-data-key.json');

/** The example's files as a disk the reading workspace reads again from, counting reads. */
function setUp() {
  const disk = new Map(walk(DIR, '.json').map((p) => [p, fs.readFileSync(p, 'utf8')]));
  const reads: string[] = [];
  const lean = new Workspace({ readText: (p) => { reads.push(p); return disk.get(p); } });
  const full = new Workspace({ keepParseTrees: true });
  const files = [...disk].map(([p, text]) => ({ path: p, text }));
  lean.updateFiles(files);
  full.updateFiles(files);
  return { disk, reads, lean, full, paths: [...disk.keys()] };
}

/** Findings with their fixes made (fixes are made on first read, from the documents' texts). */
function withFixes(findings: Finding[]): unknown[] {
  return findings.map((f) => ({ ...f, fixes: f.fixes }));
}

function assertSame(lean: Workspace, full: Workspace, paths: string[]): number {
  let n = 0;
  for (const p of paths) {
    assert.deepEqual(withFixes(lean.findings(p)), withFixes(full.findings(p)), `findings of ${p}`);
    assert.equal(lean.text(p), full.text(p), `text of ${p}`);
    n += full.findings(p).length;
  }
  return n;
}

test('files whose tree is not kept keep no text: it is read again, and findings, fixes and texts are the same', () => {
  const { reads, lean, full, paths } = setUp();
  // Reading the files read nothing again.
  assert.equal(reads.length, 0);
  const findings = assertSame(lean, full, paths);
  assert.ok(findings > 0);
  // The identity policy is read again (its text is asked for); the key policy and the manifest keep theirs.
  assert.ok(reads.includes(GRANT), reads.join(', '));
  assert.ok(!reads.includes(KEY_POLICY));
  assert.ok(!reads.includes(path.join(DIR, 'policy-handshake.json')));
  const key = lean.findings(KEY_POLICY);
  assert.ok(key.some((f) => f.checkId === 'root-principal-broader-than-grants' || f.checkId === 'root-principal-without-grant'), key.map((f) => f.checkId).join(', '));
});

test('findings let go of after publishing are made again the same', () => {
  const { lean, full, paths } = setUp();
  const before = paths.map((p) => withFixes(lean.findings(p)));
  for (const p of paths) lean.releaseFindings(p);
  assert.equal(lean.stats().analysesKept, 0);
  assert.deepEqual(paths.map((p) => withFixes(lean.findings(p))), before);
  assertSame(lean, full, paths);
});

test('a file that keeps no text, changed on disk and given again: its facts and the key policy\'s findings follow', () => {
  const { disk, reads, lean, full, paths } = setUp();
  for (const p of paths) lean.findings(p);
  const keyBefore = lean.findings(KEY_POLICY).map((f) => f.message);
  // The role's grant is taken away: the key policy's trust of the workloads account is no longer matched for it.
  const changed = disk.get(GRANT)!.replace('"kms:Decrypt",', '').replace('"kms:DescribeKey"', '"s3:GetObject"');
  assert.notEqual(changed, disk.get(GRANT));
  disk.set(GRANT, changed);
  const affected = lean.updateFile(GRANT, changed);
  full.updateFile(GRANT, changed);
  assert.ok(affected.includes(KEY_POLICY), affected.join(', '));
  reads.length = 0;
  assert.equal(lean.text(GRANT), changed);
  assertSame(lean, full, paths);
  assert.notDeepEqual(lean.findings(KEY_POLICY).map((f) => f.message), keyBefore);
});

test('every file\'s findings, with the lines of their related places, read no text again; a changed file\'s lines follow its new text', () => {
  const { disk, reads, lean, full, paths } = setUp();
  const lines = (ws: Workspace) => paths.flatMap((p) => ws.findings(p).flatMap((f) => (f.related ?? []).map((r) => `${r.file}:${ws.lineOf(r.file, r.span.offset)}`)));
  const before = lines(lean);
  // Findings (messages labelling places by line) and their related places' lines: no read. Their
  // fixes are not read here (they are made when read, from the policies' texts).
  const plain = (f: Finding) => [f.checkId, f.severity, f.message, f.span, f.related];
  for (const p of paths) assert.deepEqual(lean.findings(p).map(plain), full.findings(p).map(plain), `findings of ${p}`);
  assert.deepEqual(before, lines(full));
  assert.ok(before.some((l) => l.startsWith(`${GRANT}:`)), before.join('\n'));
  assert.deepEqual(reads, []);
  // The grant's file keeps its lines, not its text.
  assert.ok(lean.packedLines(GRANT));
  assert.equal(lean.packedLines(KEY_POLICY), undefined);
  // Three lines more at the top of the grant's file: the lines of its statements' places move by
  // three (a place at the start of the file, where something was searched, stays).
  const grantLine = (ws: Workspace) => ws.findings(KEY_POLICY).flatMap((f) => f.related ?? []).filter((r) => r.file === GRANT && r.span.offset > 3).map((r) => ws.lineOf(GRANT, r.span.offset)!);
  const was = grantLine(lean);
  assert.ok(was.length > 0);
  const moved = '\n\n\n' + disk.get(GRANT)!;
  disk.set(GRANT, moved);
  lean.updateFile(GRANT, moved);
  full.updateFile(GRANT, moved);
  assert.deepEqual(grantLine(lean), was.map((l) => l + 3));
  assert.deepEqual(grantLine(lean), grantLine(full));
  assert.deepEqual(reads, []);
});
