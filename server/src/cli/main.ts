/** `policy-handshake check|graph [paths…] [--format …] [--manifest FILE]` */
import * as path from 'path';
import { analyzeFiles, workspaceOf, type AnalyzeOptions, type SourceFile } from '../core/analyze';
import { keyAccess } from '../core/features/keyAccess';
import { formatGraph, type GraphFormat } from '../core/features/keyAccessGraph';
import type { FileResult } from '../core/engine';
import { parseOptions, USAGE, type CliIo, type Options } from './args';
import { collectFiles, readText } from './files';
import { formatJson, formatSarif, formatText, toOutputFindings } from './format';
import { tuneCompiler, tuneHeap } from '../runtime/heap';
import { loadHclParser } from '../runtime/hclParser';
import { startHclThread, type HclThread } from '../runtime/hclThread';
import { spawnHclWorker } from '../runtime/hclSpawn';
import { takeEarly, wantsHclThread, type Early } from './early';
import { installCatalogFiles } from '../runtime/catalogFiles';
import { writeAll } from './stdio';
import { isTerraformFile } from '../core/sources/registry';
import { allCheckMetadata } from '../core/checks/registry';
import { effectiveSeverity } from '../core/checkSettings';
import { nearestName } from '../core/nearestName';

// The catalog reads its data from disk through the reader installed here (the core does no I/O).
installCatalogFiles();

declare const POLICY_HANDSHAKE_VERSION: string | undefined;
const VERSION = typeof POLICY_HANDSHAKE_VERSION === 'string' ? POLICY_HANDSHAKE_VERSION : '0.0.0-dev';

interface Read {
  /** The files to report (given, or under the folders given). */
  files: string[];
  /** The files read: those to report and their context (see Listing in files.ts). */
  sources: SourceFile[];
  texts: Map<string, string>;
  /** Files too large to read, with their finding. */
  skipped: FileResult[];
  /** What is reported: the files to report and the explicit manifest. */
  reported: Set<string>;
  analyze: AnalyzeOptions;
}

/** The files given and their context, read (the core does no I/O), or the exit code of bad usage; `listed` is told the files before they are read. */
function readSources(o: Options, io: CliIo, listed?: (files: string[]) => void, early?: Early): Read | number {
  const { files, missing, context, unused } = early?.listing ?? collectFiles(o.paths, io.cwd, o.manifest);
  if (missing.includes('-')) { io.stderr('policy-handshake: reading a policy from stdin (-) is not supported: save it to a file and give its path\n'); return 2; }
  if (missing.length) { io.stderr(`policy-handshake: no such file or folder: ${missing.join(', ')}\n`); return 2; }
  listed?.(context.length ? [...files, ...context] : files);
  const sources: SourceFile[] = [];
  const texts = new Map<string, string>();
  const skipped: FileResult[] = [];
  const reported = new Set(files);
  for (let i = 0, n = files.length + context.length; i < n; i++) {
    const f = i < files.length ? files[i] : context[i - files.length];
    try {
      const { text, tooLarge } = readText(f, o.maxFileSize);
      if (tooLarge) {
        if (i >= files.length) continue;
        skipped.push({ file: f, discovered: undefined, skipped: 'too large', findings: [{ checkId: 'file-skipped', severity: 'info', message: `File is larger than ${o.maxFileSize} bytes: not checked.`, span: { offset: 0, length: 0 } }] });
        texts.set(f, '');
        continue;
      }
      sources.push({ path: f, text });
      texts.set(f, text);
    } catch (e) {
      // A context file that cannot be read is left out without a word: it is no path given (`check` of its folder names it).
      if (i < files.length) io.stderr(`policy-handshake: cannot read ${f}: ${(e as Error).message}\n`);
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
    reported.add(manifestPath);
    // Said once: the explicit manifest replaces the ones found, which are not read.
    if (unused.length) io.stderr(`policy-handshake: --manifest ${o.manifest} is the only manifest; not used as manifests: ${unused.map((f) => path.relative(io.cwd, f) || f).join(', ')}\n`);
  }
  return { files, sources, texts, skipped, reported, analyze: { maxFileSize: o.maxFileSize, manifestPath, manifest: manifestSource, cwd: io.cwd } };
}

/** A command ready to run: its files read; or the exit code of a command that is done already. */
interface Prepared { command: 'check' | 'graph'; o: Options; read: Read }

function prepare(argv: string[], io: CliIo, listed?: (files: string[]) => void, early?: Early): Prepared | number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') { io.stdout(USAGE + '\n'); return 0; }
  if (command === '--version') { io.stdout(VERSION + '\n'); return 0; }
  if (command === undefined) { io.stderr(USAGE + '\n'); return 2; }
  if (command !== 'check' && command !== 'graph') { io.stderr(`policy-handshake: unknown command ${command}\n${USAGE}\n`); return 2; }
  const o = parseOptions(command, rest, io);
  if (typeof o === 'number') return o;
  const ids = allCheckMetadata().map((m) => m.id);
  const unknown = Object.keys(o.checks).filter((id) => !ids.includes(id));
  if (unknown.length) {
    const said = unknown.map((id) => {
      const near = nearestName(id, ids);
      return `${id}${near ? ` (did you mean ${near}?)` : ''}`;
    });
    io.stderr(`policy-handshake: --check: no such check: ${said.join(', ')}.\n`);
    return 2;
  }
  const read = readSources(o, io, listed, early);
  if (typeof read === 'number') return read;
  return { command, o, read };
}

