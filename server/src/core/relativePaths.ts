/**
 * Paths as the workspace writes them (forward or back slashes), relative to a folder: the
 * manifests, the handshake's messages and the editor features all name files this way.
 */

/** Forward slashes, no `./` segments, no trailing slash. */
export function normalizePath(p: string): string {
  if (!p.includes('\\') && !p.includes('/.') && !p.includes('//') && !p.startsWith('.') && !p.endsWith('/')) return p;
  return p.replace(/\\/g, '/').split('/').filter((s, i) => s !== '.' && (s !== '' || i === 0)).join('/');
}

/** The path of `file` relative to `folder` (both as the workspace writes them), or undefined when outside. */
export function relativePath(folder: string, file: string): string | undefined {
  const f = normalizePath(file);
  const d = normalizePath(folder).replace(/\/$/, '');
  if (d === '' ) return f;
  return f.startsWith(d + '/') ? f.slice(d.length + 1) : undefined;
}
