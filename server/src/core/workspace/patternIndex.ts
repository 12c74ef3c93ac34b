/**
 * Manifest patterns indexed by their literal leading folders, so that finding the patterns
 * a file matches tests only the patterns whose fixed part is on the file's path (plus the
 * few that start with a wildcard), not every pattern of the manifest.
 */
import { boundedMemo } from '../recentCache';
import { segmentsMatch } from './glob';

/**
 * A folder level: made only as deep as some pattern's literal part goes, and most levels have
 * either folders under them or patterns, rarely both (a manifest of 6,000 principals makes
 * about 15,000 of them): the map and the list are made when first needed.
 */
interface Node<T> { children?: Map<string, Node<T>>; entries?: { segments: string[]; value: T }[] }

/** Distinct segments kept; the table starts over when full (sharing is an economy, never needed). */
const SHARED_SEGMENTS = 16_384;
const segmentStrings = new Map<string, string>();

function sharedSegment(s: string): string {
  return boundedMemo(segmentStrings, s, SHARED_SEGMENTS, (kept) => kept);
}

function isLiteral(segment: string): boolean {
  return segment !== '**' && !segment.includes('*') && !segment.includes('?');
}

export class PatternIndex<T> {
  private readonly root: Node<T> = {};
  private count = 0;

  /** Index a value under a normalized glob (`a/b/*.json`). */
  add(pattern: string, value: T): void {
    const segments = pattern.split('/');
    let node = this.root;
    // The last segment stays a test even when literal: it names the file.
    for (const seg of segments.slice(0, -1)) {
      if (!isLiteral(seg)) break;
      node.children ??= new Map();
      let next = node.children.get(seg);
      if (!next) node.children.set(seg, (next = {}));
      node = next;
    }
    // Segments repeat from pattern to pattern (`accounts`, `roles`, `*.json`): one string each.
    const entry = { segments: segments.map(sharedSegment), value };
    // A literal array, not `push` onto an empty one (which makes room for 17): most levels hold one pattern.
    if (node.entries) node.entries.push(entry);
    else node.entries = [entry];
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
      for (const e of node.entries ?? []) if (segmentsMatch(e.segments, segs)) out.push(e.value);
      node = depth < segs.length - 1 ? node.children?.get(segs[depth]) : undefined;
    }
    return out;
  }
}
