/**
 * Loaded before every test file (`--require`, see scripts/run-tests.mjs): the catalog reads
 * its data from disk through the reader the adapters install, as the CLI and the server do.
 */
import { installCatalogFiles } from '../../server/src/runtime/catalogFiles';

installCatalogFiles();
