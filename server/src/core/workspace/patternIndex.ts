/**
 * Manifest patterns indexed by their literal leading folders, so that finding the patterns
 * a file matches tests only the patterns whose fixed part is on the file's path (plus the
 * few that start with a wildcard), not every pattern of the manifest.
 */
import { segmentsMatch } from './glob';

interface Node<T> { children: Map<string, Node<T>>; entries: { segments: string[]; value: T }[] }

function isLiteral(segment: string): boolean {
  return segment !== '**' && !segment.includes('*') && !segment.includes('?');
}

export class PatternIndex<T> {
  private readonly root: Node<T> = { children: new Map(), entries: [] };
  private count = 0;

  /** Index a value under a normalized glob (`a/b/*.json`). */
  add(pattern: string, value: T): void {
    const segments = pattern.split('/');
    let node = this.root;
    // The last segment stays a test even when literal: it names the file.
    for (const seg of segments.slice(0, -1)) {
      if (!isLiteral(seg)) break;
      let next = node.children.get(seg);
      if (!next) node.children.set(seg, (next = { children: new Map(), entries: [] }));
      node = next;
    }
    node.entries.push({ segments, value });
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** Values whose pattern matches the relative path, in the order they were added per folder level. */
  match(relPath: string): T[] {
    const segs = relPath.split('/');
    const out: T[] = [];
    let node: Node<T> | undefined = this.root;
    for (let depth = 0; node; depth++) {
      for (const e of node.entries) if (segmentsMatch(e.segments, segs)) out.push(e.value);
      node = depth < segs.length - 1 ? node.children.get(segs[depth]) : undefined;
    }
    return out;
  }
}
