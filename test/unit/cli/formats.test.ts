/**
 * The places a finding refers to (related information) in every output format: `related` in
 * JSON, `relatedLocations` in SARIF, indented lines in text; and SARIF artifact URIs relative
 * to the working folder inside it, absolute `file://` URIs outside it. The SARIF is checked
 * against the parts of the 2.1.0 schema it uses (the schema itself is not kept here).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../support/corpus';
import { runIn } from '../../support/cli';

const ROLE = 'examples/cross-account/workloads/roles/app-reader/use-app-data-key.json';
const EXPORT = 'examples/cross-account/workloads/exports/authorization-details.json';
const KEY = 'examples/cross-account/security/keys/app-data.json';
const line = (l: number, from: number, to: number) => ({ start: { line: l, character: from }, end: { line: l, character: to } });

test('JSON: each finding\'s related places, with file and range as the finding\'s', () => {
  const run = runIn(repoRoot, 'check', 'examples/cross-account', '--format', 'json');
  const findings = JSON.parse(run.stdout) as { file: string; code: string; related?: unknown }[];
  assert.deepEqual(findings.map((f) => [f.file, f.code]), [[KEY, 'root-principal-broader-than-grants'], [KEY, 'root-principal-without-grant']]);
  // The Resource strings of the two grants.
  assert.deepEqual(findings[0].related, [
    { file: ROLE, range: line(10, 18, 95), message: 'Grant of role/AppReader' },
    { file: EXPORT, range: line(36, 28, 62), message: 'Grant of role/DataPipeline' },
  ]);
  assert.deepEqual(findings[1].related, [
    { file: EXPORT, range: line(0, 0, 0), message: 'Searched: no IAM grant of the trusted actions on this key' },
    { file: ROLE, range: line(0, 0, 0), message: 'Searched: no IAM grant of the trusted actions on this key' },
    { file: 'examples/cross-account/workloads/roles/report-builder/read-reports.json', range: line(0, 0, 0), message: 'Searched: no IAM grant of the trusted actions on this key' },
  ]);
});

test('JSON: a finding without related places has no related property', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-json-'));
  try {
    fs.writeFileSync(path.join(dir, 'p.json'), '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decryptt", "Resource": "*"}]}');
    assert.deepEqual(JSON.parse(runIn(dir, 'check', 'p.json', '--format', 'json').stdout), [
      { file: 'p.json', range: line(0, 75, 83), severity: 'error', code: 'unknown-action', message: 'Unknown action "Decryptt" in kms: did you mean "Decrypt"?' },
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('text: the related places under their finding, as file:line:column: message', () => {
  const run = runIn(repoRoot, 'check', 'examples/cross-account');
  assert.deepEqual(run.stdout.split('\n').slice(1, 3), [
    `    ${ROLE}:11:19: Grant of role/AppReader`,
    `    ${EXPORT}:37:29: Grant of role/DataPipeline`,
  ]);
});

interface SarifLocation { id?: number; physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> }; message?: { text: string } }
interface SarifResult { ruleId: string; ruleIndex?: number; level: string; message: { text: string }; locations: SarifLocation[]; relatedLocations?: SarifLocation[] }
interface SarifLog { version: string; runs: { tool: { driver: { name: string; rules: { id: string }[] } }; originalUriBaseIds?: Record<string, { uri: string }>; columnKind: string; results: SarifResult[] }[] }

/** What SARIF 2.1.0 asks of the objects the CLI writes: known properties only, required ones present, values of their type. */
function sarifProblems(log: SarifLog): string[] {
  const problems: string[] = [];
  const only = (what: string, o: object, allowed: string[]) => {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.push(`${what}: unknown property ${k}`);
  };
  const location = (what: string, l: SarifLocation) => {
    only(what, l, ['id', 'physicalLocation', 'message']);
    if (l.id !== undefined && (!Number.isInteger(l.id) || l.id < -1)) problems.push(`${what}: id ${l.id}`);
    only(`${what}.physicalLocation`, l.physicalLocation, ['artifactLocation', 'region']);
    const a = l.physicalLocation.artifactLocation;
    only(`${what}.artifactLocation`, a, ['uri', 'uriBaseId']);
    if (typeof a.uri !== 'string' || /\s/.test(a.uri)) problems.push(`${what}: uri ${a.uri}`);
    if (a.uriBaseId !== undefined && !log.runs[0].originalUriBaseIds?.[a.uriBaseId]) problems.push(`${what}: uriBaseId ${a.uriBaseId} not in originalUriBaseIds`);
    const r = l.physicalLocation.region;
    only(`${what}.region`, r, ['startLine', 'startColumn', 'endLine', 'endColumn']);
    for (const v of Object.values(r)) if (!Number.isInteger(v) || v < 1) problems.push(`${what}: region ${JSON.stringify(r)}`);
    if (l.message !== undefined) only(`${what}.message`, l.message, ['text']);
  };
  if (log.version !== '2.1.0') problems.push(`version ${log.version}`);
  for (const run of log.runs) {
    only('run', run, ['tool', 'originalUriBaseIds', 'columnKind', 'results']);
    for (const [id, base] of Object.entries(run.originalUriBaseIds ?? {})) if (!base.uri.endsWith('/')) problems.push(`originalUriBaseIds.${id}: ${base.uri} does not end with /`);
    run.results.forEach((res, i) => {
      only(`result ${i}`, res, ['ruleId', 'ruleIndex', 'level', 'message', 'locations', 'relatedLocations']);
      if (!['none', 'note', 'warning', 'error'].includes(res.level)) problems.push(`result ${i}: level ${res.level}`);
      if (res.ruleIndex !== undefined && run.tool.driver.rules[res.ruleIndex]?.id !== res.ruleId) problems.push(`result ${i}: ruleIndex`);
      res.locations.forEach((l, j) => location(`result ${i} location ${j}`, l));
      const ids = (res.relatedLocations ?? []).map((l) => l.id);
      if (new Set(ids).size !== ids.length) problems.push(`result ${i}: related location ids repeat`);
      (res.relatedLocations ?? []).forEach((l, j) => location(`result ${i} related ${j}`, l));
    });
  }
  return problems;
}