function finish({ command, o, read }: Prepared, io: CliIo): number {
  if (command === 'graph') {
    // Places in the picture are files as the user gave them (relative to the working folder);
    // the keys drawn are those of the files given (the others are their context).
    const keys = keyAccess(workspaceOf(read.sources, read.analyze)).filter((k) => read.reported.has(k.place.file));
    if (keys.length === 0) io.stderr('policy-handshake: no key policy found in the files given: the graph is empty\n');
    io.stdout(formatGraph(keys, o.format as GraphFormat));
    return 0;
  }
  const order = new Map(read.files.map((f, i) => [f, i]));
  const all = [...analyzeFiles(read.sources, read.analyze, read.reported), ...read.skipped]
    .sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
  // Files of which nothing was checked: not read (too large), or with no policy read (past a
  // limit, or HCL that does not parse). A file with some of its policies checked counts as
  // checked; its file-skipped finding says which policy was not.
  const skipped = all.filter((r) => r.skipped !== undefined || (!r.documentsChecked && r.findings.some((f) => f.checkId === 'file-skipped'))).length;
  const findings = toOutputFindings(all.map((r) => withCheckLevels(r, o.checks)), read.texts, io.cwd);
  if (o.format === 'json') io.stdout(formatJson(findings));
  else if (o.format === 'sarif') io.stdout(formatSarif(findings, VERSION, io.cwd));
  else io.stdout(formatText(findings, read.files.length - skipped, skipped));
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** A file's findings at the levels `--check` sets, as the editor applies `policyHandshake.checks.<id>`. */
function withCheckLevels(r: FileResult, checks: Options['checks']): FileResult {
  if (Object.keys(checks).length === 0) return r;
  const findings = r.findings.flatMap((f) => {
    const severity = effectiveSeverity(f, checks);
    if (!severity) return [];
    return [severity === f.severity ? f : { ...f, severity }];
  });
  return { ...r, findings };
}

/** Runs a command; `.tf` files are read only when the HCL parser has been loaded (see `main`). */
export function runCli(argv: string[], io: CliIo): number {
  const prepared = prepare(argv, io);
  return typeof prepared === 'number' ? prepared : finish(prepared, io);
}

/** From this many files on, the heap is tuned for many files (see tuneHeap). */
const TUNED_HEAP_FILES = 500;
/**
 * The process: the HCL parser (WebAssembly) is loaded only when a Terraform file is among the
 * files read, so a check of JSON and YAML policies does not pay for it. Many Terraform files
 * are parsed in another thread, started before the files are read (by the CLI's entry, before
 * this bundle is loaded: see early.ts), while this one checks them; this one then never loads
 * the parser.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const log = (m: string) => io.stderr(`policy-handshake: ${m}\n`);
  const early = takeEarly(argv, io.cwd);
  let thread: HclThread | undefined;
  const prepared = prepare(argv, io, (files) => {
    if (wantsHclThread(files)) thread = startHclThread(log, early?.thread ?? spawnHclWorker());
  }, early);
  // A thread started for files that turned out not to need it (none do today) is stopped.
  if (early?.thread && !thread) void early.thread.worker.terminate().catch(() => undefined);
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
