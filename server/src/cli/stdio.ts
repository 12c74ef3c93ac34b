/**
 * The CLI's output, written to its file descriptors with `fs.writeSync`. `process.stdout` and
 * `process.stderr` are streams that Node builds on first use (a pipe's loads its stream and
 * network modules): a few milliseconds of a short run, for text the CLI writes once, whole, at
 * its end. A descriptor that cannot take the text now (a non-blocking pipe: EAGAIN) gets the
 * rest through the stream; a reader that has gone away (EPIPE) gets nothing more.
 */
import * as fs from 'fs';

/** Writes `text` to `fd` (1 or 2), then calls `done` once it is written or cannot be. */
export function writeAll(fd: 1 | 2, text: string, done: () => void): void {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  while (at < bytes.length) {
    try {
      at += fs.writeSync(fd, bytes, at, bytes.length - at);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        const stream = fd === 1 ? process.stdout : process.stderr;
        stream.write(bytes.subarray(at), () => done());
        return;
      }
      // EPIPE and the like: nobody reads any more.
      break;
    }
  }
  done();
}
