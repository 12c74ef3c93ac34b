/**
 * The requests behind the extension's own views and commands. The Key access view's data: `policyHandshake/keyAccess` answers the
 * core's picture of who can use each key (features/keyAccess.ts) with places as LSP
 * locations; `policyHandshake/keyAccessChanged` tells the client to ask again after the
 * workspace changed (sent only to a client that says it shows the view). And the draft of a
 * manifest for the Create manifest command.
 */
import { NotificationType0, RequestType, type Location } from 'vscode-languageserver/node';
import { keyAccess, type KeyAccessKey, type Place } from '../core/features/keyAccess';
import type { LineIndex } from '../core/positions';
import type { Workspace } from '../core/workspace/workspace';
import { toRange } from './convert';

/** The core's model with every place as a location. */
export type Located<T> = T extends Place ? Location : T extends (infer U)[] ? Located<U>[] : T extends object ? { [K in keyof T]: Located<T[K]> } : T;

export type KeyAccessResult = Located<KeyAccessKey>[];

/** Params: none (null or {}). */
export const KeyAccessRequest = new RequestType<Record<string, never> | null, KeyAccessResult, void>('policyHandshake/keyAccess');
export const KeyAccessChangedNotification = new NotificationType0('policyHandshake/keyAccessChanged');

export interface FileTarget { uri: string; index: LineIndex }

function isPlace(v: unknown): v is Place {
  return !!v && typeof v === 'object' && typeof (v as Place).file === 'string' && typeof (v as Place).span === 'object';
}

/** A copy of `value` with each place turned into a location (places in files the workspace no longer holds are dropped to null). */
function located(value: unknown, target: (file: string) => FileTarget | undefined): unknown {
  if (isPlace(value)) {
    const t = target(value.file);
    return t ? { uri: t.uri, range: toRange(t.index, value.span) } : null;
  }
  if (Array.isArray(value)) return value.map((v) => located(v, target)).filter((v) => v !== null);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = located(v, target);
    return out;
  }
  return value;
}

export function keyAccessResult(ws: Workspace, target: (file: string) => FileTarget | undefined): KeyAccessResult {
  return located(keyAccess(ws), target) as KeyAccessResult;
}

/** `policyHandshake/manifestDraft`: a proposed manifest for a folder (a URI); `uri` is where it would be saved. */
export const ManifestDraftRequest = new RequestType<{ folder: string }, { uri: string; text: string; notes: string[] } | null, void>('policyHandshake/manifestDraft');
