/**
 * How the client starts the language server: `dist/server.js` in a node process of its own
 * with the server's node flags, talking over IPC; the debug launch adds the inspector. Kept
 * apart from extension.ts so that it can be tested without VS Code (`transport` is the
 * language client's `TransportKind.ipc`, passed in).
 */
import type { ServerOptions, TransportKind } from 'vscode-languageclient/node';

/**
 * The flags of the server's node process, given by whoever starts it: this client, the
 * README's command for other editors, and the bench.
 *
 * `--max-semi-space-size=8` (MB; V8's default on 64-bit machines is 16): the young generation,
 * where each file's short-lived parse nodes and models are made and die, is collected more
 * often and stays smaller. The server's peak memory over a 20,000-file workspace fell by
 * 5–24 MB in six runs in turn (from 280–305 MB), with no measurable change in time
 * (bench/README.md, item 46).
 * V8 sizes the young generation when the process starts: the server cannot set it itself.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

export function serverOptions(module: string, transport: TransportKind): ServerOptions {
  return {
    run: { module, transport, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module, transport, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6019'] } },
  };
}
