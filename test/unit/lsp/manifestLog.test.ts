/**
 * The Output channel's "Manifest loaded" line counts the manifest's problems: as many as the
 * findings the manifest gets, malformed JSON included (the parser's repeated errors at one
 * place are one finding, and so one problem).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerModel } from '../../../server/src/lsp/model';

const M = '/ws/policy-handshake.json';
const POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}';
const PRINCIPAL = '{ "arn": "arn:aws:iam::444455556666:role/App", "policies": ["b/*.json"] }';

/** The manifest read from disk after the policy its pattern matches: the log lines and the manifest's findings. */
function loaded(manifest: string, options = {}): { logged: string[]; findings: number } {
  const logged: string[] = [];
  const model = new ServerModel(new TextDocuments(TextDocument), options, () => undefined, (m) => logged.push(m));
  model.setDiskText('/ws/b/app.json', POLICY);
  model.setDiskText(M, manifest);
  return { logged, findings: model.workspace.findings(M).length };
}

const countIn = (line: string) => Number(/; (\d+) problems?\)/.exec(line)?.[1] ?? 0);

test('the manifest log line of a malformed manifest: a list left open is two problems, as it is two findings', () => {
  const { logged, findings } = loaded(`{\n  "accounts": { "444455556666": { "name": "workloads" } },\n  "principals": [ { "arn": "arn:aws:iam::444455556666:role/App", "policies": ["b/*.json" } ]\n}`);
  assert.equal(findings, 2);
  assert.deepEqual(logged, [`Manifest loaded: ${M} (1 account, 0 keys, 1 principal, 0 templates; 2 problems); it governs its folder and below.`]);
});

test('the manifest log line counts what the manifest\'s findings are, whatever is wrong with it', () => {
  const manifests = {
    'an unclosed object': `{\n  "accounts": { "444455556666": { "name": "workloads" } },\n  "principals": [${PRINCIPAL}]\n`,
    'a missing comma': `{\n  "accounts": { "444455556666": { "name": "workloads" } }\n  "principals": [${PRINCIPAL}]\n}`,
    'a trailing comma': `{\n  "accounts": { "444455556666": { "name": "workloads", } },\n  "principals": [${PRINCIPAL}]\n}`,
    'an unclosed list': `{\n  "accounts": { "444455556666": { "name": "workloads" } },\n  "principals": [ { "arn": "arn:aws:iam::444455556666:role/App", "policies": ["b/*.json" } ]\n}`,
    'a comma missing, a schema error and a key given twice': `{\n  "accounts": { "4444": { "name": "workloads" }, "4444": { "name": "x" } }\n  "principals": [${PRINCIPAL}]\n}`,
    'well formed, two schema errors': `{\n  "accounts": { "4444": { "name": 1 } },\n  "principals": [${PRINCIPAL}]\n}`,
    'well formed, nothing wrong': `{\n  "principals": [${PRINCIPAL}]\n}`,
  };
  for (const [what, text] of Object.entries(manifests)) {
    const { logged, findings } = loaded(text);
    assert.equal(logged.length, 1, what);
    assert.equal(countIn(logged[0]), findings, `${what}: ${logged[0]}`);
  }
  // A check turned off reports nothing, and the line counts nothing.
  const off = loaded(manifests['an unclosed list'], { severities: { 'json-syntax': 'off' } });
  assert.equal(off.findings, 0);
  assert.equal(countIn(off.logged[0]), 0, off.logged[0]);
});
