/**
 * Preloaded with `node -r` by the isolation tests: every way out of the process (sockets,
 * HTTP, DNS, UDP, fetch, child processes) throws, and each attempt is also written to
 * stderr as `BLOCKED <what>` so that a caller swallowing the error is still caught.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
// The module objects themselves (not import wrappers), so that their functions can be replaced.
import childProcess = require('node:child_process');
import dgram = require('node:dgram');
import dns = require('node:dns');
import http = require('node:http');
import http2 = require('node:http2');
import https = require('node:https');
import net = require('node:net');
import tls = require('node:tls');

function blocked(what: string): never {
  try {
    process.stderr.write(`BLOCKED ${what}\n`);
  } catch {
    // stderr closed: the throw below still says it.
  }
  throw new Error(`network and process access are disabled in this test (${what})`);
}

function stub(target: object, names: string[], label: string): void {
  for (const name of names) {
    if (typeof (target as Record<string, unknown>)[name] !== 'function') continue;
    Object.defineProperty(target, name, { value: () => blocked(`${label}.${name}`), writable: true, configurable: true });
  }
}

stub(net, ['connect', 'createConnection', 'createServer'], 'net');
stub(net.Socket.prototype, ['connect'], 'net.Socket');
stub(tls, ['connect', 'createServer'], 'tls');
stub(http, ['request', 'get', 'createServer'], 'http');
stub(https, ['request', 'get', 'createServer'], 'https');
stub(http2, ['connect', 'createServer', 'createSecureServer'], 'http2');
stub(dns, ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveTxt', 'resolveSrv', 'reverse'], 'dns');
stub(dns.promises, ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'reverse'], 'dns.promises');
stub(dgram, ['createSocket'], 'dgram');
stub(childProcess, ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'], 'child_process');
stub(globalThis, ['fetch', 'WebSocket', 'EventSource'], 'global');
