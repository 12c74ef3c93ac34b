/**
 * V8 heap settings for the server and the CLI processes, applied by their entry points.
 *
 * Reading a workspace allocates the same objects per file at the same places (parse nodes,
 * statement models, action lists). A minority live on (key policies' trees, compact copies,
 * findings); most die with their file. V8's allocation-site pretenuring sees the survivors
 * and starts allocating those places straight into the old generation, where the garbage of
 * every later file then waits for a full collection. Profiles of a 20,000-file workspace
 * showed about half of what was promoted to be such garbage; without pretenuring the
 * command-line check took about 15% less time and 190 MB less peak memory, and the server
 * about 10% less time and 60 MB less. Edit latency was unchanged.
 */
import { setFlagsFromString } from 'node:v8';

export function tuneHeap(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}

/**
 * For the server, which lives long and holds the workspace: the young generation stays at its
 * starting size instead of doubling up to 16 MB per semi-space as collections find survivors.
 * Its room is then not reserved on top of the old generation, and less garbage of the
 * publishing phase waits there for a full collection. On a 20,000-file workspace, one run each
 * under load 7–9: peak RSS 357 → 338 MB, 5,000 files 190–196 → 174–178 MB; CPU time within
 * the runs' spread (5,000 files 7.4–7.7 s either way). Only the maximum size cannot be set once
 * the heap exists (bench/README.md, item 32); its growth factor is read at each growth.
 */
export function tuneServerHeap(): void {
  tuneHeap();
  setFlagsFromString('--semi-space-growth-factor=1');
}
