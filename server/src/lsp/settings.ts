/**
 * The `policyHandshake.*` settings the server uses, typed and with defaults. Settings are
 * per resource: pulled with `workspace/configuration` for a file or folder when the
 * client supports it (cached until `didChangeConfiguration`), otherwise taken from the
 * settings the client pushes. `policyHandshake.trace.server` is the client's.
 */
import type { Connection } from 'vscode-languageserver/node';
import { DEFAULT_MAX_FILE_SIZE } from '../core/engine';
import type { SeveritySetting } from '../core/findings';
import { isSeveritySetting } from '../core/checkSettings';

export interface Settings {
  /** `policyHandshake.checks.<id>`; only ids with a valid value are present. */
  checks: Record<string, SeveritySetting>;
  /** `policyHandshake.maxFileSize` in bytes. */
  maxFileSize: number;
}

export const SECTION = 'policyHandshake';
const MIN_FILE_SIZE = 1024;

export function defaultSettings(): Settings {
  return { checks: Object.create(null), maxFileSize: DEFAULT_MAX_FILE_SIZE };
}

/** Typed settings from the raw `policyHandshake` section; anything malformed falls back to its default. */
export function parseSettings(raw: unknown): Settings {
  const s = defaultSettings();
  if (!raw || typeof raw !== 'object') return s;
  const r = raw as Record<string, unknown>;
  if (typeof r.maxFileSize === 'number' && Number.isFinite(r.maxFileSize)) s.maxFileSize = Math.max(MIN_FILE_SIZE, r.maxFileSize);
  const checks = r.checks;
  if (checks && typeof checks === 'object') {
    for (const [id, value] of Object.entries(checks as Record<string, unknown>)) {
      if (isSeveritySetting(value)) s.checks[id] = value;
    }
  }
  // Clients that send flat keys (`"checks.principal-missing": "warning"`).
  for (const [key, value] of Object.entries(r)) {
    if (key.startsWith('checks.') && isSeveritySetting(value)) s.checks[key.slice(7)] = value;
  }
  return s;
}

export class SettingsStore {
  private readonly cache = new Map<string, Promise<Settings>>();
  private pushed: Settings = defaultSettings();

  constructor(private readonly connection: Connection, private readonly pull: boolean) {}

  /** Settings for a file or folder URI (or the window when undefined). */
  get(scopeUri: string | undefined): Promise<Settings> {
    if (!this.pull) return Promise.resolve(this.pushed);
    const key = scopeUri ?? '';
    let p = this.cache.get(key);
    if (!p) {
      p = this.connection.workspace
        .getConfiguration({ scopeUri, section: SECTION })
        .then(parseSettings, () => defaultSettings());
      this.cache.set(key, p);
    }
    return p;
  }

  /** `workspace/didChangeConfiguration`: forget pulled values, keep pushed ones. */
  changed(pushedSettings: unknown): void {
    this.cache.clear();
    const section = pushedSettings && typeof pushedSettings === 'object' ? (pushedSettings as Record<string, unknown>)[SECTION] : undefined;
    if (section !== undefined) this.pushed = parseSettings(section);
  }
}
