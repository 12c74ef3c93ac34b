/**
 * Terraform variable files: what `terraform.tfvars` and `*.auto.tfvars`, which Terraform loads
 * by itself, assign to the module's variables (string, number and boolean literals, one
 * `name = value` a line). Other `.tfvars` files are given with `-var-file` at plan time, for an
 * environment the workspace does not know: they assign nothing here. The file holds no policy.
 */
import type { DiscoveredFile } from './discoveredFile';

/** Whether Terraform loads a variables file by itself (its name, in any folder). */
export function isAutoVarsFile(path: string): boolean {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).toLowerCase();
  return name === 'terraform.tfvars' || name.endsWith('.auto.tfvars');
}

/** One assignment of a literal on a line: `name = "text"`, `name = 12`, `name = true`, a comment after it. */
const ASSIGNMENT = /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*("(?:[^"\\$%]|\\.|[$%](?!\{))*"|-?\d+(?:\.\d+)?|true|false)\s*(?:(?:#|\/\/).*)?$/;

export function readTerraformVars(file: string, text: string): DiscoveredFile {
  const out: DiscoveredFile = { file, json: { text, root: undefined, problems: [], syntax: 'hcl' }, shape: 'terraform', documents: [], embeddedProblems: [] };
  if (!isAutoVarsFile(file)) return out;
  const assigned: Record<string, string> = {};
  let n = 0;
  for (const line of text.split('\n')) {
    const m = ASSIGNMENT.exec(line);
    if (!m || m[1] === '__proto__') continue;
    const raw = m[2];
    const value = raw.startsWith('"') ? decode(raw) : raw;
    if (value === undefined) continue;
    assigned[m[1]] = value;
    if (++n >= 10_000) break;
  }
  if (n) out.moduleVariables = { assigned };
  return out;
}

/** A quoted HCL string literal without interpolation: its JSON-compatible escapes decoded; undefined for others. */
function decode(raw: string): string | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The variables a Terraform file names (`var.NAME`), each once. */
export function variablesUsed(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/g)) out.add(m[1]);
  return [...out];
}
