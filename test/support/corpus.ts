/** Access to ../shared/corpus, which tests use by path and skip when absent. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const corpusRoot = process.env.POLICY_HANDSHAKE_CORPUS ?? path.resolve(repoRoot, '..', 'shared', 'corpus');

/** undefined when the corpus is present; otherwise the reason to pass to `{ skip }`. */
export function corpusMissing(sub = ''): string | undefined {
  const p = path.join(corpusRoot, sub);
  return fs.existsSync(p) ? undefined : `corpus not found at ${p} (set POLICY_HANDSHAKE_CORPUS)`;
}

export function corpusPath(...parts: string[]): string {
  return path.join(corpusRoot, ...parts);
}

/** Every file below a folder, sorted, optionally filtered by extension. */
export function walk(dir: string, ext?: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (!ext || e.name.endsWith(ext)) out.push(p);
    }
  };
  if (fs.existsSync(dir)) visit(dir);
  return out.sort();
}
