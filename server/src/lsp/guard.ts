/**
 * Every request handler runs through `guarded`: an exception is logged and answered with
 * the fallback (null, or an empty list), a cancelled request gets the fallback as well.
 * One bad document can never take the server down.
 */
import type { CancellationToken, Connection } from 'vscode-languageserver/node';

export type Log = (message: string) => void;

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

export function guarded<P, R, F>(
  log: Log,
  name: string,
  fallback: F,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R | F> {
  return async (params, token) => {
    if (token?.isCancellationRequested) return fallback;
    try {
      const result = await handler(params, token);
      return token?.isCancellationRequested ? fallback : result;
    } catch (error) {
      log(`${name} failed: ${describeError(error)}`);
      return fallback;
    }
  };
}

/** A notification handler that logs instead of throwing. */
export function guardedNotification<P>(log: Log, name: string, handler: (params: P) => void | Promise<void>): (params: P) => void {
  return (params) => {
    try {
      const r = handler(params);
      if (r && typeof (r as Promise<void>).catch === 'function') {
        (r as Promise<void>).catch((error) => log(`${name} failed: ${describeError(error)}`));
      }
    } catch (error) {
      log(`${name} failed: ${describeError(error)}`);
    }
  };
}

/** Informational messages for the user (`window/logMessage`, type Info: shown in the Output channel at its default level). */
export function connectionInfo(connection: Connection): Log {
  return (message) => {
    try {
      connection.console.info(message);
    } catch {
      // The connection is gone; nothing left to tell.
    }
  };
}

export function connectionLog(connection: Connection): Log {
  return (message) => {
    try {
      connection.console.error(message);
    } catch {
      // The connection is gone; nothing left to tell.
    }
  };
}
