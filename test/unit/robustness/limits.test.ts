/**
 * Limits that make a crafted file cost bounded time: the size limit, nesting depth,
 * statement count and array length each give one `file-skipped` finding instead of a
 * check; a 10,000-statement policy (under the limits) is checked completely.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../server/src/cli/main';
import { checkText } from '../../../server/src/core/engine';
import { DEFAULT_PARSE_LIMITS } from '../../../server/src/core/json/jsonDocument';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { assertSaneFindings } from './assertions';

const statement = (i: number) => `{"Sid": "S${i}", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}`;
const policyOf = (statements: string[]) => `{"Version": "2012-10-17", "Statement": [\n${statements.join(',\n')}\n]}`;
const only = (findings: { checkId: string; span: { offset: number; length: number } }[]) => findings.map((f) => `${f.checkId}@${f.span.offset}+${f.span.length}`);

test('a file over the size limit: one file-skipped finding (engine, workspace, CLI)', () => {
  const text = policyOf(Array.from({ length: 40 }, (_, i) => statement(i)));
  assert.ok(text.length > 2048);
  assert.deepEqual(only(checkText('big.json', text, { maxFileSize: 2048 }).findings), ['file-skipped@0+0']);
  const ws = new Workspace({ maxFileSize: 2048 });
  ws.updateFile('/ws/big.json', text);
  assert.deepEqual(only(ws.findings('/ws/big.json')), ['file-skipped@0+0']);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-limits-'));
  try {
    fs.writeFileSync(path.join(dir, 'big.json'), text);
    fs.writeFileSync(path.join(dir, 'small.json'), policyOf([statement(1)]));
    let out = '';
    const code = runCli(['check', '.', '--format', 'json', '--max-file-size', '2048'], { stdout: (s) => { out += s; }, stderr: () => undefined, cwd: dir });
    const findings = JSON.parse(out) as { file: string; code: string }[];
    assert.deepEqual(findings.filter((f) => f.file === 'big.json').map((f) => f.code), ['file-skipped']);
    assert.ok(code === 0 || code === 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('nesting deeper than the limit: one file-skipped finding where the limit is passed', () => {
  const depth = DEFAULT_PARSE_LIMITS.maxDepth + 50;
  const text = `{"Version": "2012-10-17", "Statement": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
  const at = text.indexOf('[') + DEFAULT_PARSE_LIMITS.maxDepth - 1; // the object is level 1
  assert.deepEqual(only(checkText('deep.json', text).findings), [`file-skipped@${at}+1`]);
  // 100,000 levels: the same, and no stack overflow.
  const huge = `{"Statement": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
  assert.deepEqual(only(checkText('deeper.json', huge).findings).map((s) => s.split('@')[0]), ['file-skipped']);
});

test('more statements than the limit: one file-skipped finding at "Statement", no check runs', () => {
  const limits = { ...DEFAULT_PARSE_LIMITS, maxStatements: 50 };
  const over = policyOf(Array.from({ length: 51 }, (_, i) => statement(i % 3)));
  assert.deepEqual(only(checkText('many.json', over, { limits }).findings), [`file-skipped@${over.indexOf('"Statement"')}+11`]);
  // At the limit: checked (the repeated Sids are reported).
  const at = policyOf(Array.from({ length: 50 }, (_, i) => statement(i % 3)));
  const ids = checkText('many.json', at, { limits }).findings.map((f) => f.checkId);
  assert.ok(!ids.includes('file-skipped') && ids.includes('duplicate-sid'), ids.join());
});

test('an array longer than the limit: one file-skipped finding at that array', () => {
  const limits = { ...DEFAULT_PARSE_LIMITS, maxArrayItems: 100 };
  const actions = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => `kms:Decrypt${i}`));
  const over = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"kms:CallerAccount": ${actions(101)}}}}]}`;
  assert.deepEqual(only(checkText('long.json', over, { limits }).findings), [`file-skipped@${over.indexOf('["kms:Decrypt0"')}+1`]);
  const at = over.replace(actions(101), actions(100));
  assert.ok(!checkText('long.json', at, { limits }).findings.some((f) => f.checkId === 'file-skipped'));
});

test('a 10,000-statement key policy is checked completely, with exact findings', () => {
  const statements: string[] = [];
  const missing: [number, number][] = []; // offset and length of each statement without a principal
  let offset = '{"Version": "2012-10-17", "Statement": [\n'.length;
  for (let i = 0; i < 10_000; i++) {
    // Every 100th statement has no principal; every 1,000th repeats the Sid of the one before.
    const s = i % 100 === 99
      ? `{"Sid": "S${i}", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}`
      : statement(i % 1000 === 500 ? i - 1 : i);
    if (i % 100 === 99) missing.push([offset, s.length]);
    statements.push(s);
    offset += s.length + 2;
  }
  const text = policyOf(statements);
  // Where principal-missing points inside each such statement, from that statement alone.
  const expected = missing.map(([at], n) => {
    const s = statements[n * 100 + 99];
    const alone = policyOf([statement(0), s]);
    const f = checkText('one.json', alone).findings.filter((x) => x.checkId === 'principal-missing');
    assert.equal(f.length, 1);
    return [at + f[0].span.offset - alone.indexOf(s), f[0].span.length];
  });
  const result = checkText('key-policy.json', text);
  assertSaneFindings(result.findings, 'key-policy.json', text.length);
  const byId = (id: string) => result.findings.filter((f) => f.checkId === id);
  assert.deepEqual(byId('principal-missing').map((f) => [f.span.offset, f.span.length]), expected);
  assert.equal(byId('duplicate-sid').length, 10);
  assert.equal(byId('policy-too-large').length, 1);
  assert.equal(byId('file-skipped').length, 0);
  assert.equal(byId('internal-error').length, 0);
});
