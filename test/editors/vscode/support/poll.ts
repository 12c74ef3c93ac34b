/**
 * Waiting for state that no VS Code event announces (a language server process, the
 * client's state): the probe is re-run until it yields a value, and the wait fails with
 * `what` after the timeout (a function is asked then, to tell what was last seen).
 */
import * as assert from 'assert';
import { WAIT_MS } from './editor';

const INTERVAL_MS = 50;

export async function waitUntil<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string | (() => string),
  timeoutMs = WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
  }
}
