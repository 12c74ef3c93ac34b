/**
 * Where the LSP traffic is traced. The language client traces only while its trace channel's
 * log level is Trace, so on its own `policyHandshake.trace.server` would do nothing until the
 * user also raised the channel's level. This channel's level follows the setting instead:
 * `messages` or `verbose` is Trace, `off` is Off, and a change of the setting is announced as a
 * change of level, which the client answers by turning tracing on or off.
 *
 * Free of a run-time `vscode` import (types only), so it is tested in plain Node.
 */
import type { Disposable, Event, LogLevel, LogOutputChannel, OutputChannel, ViewColumn } from 'vscode';

/** `vscode.LogLevel.Off` and `.Trace` (numbers of the stable API). */
export const LOG_LEVEL_OFF = 0 as LogLevel;
export const LOG_LEVEL_TRACE = 1 as LogLevel;

/** The channel level for a value of `policyHandshake.trace.server`. */
export function traceLevelFor(setting: unknown): LogLevel {
  return setting === 'messages' || setting === 'verbose' ? LOG_LEVEL_TRACE : LOG_LEVEL_OFF;
}

export class SettingTraceChannel implements LogOutputChannel {
  private level: LogLevel;
  private readonly listeners = new Set<(level: LogLevel) => void>();
  private readonly subscription: Disposable;

  /**
   * `channel`: the plain output channel written to; `setting`: reads the trace setting;
   * `onSettingChanged`: subscribes to changes of that setting.
   */
  constructor(
    private readonly channel: OutputChannel,
    private readonly setting: () => unknown,
    onSettingChanged: (listener: () => void) => Disposable,
  ) {
    this.level = traceLevelFor(setting());
    this.subscription = onSettingChanged(() => {
      const next = traceLevelFor(this.setting());
      if (next === this.level) return;
      this.level = next;
      for (const l of [...this.listeners]) l(next);
    });
  }

  readonly onDidChangeLogLevel: Event<LogLevel> = (listener, thisArgs?, disposables?) => {
    const bound = (level: LogLevel) => listener.call(thisArgs, level);
    this.listeners.add(bound);
    const d: Disposable = { dispose: () => { this.listeners.delete(bound); } };
    if (Array.isArray(disposables)) disposables.push(d);
    return d;
  };

  get logLevel(): LogLevel {
    return this.level;
  }

  get name(): string {
    return this.channel.name;
  }

  trace(message: string, ...args: unknown[]): void {
    if (this.level === LOG_LEVEL_TRACE) this.channel.appendLine(withArgs(message, args));
  }

  debug(message: string, ...args: unknown[]): void {
    this.channel.appendLine(withArgs(message, args));
  }

  info(message: string, ...args: unknown[]): void {
    this.channel.appendLine(withArgs(message, args));
  }

  warn(message: string, ...args: unknown[]): void {
    this.channel.appendLine(withArgs(message, args));
  }

  error(error: string | Error, ...args: unknown[]): void {
    this.channel.appendLine(withArgs(typeof error === 'string' ? error : error.stack ?? error.message, args));
  }

  append(value: string): void {
    this.channel.append(value);
  }

  appendLine(value: string): void {
    this.channel.appendLine(value);
  }

  replace(value: string): void {
    this.channel.replace(value);
  }

  clear(): void {
    this.channel.clear();
  }

  show(preserveFocus?: boolean): void;
  show(column?: ViewColumn, preserveFocus?: boolean): void;
  show(a?: boolean | ViewColumn, b?: boolean): void {
    if (typeof a === 'boolean' || a === undefined) this.channel.show(a);
    else this.channel.show(a, b);
  }

  hide(): void {
    this.channel.hide();
  }

  dispose(): void {
    this.subscription.dispose();
    this.listeners.clear();
    this.channel.dispose();
  }
}

function withArgs(message: string, args: unknown[]): string {
  return args.length ? `${message} ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}` : message;
}
