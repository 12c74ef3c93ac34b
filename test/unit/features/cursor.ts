/**
 * Fixtures for editor features: `$0` marks the cursor in the text. `atCursor` loads the
 * text (and any other files) into a workspace and gives the cursor's offset.
 */
import { Workspace } from '../../../server/src/core/workspace/workspace';

export const CURSOR = '$0';

export interface AtCursor {
  ws: Workspace;
  path: string;
  text: string;
  offset: number;
}

/** Remove the single `$0` marker; its position is the cursor offset. */
export function parseCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf(CURSOR);
  if (offset < 0 || marked.indexOf(CURSOR, offset + 1) >= 0) throw new Error('fixture needs exactly one $0 cursor');
  return { text: marked.slice(0, offset) + marked.slice(offset + CURSOR.length), offset };
}

export function atCursor(marked: string, options: { path?: string; others?: Record<string, string>; ws?: Workspace } = {}): AtCursor {
  const ws = options.ws ?? new Workspace();
  for (const [p, t] of Object.entries(options.others ?? {})) ws.updateFile(p, t);
  const path = options.path ?? 'policy.json';
  const { text, offset } = parseCursor(marked);
  ws.updateFile(path, text);
  return { ws, path, text, offset };
}

/** The text of a file span. */
export function spanText(text: string, span: { offset: number; length: number }): string {
  return text.slice(span.offset, span.offset + span.length);
}
