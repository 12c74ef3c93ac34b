#!/usr/bin/env node
/** `policy-handshake check [paths…] [--format text|json|sarif] [--manifest FILE]` */
import * as path from 'path';
import { analyzeFiles, type SourceFile } from '../core/analyze';
import { MANIFEST_NAME } from '../core/workspace/manifest';
import { DEFAULT_MAX_FILE_SIZE, type FileResult } from '../core/engine';
import { collectFiles, readText } from './files';
import { formatJson, formatSarif, formatText, toOutputFindings } from './format';
import { tuneHeap } from '../runtime/heap';
import { loadHclParser } from '../runtime/hclParser';
import { installCatalogFiles } from '../runtime/catalogFiles';

// The catalog reads its data from disk through the reader installed here (the core does no I/O).
installCatalogFiles();

declare const POLICY_HANDSHAKE_VERSION: string | undefined;
const VERSION = typeof POLICY_HANDSHAKE_VERSION === 'string' ? POLICY_HANDSHAKE_VERSION : '0.0.0-dev';

const USAGE = `Usage: policy-handshake check [paths…] [--format text|json|sarif] [--manifest FILE] [--max-file-size BYTES]

Checks AWS KMS key policies and IAM policies (bare files, get-key-policy output,
authorization-details exports, CloudFormation JSON templates, Terraform .tf files) and the cross-account
handshake between them. Each policy-handshake.json governs its folder and below (the
nearest one wins); --manifest FILE makes FILE the only manifest, governing every file given.
Exit 0: no error-severity finding; 1: errors found; 2: bad usage.`;

export interface CliIo { stdout: (s: string) => void; stderr: (s: string) => void; cwd: string }

export function runCli(argv: string[], io: CliIo): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') { io.stdout(USAGE + '\n'); return 0; }
  if (command === '--version') { io.stdout(VERSION + '\n'); return 0; }
  if (command !== 'check') { io.stderr(`policy-handshake: unknown command ${command ?? '(none)'}\n${USAGE}\n`); return 2; }
  let format = 'text';
  let manifest: string | undefined;
  let maxFileSize = DEFAULT_MAX_FILE_SIZE;
  const paths: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--format' || a === '-f') format = value();
      else if (a.startsWith('--format=')) format = a.slice(9);
      else if (a === '--manifest') manifest = value();
      else if (a.startsWith('--manifest=')) manifest = a.slice(11);
      else if (a === '--max-file-size') maxFileSize = Number(value());
      else if (a === '--help' || a === '-h') { io.stdout(USAGE + '\n'); return 0; }
      else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
      else paths.push(a);
    } catch (e) {
      io.stderr(`policy-handshake: ${(e as Error).message}\n${USAGE}\n`);
      return 2;
    }
  }
  if (!['text', 'json', 'sarif'].includes(format)) { io.stderr(`policy-handshake: --format must be text, json or sarif\n`); return 2; }
  if (!Number.isFinite(maxFileSize) || maxFileSize <= 0) { io.stderr(`policy-handshake: --max-file-size must be a positive number\n`); return 2; }

  const { files, missing } = collectFiles(paths, io.cwd);
  if (missing.length) { io.stderr(`policy-handshake: no such file or folder: ${missing.join(', ')}\n`); return 2; }
  const sources: SourceFile[] = [];
  const texts = new Map<string, string>();
  const skipped: FileResult[] = [];
  for (const f of files) {
    try {
      const { text, tooLarge } = readText(f, maxFileSize);
      if (tooLarge) {
        skipped.push({ file: f, discovered: undefined, skipped: 'too large', findings: [{ checkId: 'file-skipped', severity: 'info', message: `File is larger than ${maxFileSize} bytes: not checked.`, span: { offset: 0, length: 0 } }] });
        texts.set(f, '');
        continue;
      }
      sources.push({ path: f, text });
      texts.set(f, text);
    } catch (e) {
      io.stderr(`policy-handshake: cannot read ${f}: ${(e as Error).message}\n`);
    }
  }
  // The explicit manifest is read here (the core does no I/O) and checked with the rest.
  const manifestPath = manifest ? path.resolve(io.cwd, manifest) : undefined;
  let manifestSource: SourceFile | undefined;
  if (manifestPath) {
    try {
      manifestSource = sources.find((s) => s.path === manifestPath) ?? { path: manifestPath, text: readText(manifestPath, maxFileSize).text };
    } catch (e) {
      io.stderr(`policy-handshake: cannot read the manifest ${manifest}: ${(e as Error).message}\n`);
      return 2;
    }
    if (!sources.includes(manifestSource)) { sources.unshift(manifestSource); texts.set(manifestPath, manifestSource.text); }
    // Said once: the explicit manifest replaces the ones found.
    const unused = sources.filter((s) => s.path !== manifestPath && path.basename(s.path) === MANIFEST_NAME);
    if (unused.length) io.stderr(`policy-handshake: --manifest ${manifest} is the only manifest; not used as manifests: ${unused.map((s) => path.relative(io.cwd, s.path) || s.path).join(', ')}\n`);
  }
  const order = new Map(files.map((f, i) => [f, i]));
  const results = [...analyzeFiles(sources, { maxFileSize, manifestPath, manifest: manifestSource, cwd: io.cwd }), ...skipped]
    .sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
  const findings = toOutputFindings(results, texts, io.cwd);
  if (format === 'json') io.stdout(formatJson(findings));
  else if (format === 'sarif') io.stdout(formatSarif(findings, VERSION));
  else io.stdout(formatText(findings, files.length));
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

class UsageError extends Error {}

if (require.main === module) {
  tuneHeap();
  void loadHclParser((m) => process.stderr.write(`policy-handshake: ${m}\n`)).then(() => {
  const chunks: string[] = [];
  const code = runCli(process.argv.slice(2), {
    stdout: (s) => chunks.push(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
  });
  process.stdout.write(chunks.join(''), () => process.exit(code));
  });
}