test('SARIF: related locations with their message and region; URIs relative to the working folder inside it', () => {
  const run = runIn(repoRoot, 'check', 'examples/cross-account', '--format', 'sarif');
  const log = JSON.parse(run.stdout) as SarifLog;
  assert.deepEqual(sarifProblems(log), []);
  assert.deepEqual(log.runs[0].originalUriBaseIds, { '%SRCROOT%': { uri: pathToFileURL(repoRoot).href + '/' } });
  const first = log.runs[0].results[0];
  assert.deepEqual(first.locations, [{ physicalLocation: { artifactLocation: { uri: KEY, uriBaseId: '%SRCROOT%' }, region: { startLine: 15, startColumn: 29, endLine: 15, endColumn: 61 } } }]);
  assert.deepEqual(first.relatedLocations, [
    { id: 0, physicalLocation: { artifactLocation: { uri: ROLE, uriBaseId: '%SRCROOT%' }, region: { startLine: 11, startColumn: 19, endLine: 11, endColumn: 96 } }, message: { text: 'Grant of role/AppReader' } },
    { id: 1, physicalLocation: { artifactLocation: { uri: EXPORT, uriBaseId: '%SRCROOT%' }, region: { startLine: 37, startColumn: 29, endLine: 37, endColumn: 63 } }, message: { text: 'Grant of role/DataPipeline' } },
  ]);
  assert.equal(log.runs[0].results[1].relatedLocations?.length, 3);
});

test('SARIF: files outside the working folder by absolute file:// URIs, without a base', () => {
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-elsewhere-'));
  const run = runIn(elsewhere, 'check', path.join(repoRoot, 'examples', 'cross-account'), '--format', 'sarif');
  fs.rmSync(elsewhere, { recursive: true, force: true });
  const log = JSON.parse(run.stdout) as SarifLog;
  assert.deepEqual(sarifProblems(log), []);
  const first = log.runs[0].results[0];
  assert.deepEqual(first.locations[0].physicalLocation.artifactLocation, { uri: pathToFileURL(path.join(repoRoot, KEY)).href });
  assert.deepEqual(first.relatedLocations?.map((l) => l.physicalLocation.artifactLocation), [
    { uri: pathToFileURL(path.join(repoRoot, ROLE)).href },
    { uri: pathToFileURL(path.join(repoRoot, EXPORT)).href },
  ]);
  assert.match(first.locations[0].physicalLocation.artifactLocation.uri, /^file:\/\/\/.*\/examples\/cross-account\/security\/keys\/app-data\.json$/);
});

test('SARIF: path segments are URI-encoded', () => {
  // A file named with a space and a #, checked from its folder's parent.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-sarif-'));
  try {
    fs.mkdirSync(path.join(dir, 'my keys'));
    fs.writeFileSync(path.join(dir, 'my keys', 'a#1.json'), '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decryptt", "Resource": "*"}]}');
    const log = JSON.parse(runIn(dir, 'check', '.', '--format', 'sarif').stdout) as SarifLog;
    assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'my%20keys/a%231.json', uriBaseId: '%SRCROOT%' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
