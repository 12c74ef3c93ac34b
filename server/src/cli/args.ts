/**
 * The CLI's command line: its usage text and its options. A module that loads nothing else:
 * the CLI's entry reads the command line before it loads the rest (cli/early.ts).
 */
import { DEFAULT_MAX_FILE_SIZE } from '../core/sourceFiles';
import { isSeveritySetting, SEVERITY_SETTINGS } from '../core/checkSettings';
import type { SeveritySetting } from '../core/findings';

export const USAGE = `Usage: policy-handshake check [paths…] [--format text|json|sarif] [--check ID=LEVEL]…
                              [--manifest FILE] [--max-file-size BYTES]
       policy-handshake graph [paths…] [--format mermaid|dot|json] [--manifest FILE]
                              [--max-file-size BYTES]

check: checks AWS KMS key policies and IAM policies (bare files, get-key-policy output,
authorization-details exports, CloudFormation JSON and YAML templates with SAM and CDK output,
templated JSON, Terraform .tf files and plan JSON) and the cross-account handshake between
them. Each policy-handshake.json governs its folder and below (the nearest one wins), also
when a subfolder or a file is given: the manifests' folder is then read with it, and findings
are reported for the paths given only. --manifest FILE makes FILE the only manifest, governing
every file given (FILE's folder is read with them; other policy-handshake.json files are not).
--check ID=LEVEL (repeatable) reports check ID at LEVEL: off, hint, info, warning or error,
as the editor's policyHandshake.checks.ID setting does.
Exit 0: no error-severity finding; 1: errors found; 2: bad usage.

graph: who can use each key, as a graph (default mermaid): accounts as groups, keys and
principals as nodes, edges labelled with the actions (dashed: conditional or only through a
service; crossed: no effect). Exit 0, or 2 on bad usage.`;

const FORMATS: Record<string, string[]> = { check: ['text', 'json', 'sarif'], graph: ['mermaid', 'dot', 'json'] };

export interface CliIo { stdout: (s: string) => void; stderr: (s: string) => void; cwd: string }

export interface Options {
  format: string;
  manifest?: string;
  maxFileSize: number;
  paths: string[];
  /** `--check ID=LEVEL`, the last one for an id winning (ids are checked against the registry by the CLI). */
  checks: Record<string, SeveritySetting>;
}

/** The options after the command, or the exit code of bad usage (said on stderr). */
export function parseOptions(command: string, rest: string[], io: CliIo): Options | number {
  const o: Options = { format: FORMATS[command][0], maxFileSize: DEFAULT_MAX_FILE_SIZE, paths: [], checks: Object.create(null) as Record<string, SeveritySetting> };
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
      else if (command === 'check' && a === '--check') setCheck(o, value());
      else if (command === 'check' && a.startsWith('--check=')) setCheck(o, a.slice(8));
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

class UsageError extends Error {}

const LEVELS = `${SEVERITY_SETTINGS.slice(0, -1).join(', ')} or ${SEVERITY_SETTINGS[SEVERITY_SETTINGS.length - 1]}`;

/** `--check ID=LEVEL`: the level of one check (whether ID is a check is the CLI's to say). */
function setCheck(o: Options, value: string): void {
  const eq = value.lastIndexOf('=');
  if (eq <= 0) throw new UsageError(`--check needs ID=LEVEL (LEVEL: ${LEVELS}), not "${value}"`);
  const id = value.slice(0, eq);
  const level = value.slice(eq + 1);
  if (!isSeveritySetting(level)) throw new UsageError(`--check ${id}=${level}: the level must be ${LEVELS}`);
  o.checks[id] = level;
}
