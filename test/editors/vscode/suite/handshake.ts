/**
 * The handshake in VS Code, on a copy of examples/cross-account as the workspace: the key
 * policy of account A (security) and the IAM policies of account B (workloads) are checked
 * together, a narrowing quick-fix rewrites A's principal, and an unsaved edit of B's policy
 * changes A's findings.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  activateExtension, applyCodeAction, diagnosticCode, expectMarkedDiagnostics, openMarkedPolicy, openWrittenDocument, quickFixes,
  waitForDiagnostics, workspaceUri, type OpenedPolicy,
} from '../support/editor';
import { cleanEditedWorkspace, replaceText } from '../support/edits';
import { copyExample, exampleText } from '../support/examples';

const EXAMPLE = 'cross-account';
const KEY_POLICY = 'security/keys/app-data.json';
const APP_READER_POLICY = 'workloads/roles/app-reader/use-app-data-key.json';
const AUTHORIZATION_DETAILS = 'workloads/exports/authorization-details.json';
const WORKLOADS_ROOT = '"arn:aws:iam::444455556666:root"';
const APP_READER = 'arn:aws:iam::444455556666:role/AppReader';
const DATA_PIPELINE = 'arn:aws:iam::444455556666:role/DataPipeline';
const BROADER = 'root-principal-broader-than-grants';
const WITHOUT_GRANT = 'root-principal-without-grant';

/** Mark the n-th occurrence (0-based) of `needle` in `text` as an expected diagnostic. */
function mark(text: string, needle: string, n: number, code: string): string {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `occurrence ${n} of ${needle} not found`);
  }
  return `${text.slice(0, at)}«${code}:${needle}»${text.slice(at + needle.length)}`;
}

/**
 * The example in the workspace and its key policy open, with the findings the example's
 * README describes: the crypto statement's workloads root is broader than the grants, the
 * grant statement's has no grant at all.
 */
async function openExampleKeyPolicy(): Promise<{ policy: OpenedPolicy; original: string; broader: vscode.Diagnostic }> {
  // The key policy is written by openMarkedPolicy, with its expected findings marked.
  await copyExample(EXAMPLE, [KEY_POLICY]);
  const original = await exampleText(EXAMPLE, KEY_POLICY);
  // Marked from the last occurrence back, so that earlier offsets stay put.
  const marked = mark(mark(original, WORKLOADS_ROOT, 1, WITHOUT_GRANT), WORKLOADS_ROOT, 0, BROADER);
  const policy = await openMarkedPolicy(KEY_POLICY, marked);
  assert.strictEqual(policy.doc.getText(), original);
  // The example's files reach the server one by one: wait until both grants of B are found,
  // in B's role policy and in B's authorization details.
  const grantFiles = [AUTHORIZATION_DETAILS, APP_READER_POLICY].sort();
  const isSettled = (d: vscode.Diagnostic) => diagnosticCode(d) === BROADER && JSON.stringify(relatedFiles(d)) === JSON.stringify(grantFiles);
  const settled = await waitForDiagnostics(policy.doc.uri, (ds) => ds.some(isSettled));
  assert.ok(settled.some(isSettled), `the grants of B were not all found: ${JSON.stringify(settled.map((d) => [diagnosticCode(d), relatedFiles(d)]))}`);
  const seen = await expectMarkedDiagnostics(policy, [BROADER, WITHOUT_GRANT]);
  const broader = seen.find((d) => diagnosticCode(d) === BROADER)!;
  assert.deepStrictEqual(relatedFiles(broader), grantFiles);
  return { policy, original, broader };
}

function relatedFiles(d: vscode.Diagnostic): string[] {
  return [...new Set((d.relatedInformation ?? []).map((r) => vscode.workspace.asRelativePath(r.location.uri)))].sort();
}

async function preferredFix(uri: vscode.Uri, d: vscode.Diagnostic): Promise<vscode.CodeAction> {
  const fixes = await quickFixes(uri, d);
  const preferred = fixes.filter((f) => f.isPreferred);
  assert.strictEqual(preferred.length, 1, `preferred fixes among: ${fixes.map((f) => `${f.title}${f.isPreferred ? ' (preferred)' : ''}`).join('; ')}`);
  return preferred[0];
}

/** The key policy's statements, parsed. */
function statements(doc: vscode.TextDocument): { Sid: string; Principal: { AWS: unknown } }[] {
  return JSON.parse(doc.getText()).Statement;
}

describe('the handshake in VS Code (examples/cross-account)', () => {
  before(activateExtension);
  afterEach(cleanEditedWorkspace);

  it('narrows a root principal to the roles with grants (narrow-root-to-role)', async () => {
    const { policy, original, broader } = await openExampleKeyPolicy();
    await applyCodeAction(await preferredFix(policy.doc.uri, broader));
    const expected = JSON.parse(original);
    expected.Statement[1].Principal.AWS = [APP_READER, DATA_PIPELINE];
    assert.deepStrictEqual(JSON.parse(policy.doc.getText()), expected);

    // The grant statement keeps its root principal (now the only one) and its warning.
    const root = policy.doc.getText().indexOf(WORKLOADS_ROOT);
    const remaining = new vscode.Range(policy.doc.positionAt(root), policy.doc.positionAt(root + WORKLOADS_ROOT.length));
    const after = await waitForDiagnostics(policy.doc.uri, (ds) => !ds.some((d) => diagnosticCode(d) === BROADER));
    const codes = after.filter((d) => [BROADER, WITHOUT_GRANT].includes(diagnosticCode(d) ?? '')).map((d) => [diagnosticCode(d), d.range]);
    assert.deepStrictEqual(codes, [[WITHOUT_GRANT, remaining]]);
  });

  it('refreshes the key policy when the role policy of the other account is edited, unsaved', async () => {
    const { policy, broader } = await openExampleKeyPolicy();

    // AppReader's policy now names another key: it no longer grants anything on this one.
    const roleDoc = await openWrittenDocument(workspaceUri(APP_READER_POLICY), await exampleText(EXAMPLE, APP_READER_POLICY));
    await vscode.window.showTextDocument(roleDoc);
    await replaceText(roleDoc, 'key/1234abcd-12ab-34cd-56ef-1234567890ab', 'key/0000aaaa-00aa-00aa-00aa-000000000000');
    assert.ok(roleDoc.isDirty);

    const changed = await waitForDiagnostics(policy.doc.uri, (ds) => ds.some((d) => diagnosticCode(d) === BROADER && !relatedFiles(d).includes(APP_READER_POLICY)));
    const now = changed.find((d) => diagnosticCode(d) === BROADER);
    assert.ok(now, `${BROADER} is gone from ${KEY_POLICY}`);
    assert.deepStrictEqual(relatedFiles(now), [AUTHORIZATION_DETAILS]);
    assert.ok(now.range.isEqual(broader.range));
    assert.ok(changed.some((d) => diagnosticCode(d) === WITHOUT_GRANT));

    // Only DataPipeline has a grant left: the preferred fix narrows to it alone.
    await applyCodeAction(await preferredFix(policy.doc.uri, now));
    assert.deepStrictEqual(statements(policy.doc)[1].Principal.AWS, DATA_PIPELINE);
  });
});
