/**
 * The extension's language client (from `activate()`'s exports) and its server process,
 * for tests that stop the server and watch the extension bring it back.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EXTENSION_ID } from './editor';
import { waitUntil } from './poll';

/** The client the extension runs now (a restart by command replaces it). */
export function languageClient(): LanguageClient {
  const exports = vscode.extensions.getExtension<{ client?: LanguageClient }>(EXTENSION_ID)?.exports;
  assert.ok(exports?.client, `extension ${EXTENSION_ID} exports no language client`);
  return exports.client;
}

/** The process id of the running server, once the client runs one. */
export function runningServerPid(): Promise<number> {
  return waitUntil(() => {
    const client = languageClient();
    const pid = client.serverProcess?.pid;
    return client.isRunning() && pid !== undefined ? pid : undefined;
  }, 'a running language server');
}

/** Wait for a running server other than the process `pid`; returns its process id. */
export function serverOtherThan(pid: number): Promise<number> {
  return waitUntil(() => {
    const client = languageClient();
    const now = client.serverProcess?.pid;
    return client.isRunning() && now !== undefined && now !== pid ? now : undefined;
  }, `a language server other than process ${pid}`);
}

/** True while a process with this id exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
