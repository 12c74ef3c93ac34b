/**
 * Entry point of the language server bundle (`dist/server.js`). The transport comes from
 * the command line: `--stdio` for any client, `--node-ipc` when VS Code starts it.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { connectionLog, describeError } from './guard';
import { startServer } from './server';
import { tuneHeap } from '../runtime/heap';
import { loadHclParser } from '../runtime/hclParser';
import { installCatalogFiles } from '../runtime/catalogFiles';

// The catalog reads its data from disk through the reader installed here (the core does no I/O).
installCatalogFiles();

tuneHeap();

const connection = createConnection(ProposedFeatures.all);
const log = connectionLog(connection);

// A bug must cost one answer, never the server.
process.on('uncaughtException', (error) => log(`Uncaught exception: ${describeError(error)}`));
process.on('unhandledRejection', (reason) => log(`Unhandled rejection: ${describeError(reason)}`));

// The Terraform parser loads before the first message is read: `.tf` files are checked from the start.
void loadHclParser(log).finally(() => startServer(connection));
