/** What the Key access view shows, read through the extension's tree provider. */
import type * as vscode from 'vscode';
import type { KeyAccessNode, KeyAccessTreeProvider } from '../../../../client/src/keyAccessView';

/** Every entry of the view as `indent label — description`, as the tree shows it, with its items. */
export async function shownKeyAccess(view: KeyAccessTreeProvider): Promise<{ lines: string[]; items: vscode.TreeItem[] }> {
  const lines: string[] = [];
  const items: vscode.TreeItem[] = [];
  const walk = async (node: KeyAccessNode | undefined, depth: number) => {
    for (const child of await view.getChildren(node)) {
      const item = view.getTreeItem(child);
      items.push(item);
      lines.push(`${'  '.repeat(depth)}${String(item.label)}${item.description ? ` — ${String(item.description)}` : ''}`);
      await walk(child, depth + 1);
    }
  };
  await walk(undefined, 0);
  return { lines, items };
}

/** The lines of the key whose policy file is `keyFile` (the key's line and those below it), if the view lists it. */
export function keyBlock(lines: string[], keyFile: string): string[] | undefined {
  const start = lines.findIndex((l) => l.endsWith(` · ${keyFile}`));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && !l.startsWith(' '));
  return lines.slice(start, end < 0 ? undefined : end);
}
