/**
 * Issue 18, defect 3: the Problems panel shows one line of a message, and the editor shows a
 * finding above the hover of the word it is on. Every check's findings on the shipped examples
 * and on every folder of the corpus lead with one short sentence (what is wrong,
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
import { isSourceFileName, mayHoldPolicies } from '../../../server/src/core/sources/registry';
import { corpusMissing, corpusPath, corpusRoot, repoRoot, walk } from '../../support/corpus';
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

/** The first sentence: up to a full stop, or the question mark of a suggestion ("did you mean …?"). */
const firstSentence = (message: string) => /^.*?[.?](?= |$)/.exec(message)?.[0] ?? message;

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
    const why = badLead(finding);
    assert.equal(why, undefined, `${where} ${path.basename(file)} ${finding.checkId}: ${why}: ${firstSentence(finding.message)}`);
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

/**
 * The parsers' own messages (`json-syntax`, `yaml-syntax`) name what the parser expected at the
 * place of the finding ("Comma expected.", "Unterminated string."): there is no advice to add
 * beyond "write what it expected", so such a message may be one short sentence without a colon.
 * A parser message that does give advice has the colon shape like every other message.
 */
const PARSER_CHECKS = new Set(['json-syntax', 'yaml-syntax']);


function badLead(finding: Finding): string | undefined {
  const lead = firstSentence(finding.message);
  if (lead.length > FIRST_SENTENCE_MAX) return `the first sentence has ${lead.length} characters`;
  // What is wrong, a colon, then what to do (an imperative, lower case after the colon).
  if (/\S: [a-z][^]*[.?]$/.test(lead)) return undefined;
  if (PARSER_CHECKS.has(finding.checkId) && lead === finding.message && !lead.includes(': ')) return undefined;
  return 'the first sentence does not say what to do after a colon';
}

/** The files of a corpus folder the engine reads (as a folder walk does: by name, then by content). */
function corpusFolderFiles(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of walk(corpusPath(folder))) {
    if (!isSourceFileName(path.basename(f))) continue;
    const text = fs.readFileSync(f, 'utf8');
    if (mayHoldPolicies(f, text)) files[f] = text;
  }
  return files;
}

const CORPUS_FOLDERS = corpusMissing() ? [] : fs.readdirSync(corpusRoot, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

test('the corpus folders the message test reads', needs('corpus', corpusMissing()), () => {
  for (const folder of ['authorization-details', 'aws-managed', 'cloudformation', 'cross-account', 'kms-key-policies', 'linter-fixtures', 'terraform']) {
    assert.ok(CORPUS_FOLDERS.includes(folder), `corpus folder ${folder}`);
  }
});

for (const folder of CORPUS_FOLDERS) {
  test(`corpus ${folder}: every message leads with one short sentence saying what is wrong and what to do`, () => {
    const root = corpusPath(folder);
    const shown = findingsOf(`corpus ${folder}`, corpusFolderFiles(folder));
    assert.ok(shown.length > 0, `findings in corpus ${folder}`);
    const bad = shown.flatMap(({ file, finding }) => {
      const why = badLead(finding);
      return why ? [`${path.relative(root, file)} ${finding.checkId}: ${why}: ${firstSentence(finding.message)}`] : [];
    });
    assert.deepEqual(bad, []);
  });
}

test('corpus key policies: the KMS checks and the catalog checks both speak', needs('corpus', corpusMissing('kms-key-policies')), () => {
  const shown = findingsOf('corpus kms-key-policies', corpusFolderFiles('kms-key-policies'));
  for (const id of ['lockout-risk', 'public-key-policy', 'service-principal-without-source', 'kms-wildcard-action', 'key-policy-resource-not-star']) {
    assert.ok(shown.some((s) => s.finding.checkId === id), `a finding of ${id}`);
  }
});
