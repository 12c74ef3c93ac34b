/** `policy-handshake check|graph [paths…] [--format …] [--manifest FILE]` */
import * as path from 'path';
import { analyzeFiles, workspaceOf, type AnalyzeOptions, type SourceFile } from '../core/analyze';
import { keyAccess } from '../core/features/keyAccess';
import { formatGraph, type GraphFormat } from '../core/features/keyAccessGraph';
import { MANIFEST_NAME } from '../core/workspace/manifest';
import { DEFAULT_MAX_FILE_SIZE, type FileResult } from '../core/engine';
import { collectFiles, readText } from './files';
import { formatJson, formatSarif, formatText, toOutputFindings } from './format';
import { tuneCompiler, tuneHeap } from '../runtime/heap';
import { loadHclParser } from '../runtime/hclParser';
import { startHclThread, type HclThread } from '../runtime/hclThread';
import { installCatalogFiles } from '../runtime/catalogFiles';
import { writeAll } from './stdio';
import { isTerraformFile } from '../core/sources/registry';

// The catalog reads its data from disk through the reader installed here (the core does no I/O).
installCatalogFiles();

declare const POLICY_HANDSHAKE_VERSION: string | undefined;
const VERSION = typeof POLICY_HANDSHAKE_VERSION === 'string' ? POLICY_HANDSHAKE_VERSION : '0.0.0-dev';

const USAGE = `Usage: policy-handshake check [paths…] [--format text|json|sarif] [--manifest FILE] [--max-file-size BYTES]
       policy-handshake graph [paths…] [--format mermaid|dot|json] [--manifest FILE] [--max-file-size BYTES]

check: checks AWS KMS key policies and IAM policies (bare files, get-key-policy output,
authorization-details exports, CloudFormation JSON templates, Terraform .tf files) and the cross-account
handshake between them. Each policy-handshake.json governs its folder and below (the
nearest one wins); --manifest FILE makes FILE the only manifest, governing every file given.
Exit 0: no error-severity finding; 1: errors found; 2: bad usage.

graph: who can use each key, as a graph (default mermaid): accounts as groups, keys and
principals as nodes, edges labelled with the actions (dashed: conditional or only through a
service; crossed: no effect). Exit 0, or 2 on bad usage.`;

const FORMATS: Record<string, string[]> = { check: ['text', 'json', 'sarif'], graph: ['mermaid', 'dot', 'json'] };

export interface CliIo { stdout: (s: string) => void; stderr: (s: string) => void; cwd: string }

interface Options { format: string; manifest?: string; maxFileSize: number; paths: string[] }

/** The options after the command, or the exit code of bad usage (said on stderr). */
function parseOptions(command: string, rest: string[], io: CliIo): Options | number {
  const o: Options = { format: FORMATS[command][0], maxFileSize: DEFAULT_MAX_FILE_SIZE, paths: [] };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--format' || a === '-f') o.format = value();
      else if (a.startsWith('--format=')) o.format = a.slice(9);
      else if (a === '--manifest') o.manifest = value();
      else if (a.startsWith('--manifest=')) o.manifest = a.slice(11);
      else if (a === '--max-file-size') o.maxFileSize = Number(value());
      else if (a === '--help' || a === '-h') { io.stdout(USAGE + '\n'); return 0; }
      else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
      else o.paths.push(a);
    } catch (e) {
      io.stderr(`policy-handshake: ${(e as Error).message}\n${USAGE}\n`);
      return 2;
    }
  }
  const formats = FORMATS[command];
  if (!formats.includes(o.format)) { io.stderr(`policy-handshake: --format must be ${formats.slice(0, -1).join(', ')} or ${formats[formats.length - 1]}\n`); return 2; }
  if (!Number.isFinite(o.maxFileSize) || o.maxFileSize <= 0) { io.stderr(`policy-handshake: --max-file-size must be a positive number\n`); return 2; }
  return o;
}

interface Read {
  files: string[];
  sources: SourceFile[];
  texts: Map<string, string>;
  /** Files too large to read, with their finding. */
  skipped: FileResult[];
  analyze: AnalyzeOptions;
}

