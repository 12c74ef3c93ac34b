/**
 * `policyHandshake.trace.server` works on its own: the trace channel's log level (which the
 * language client reads to decide whether to trace) follows the setting, and a change of
 * the setting is announced as a change of level.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Disposable, OutputChannel } from 'vscode';
import { LOG_LEVEL_OFF, LOG_LEVEL_TRACE, SettingTraceChannel } from '../../../client/src/traceChannel';

function setup(initial: unknown) {
  const lines: string[] = [];
  const channel = { name: 'Policy Handshake Trace', appendLine: (s: string) => lines.push(s), dispose: () => undefined } as unknown as OutputChannel;
  let value = initial;
  let notify: (() => void) | undefined;
  let unsubscribed = false;
  const trace = new SettingTraceChannel(channel, () => value, (listener) => {
    notify = listener;
    return { dispose: () => { unsubscribed = true; } } as Disposable;
  });
  const levels: number[] = [];
  trace.onDidChangeLogLevel((l) => levels.push(l));
  const set = (v: unknown) => { value = v; notify!(); };
  return { trace, lines, levels, set, unsubscribed: () => unsubscribed };
}

test('the level is Trace exactly when the setting is messages or verbose', () => {
  assert.equal(setup('off').trace.logLevel, LOG_LEVEL_OFF);
  assert.equal(setup(undefined).trace.logLevel, LOG_LEVEL_OFF);
  assert.equal(setup('messages').trace.logLevel, LOG_LEVEL_TRACE);
  assert.equal(setup('verbose').trace.logLevel, LOG_LEVEL_TRACE);
  // vscode.LogLevel: Off = 0, Trace = 1.
  assert.deepEqual([LOG_LEVEL_OFF, LOG_LEVEL_TRACE], [0, 1]);
});

test('changing the setting announces the new level once, and traces are written only while on', () => {
  const s = setup('off');
  s.trace.trace('[Trace] hidden');
  s.set('messages');
  s.trace.trace('[Trace] shown');
  s.set('verbose');
  s.set('off');
  s.trace.trace('[Trace] hidden again');
  assert.deepEqual(s.levels, [LOG_LEVEL_TRACE, LOG_LEVEL_OFF]);
  assert.deepEqual(s.lines, ['[Trace] shown']);
  s.trace.dispose();
  assert.ok(s.unsubscribed());
});
