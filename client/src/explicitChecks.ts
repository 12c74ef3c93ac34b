/**
 * The server is told only the `policyHandshake.checks.<id>` settings the user set. VS Code
 * answers a request for settings with every declared setting, those at their default
 * included; the server could then not tell "error, set by the user" (which applies to every
 * finding of the check) from "error, the default" (which leaves a finding the check reports
 * lower, such as a duplicate Sid in a key policy, as it is).
 */
import type { Middleware } from 'vscode-languageclient/node';

const SECTION = 'policyHandshake';

/** What `WorkspaceConfiguration.inspect` tells of one setting: the values set at each level. */
export interface Inspected {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
  globalLanguageValue?: unknown;
  workspaceLanguageValue?: unknown;
  workspaceFolderLanguageValue?: unknown;
}

/** Reads one key (`checks.<id>`) of the `policyHandshake` section for a scope. */
export type Inspect = (key: string) => Inspected | undefined;

function isSet(i: Inspected | undefined): boolean {
  return !!i && [i.globalValue, i.workspaceValue, i.workspaceFolderValue, i.globalLanguageValue, i.workspaceLanguageValue, i.workspaceFolderLanguageValue].some((v) => v !== undefined);
}

/** The `policyHandshake` section with `checks` holding only the checks set at some level. */
export function keepExplicitChecks(section: unknown, inspect: Inspect): unknown {
  if (!section || typeof section !== 'object') return section;
  const checks = (section as Record<string, unknown>).checks;
  if (!checks || typeof checks !== 'object') return section;
  const explicit: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(checks as Record<string, unknown>)) {
    if (isSet(inspect(`checks.${id}`))) explicit[id] = value;
  }
  return { ...(section as Record<string, unknown>), checks: explicit };
}

/** The client's `workspace/configuration` middleware; `inspectAt` reads the section for a scope URI. */
export function explicitChecksMiddleware(inspectAt: (scopeUri: string | undefined) => Inspect): NonNullable<Middleware['workspace']> {
  return {
    configuration: async (params, token, next) => {
      const result = await next(params, token);
      if (!Array.isArray(result)) return result;
      return result.map((value: unknown, i) => {
        const item = params.items[i];
        return item?.section === SECTION ? keepExplicitChecks(value, inspectAt(item.scopeUri ?? undefined)) : value;
      });
    },
  };
}
