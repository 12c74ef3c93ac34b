/**
 * Multi-file fixtures for the handshake: every file's text carries `«check-id:` … `»`
 * markers (see test/support/fixture.ts); the workspace is built from all files and each
 * file's findings (filtered) must equal its marked ranges exactly.
 */
import * as assert from 'node:assert/strict';
import type { Finding, Fix } from '../../../server/src/core/findings';
import { LineIndex } from '../../../server/src/core/positions';
import { Workspace, type WorkspaceOptions } from '../../../server/src/core/workspace/workspace';
import { applyEdits, assertKnownCheckIds, assertReadable, parseMarkers } from '../../support/fixture';

export const HANDSHAKE_IDS = [
  'root-principal-without-grant',
  'external-account-undescribed',
  'root-principal-broader-than-grants',
  'external-principal-without-grant',
  'cross-account-action-ineffective',
  'iam-grant-without-key-trust',
  'iam-grant-exceeds-key-policy',
  'manifest',
];

export interface Scenario {
  ws: Workspace;
  /** File texts without markers. */
  texts: Record<string, string>;
}

export function buildWorkspace(files: Record<string, string>, options: WorkspaceOptions = {}): Scenario {
  const ws = new Workspace(options);
  const texts: Record<string, string> = {};
  for (const [path, marked] of Object.entries(files)) {
    assertReadable(path);
    texts[path] = parseMarkers(marked).text;
    ws.updateFile(path, texts[path]);
  }
  return { ws, texts };
}

function describe(text: string, f: { checkId: string; offset: number; end: number }): string {
  const idx = new LineIndex(text);
  const s = idx.position(f.offset);
  const e = idx.position(f.end);
  return `${f.checkId} ${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1} ${JSON.stringify(text.slice(f.offset, Math.min(f.end, f.offset + 50)))}`;
}

/** Compare one file's findings with its markers. */
export function assertFindings(ws: Workspace, path: string, marked: string, only: string[] = HANDSHAKE_IDS): Finding[] {
  const { text, expected } = parseMarkers(marked);
  assertKnownCheckIds([...only, ...expected.map((e) => e.checkId)]);
  // A check that throws is never expected: internal-error counts whatever `only` says.
  const keep = (f: { checkId: string }) => only.includes(f.checkId) || f.checkId === 'internal-error';
  const findings = ws.findings(path).filter(keep);
  const actual = findings.map((f) => describe(text, { checkId: f.checkId, offset: f.span.offset, end: f.span.offset + f.span.length })).sort();
  assert.deepEqual(actual, expected.filter(keep).map((e) => describe(text, e)).sort(), `findings of ${path}`);
  return findings;
}

/** Build the workspace from marked files and check every file's findings. */
export function expectWorkspace(files: Record<string, string>, options: WorkspaceOptions & { only?: string[] } = {}): Scenario {
  const s = buildWorkspace(files, options);
  for (const [path, marked] of Object.entries(files)) assertFindings(s.ws, path, marked, options.only);
  return s;
}

/** One finding of a file by check id (fails unless there is exactly one). */
export function single(ws: Workspace, path: string, checkId: string): Finding {
  assertKnownCheckIds([checkId]);
  const list = ws.findings(path).filter((f) => f.checkId === checkId);
  assert.equal(list.length, 1, `${checkId} findings in ${path}: ${list.map((f) => f.message).join(' | ')}`);
  return list[0];
}

export const A = '111122223333';
export const B = '444455556666';
export const C = '777788889999';
export const KEY = `arn:aws:kms:us-west-2:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const OTHER_KEY = `arn:aws:kms:us-west-2:${A}:key/0987dcba-09fe-87dc-65ba-ab0987654321`;

/** A manifest for the usual two accounts: the key policy at keys/key.json, principals as given. */
export function manifest(principals: Record<string, string[]>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    accounts: { [A]: { name: 'security' }, [B]: { name: 'workloads' }, [C]: { name: 'analytics' } },
    keys: [{ policy: 'keys/key.json', arn: KEY }],
    principals: Object.entries(principals).map(([arn, policies]) => ({ arn, policies })),
    ...extra,
  }, null, 2);
}

export const ROOT_STATEMENT = `{"Sid": "Own", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${A}:root"}, "Action": "kms:*", "Resource": "*"}`;

/** A key policy with the own-account statement and the given statements. */
export function keyPolicy(...statements: string[]): string {
  return `{
  "Version": "2012-10-17",
  "Statement": [
    ${[ROOT_STATEMENT, ...statements].join(',\n    ')}
  ]
}`;
}

/** An identity policy with the given statements. */
export function identityPolicy(...statements: string[]): string {
  return `{
  "Version": "2012-10-17",
  "Statement": [
    ${statements.join(',\n    ')}
  ]
}`;
}

export const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

/** Apply every change of a fix to the workspace (`file` is the finding's own file). */
export function applyFix(ws: Workspace, file: string, fix: Fix): void {
  for (const change of fix.changes) {
    const target = change.file ?? file;
    const before = change.create && !ws.hasFile(target) ? '' : ws.text(target) ?? '';
    ws.updateFile(target, applyEdits(before, change.edits));
  }
}

/** The findings of some check ids in a file, as `id "text under the range"`, in file order. */
export function findingTexts(s: Scenario, path: string, ids: string[]): string[] {
  assertKnownCheckIds(ids);
  const text = s.ws.text(path) ?? '';
  return s.ws.findings(path).filter((f) => ids.includes(f.checkId)).sort((a, b) => a.span.offset - b.span.offset)
    .map((f) => `${f.checkId} ${text.slice(f.span.offset, f.span.offset + f.span.length)}`);
}
