/**
 * Issue 18, defect 3: the Problems panel shows one line of a message, and the editor shows a
 * finding above the hover of the word it is on. Every check's findings on the shipped examples
 * and on the corpus's cross-account scenarios lead with one short sentence (what is wrong,
 * then what to do after a colon), and the hover on each handshake finding fits one screen
 * without saying again what the finding says.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../../../server/src/core/findings';
import { hoverAt } from '../../../server/src/core/features/hover';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { corpusMissing, corpusPath, repoRoot, walk } from '../../support/corpus';
import { withHclParser } from '../../support/hcl';
import { needs } from '../../support/needs';
import { CORPUS_SCENARIOS } from './corpusScenarios';
import { HANDSHAKE_IDS } from './workspaceFixture';

withHclParser();

/** What the Problems panel shows of a message on one line of a usual width. */
const FIRST_SENTENCE_MAX = 120;
/** A hover that fits one screen of the editor (as the markdown it is written in). */
const HOVER_MAX_CHARS = 900;
const HOVER_MAX_LINES = 12;

const firstSentence = (message: string) => /^.*?\.(?= |$)/.exec(message)?.[0] ?? message;

interface Shown { where: string; file: string; finding: Finding; ws: Workspace }

function findingsOf(where: string, files: Record<string, string>): Shown[] {
  const ws = new Workspace();
  ws.updateFiles(Object.entries(files).map(([file, text]) => ({ path: file, text })));
  return Object.keys(files).flatMap((file) => ws.findings(file).map((finding) => ({ where, file, finding, ws })));
}

function exampleFindings(): Shown[] {
  const root = path.join(repoRoot, 'examples');
  return fs.readdirSync(root).sort().flatMap((example) => {
    const files = walk(path.join(root, example)).filter((f) => !f.endsWith('.md'));
    return findingsOf(`examples/${example}`, Object.fromEntries(files.map((f) => [f, fs.readFileSync(f, 'utf8')])));
  });
}

const corpusFindings = () => Object.entries(CORPUS_SCENARIOS).flatMap(([name, files]) => findingsOf(`corpus ${name}`, files()));

function assertLeads(shown: Shown[]): void {
  for (const { where, file, finding } of shown) {
    const lead = firstSentence(finding.message);
    const at = `${where} ${path.basename(file)} ${finding.checkId}`;
    assert.ok(lead.length <= FIRST_SENTENCE_MAX, `${at}: the first sentence has ${lead.length} characters: ${lead}`);
    // What is wrong, a colon, then what to do (an imperative, lower case after the colon).
    assert.match(lead, /\S: [a-z][^]*\.$/, `${at}: the first sentence does not say what to do after a colon: ${lead}`);
  }
}

function assertHovers(shown: Shown[]): void {
  for (const { where, file, finding, ws } of shown) {
    if (!HANDSHAKE_IDS.includes(finding.checkId)) continue;
    const hover = hoverAt(ws, file, finding.span.offset + 1);
    if (!hover) continue;
    const at = `${where} ${path.basename(file)} ${finding.checkId}`;
    const lines = hover.markdown.split('\n').filter((l) => l.trim());
    assert.ok(hover.markdown.length <= HOVER_MAX_CHARS, `${at}: the hover has ${hover.markdown.length} characters:\n${hover.markdown}`);
    assert.ok(lines.length <= HOVER_MAX_LINES, `${at}: the hover has ${lines.length} lines:\n${hover.markdown}`);
    // The finding (shown above the hover) says what has no effect and why: the hover does not say it again.
    assert.doesNotMatch(hover.markdown, /no effect|does not trust|No principal of the account has an IAM grant/, `${at}: the hover repeats the finding:\n${hover.markdown}`);
  }
}

test('examples: every message leads with one short sentence saying what is wrong and what to do', () => {
  const shown = exampleFindings();
  // The examples show the handshake findings of both sides (the test is not vacuous).
  assert.deepEqual([...new Set(shown.map((s) => s.finding.checkId))].sort(), [
    'iam-grant-exceeds-key-policy', 'iam-grant-without-key-trust', 'root-principal-broader-than-grants', 'root-principal-without-grant',
  ]);
  assertLeads(shown);
});

test('examples: the hover on each handshake finding fits one screen and does not repeat the finding', () => {
  assertHovers(exampleFindings());
});

const skip = needs('corpus', corpusMissing('cross-account'));

test('corpus cross-account scenarios: every message leads with one short sentence saying what is wrong and what to do', skip, () => {
  const shown = corpusFindings();
  assert.deepEqual([...new Set(shown.map((s) => s.finding.checkId))].sort(), [
    'external-principal-without-grant', 'iam-grant-exceeds-key-policy', 'iam-grant-without-key-trust', 'redundant-action',
    'root-principal-broader-than-grants', 'root-principal-without-grant', 'unscoped-role-permission',
  ]);
  assertLeads(shown);
});

test('corpus cross-account scenarios: the hover on each handshake finding fits one screen and does not repeat the finding', skip, () => {
  assertHovers(corpusFindings());
});

test('corpus key policies: every message\'s first sentence fits the Problems panel\'s line', needs('corpus', corpusMissing('kms-key-policies')), () => {
  const root = corpusPath('kms-key-policies');
  const files = walk(root).filter((f) => /\.(json|ya?ml)$/.test(f));
  const shown = findingsOf('corpus kms-key-policies', Object.fromEntries(files.map((f) => [f, fs.readFileSync(f, 'utf8')])));
  // The KMS checks and the catalog checks both speak here.
  for (const id of ['lockout-risk', 'public-key-policy', 'service-principal-without-source', 'kms-wildcard-action', 'key-policy-resource-not-star']) {
    assert.ok(shown.some((s) => s.finding.checkId === id), `a finding of ${id}`);
  }
  const long = shown.map((s) => `${path.relative(root, s.file)} ${s.finding.checkId}: ${firstSentence(s.finding.message)}`).filter((l) => l.slice(l.indexOf(': ') + 2).length > FIRST_SENTENCE_MAX);
  assert.deepEqual(long, []);
});