/** The files given, read (the core does no I/O), or the exit code of bad usage; `listed` is told the files before they are read. */
function readSources(o: Options, io: CliIo, listed?: (files: string[]) => void): Read | number {
  const { files, missing } = collectFiles(o.paths, io.cwd);
  if (missing.length) { io.stderr(`policy-handshake: no such file or folder: ${missing.join(', ')}\n`); return 2; }
  listed?.(files);
  const sources: SourceFile[] = [];
  const texts = new Map<string, string>();
  const skipped: FileResult[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    try {
      const { text, tooLarge } = readText(f, o.maxFileSize);
      if (tooLarge) {
        skipped.push({ file: f, discovered: undefined, skipped: 'too large', findings: [{ checkId: 'file-skipped', severity: 'info', message: `File is larger than ${o.maxFileSize} bytes: not checked.`, span: { offset: 0, length: 0 } }] });
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
  const manifestPath = o.manifest ? path.resolve(io.cwd, o.manifest) : undefined;
  let manifestSource: SourceFile | undefined;
  if (manifestPath) {
    try {
      manifestSource = sources.find((s) => s.path === manifestPath) ?? { path: manifestPath, text: readText(manifestPath, o.maxFileSize).text };
    } catch (e) {
      io.stderr(`policy-handshake: cannot read the manifest ${o.manifest}: ${(e as Error).message}\n`);
      return 2;
    }
    if (!sources.includes(manifestSource)) { sources.unshift(manifestSource); texts.set(manifestPath, manifestSource.text); }
    // Said once: the explicit manifest replaces the ones found.
    const unused = sources.filter((s) => s.path !== manifestPath && path.basename(s.path) === MANIFEST_NAME);
    if (unused.length) io.stderr(`policy-handshake: --manifest ${o.manifest} is the only manifest; not used as manifests: ${unused.map((s) => path.relative(io.cwd, s.path) || s.path).join(', ')}\n`);
  }
  return { files, sources, texts, skipped, analyze: { maxFileSize: o.maxFileSize, manifestPath, manifest: manifestSource, cwd: io.cwd } };
}

/** A command ready to run: its files read; or the exit code of a command that is done already. */
interface Prepared { command: 'check' | 'graph'; o: Options; read: Read }

function prepare(argv: string[], io: CliIo, listed?: (files: string[]) => void): Prepared | number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') { io.stdout(USAGE + '\n'); return 0; }
  if (command === '--version') { io.stdout(VERSION + '\n'); return 0; }
  if (command !== 'check' && command !== 'graph') { io.stderr(`policy-handshake: unknown command ${command ?? '(none)'}\n${USAGE}\n`); return 2; }
  const o = parseOptions(command, rest, io);
  if (typeof o === 'number') return o;
  const read = readSources(o, io, listed);
  if (typeof read === 'number') return read;
  return { command, o, read };
}

function finish({ command, o, read }: Prepared, io: CliIo): number {
  if (command === 'graph') {
    // Places in the picture are files as the user gave them (relative to the working folder).
    io.stdout(formatGraph(keyAccess(workspaceOf(read.sources, read.analyze)), o.format as GraphFormat));
    return 0;
  }
  const order = new Map(read.files.map((f, i) => [f, i]));
  const results = [...analyzeFiles(read.sources, read.analyze), ...read.skipped]
    .sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
  const findings = toOutputFindings(results, read.texts, io.cwd);
  if (o.format === 'json') io.stdout(formatJson(findings));
  else if (o.format === 'sarif') io.stdout(formatSarif(findings, VERSION));
  else io.stdout(formatText(findings, read.files.length));
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** Runs a command; `.tf` files are read only when the HCL parser has been loaded (see `main`). */
export function runCli(argv: string[], io: CliIo): number {
  const prepared = prepare(argv, io);
  return typeof prepared === 'number' ? prepared : finish(prepared, io);
}

/** From this many files on, the heap is tuned for many files (see tuneHeap). */
const TUNED_HEAP_FILES = 500;
/**
 * From this many Terraform files on, they are parsed in a thread of their own (see
 * hclThread.ts). The thread's start and its cold code cost about 0.2 s of CPU time: over the
 * corpus's 132 `.tf` files it cost more than it took off the main thread, over 500 generated
 * ones much less (bench/README.md, item 43).
 */
export const HCL_THREAD_FILES = 250;

/**
 * The process: the HCL parser (WebAssembly) is loaded only when a Terraform file is among the
 * files read, so a check of JSON and YAML policies does not pay for it. Many Terraform files
 * are parsed in another thread, started before the files are read, while this one checks
 * them; this one then never loads the parser.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const log = (m: string) => io.stderr(`policy-handshake: ${m}\n`);
  let thread: HclThread | undefined;
  const prepared = prepare(argv, io, (files) => {
    if (files.filter((f) => isTerraformFile(f)).length >= HCL_THREAD_FILES) thread = startHclThread(log);
  });
  if (typeof prepared === 'number') return prepared;
  // Large runs only: loading node:v8 to set the flag costs a short run more than it saves.
  if (prepared.read.sources.length >= TUNED_HEAP_FILES) {
    tuneHeap();
    tuneCompiler();
  }
  const terraform = prepared.read.sources.filter((s) => isTerraformFile(s.path));
  if (thread) thread.ahead(terraform.map((s) => s.text));
  else if (terraform.length) await loadHclParser(log);
  return finish(prepared, io);
}

class UsageError extends Error {}

/** Runs the process's command line; the process exits with the command's code once its output is written. */
export function start(): void {
  const chunks: string[] = [];
  void main(process.argv.slice(2), {
    stdout: (s) => chunks.push(s),
    stderr: (s) => writeAll(2, s, () => undefined),
    cwd: process.cwd(),
  }).then((code) => writeAll(1, chunks.join(''), () => process.exit(code)));
}

// Run directly (unbundled); the bundle is started by launch.ts.
if (require.main === module) start();
