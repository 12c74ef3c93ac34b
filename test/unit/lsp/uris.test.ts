/** Paths and URIs: the fast spelling of plain paths is exactly what pathToFileURL gives. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { plainFileUri, UriMap } from '../../../server/src/lsp/uris';

const posix = path.sep === '/';

test('plain paths: file:// + the path, the same as pathToFileURL', { skip: !posix && 'POSIX paths only' }, () => {
  const plain = ['/a', '/tmp/ph-bench-ws/accounts/444455550001/roles/app-role.json', '/x/y_z/A-B.C/d.json', '/.hidden/.x.json', '/a/..b/c..json'];
  for (const p of plain) {
    assert.equal(plainFileUri(p), pathToFileURL(p).href, p);
    assert.equal(new UriMap().toUri(p), pathToFileURL(p).href, p);
  }
});

test('anything else goes through pathToFileURL', { skip: !posix && 'POSIX paths only' }, () => {
  const others = ['/a b/c.json', '/a/ü.json', '/a/%41.json', '/a/#1.json', '/a/?.json', '/a/b/', '/a//b.json', '/a/./b.json', '/a/../b.json', '/a/..', '/', '/a\\b.json', '/a:b.json', '/a~b.json'];
  for (const p of others) {
    assert.equal(plainFileUri(p), undefined, p);
    assert.equal(new UriMap().toUri(p), pathToFileURL(p).href, p);
  }
});

test('a URI the client sent is given back as it was spelled', () => {
  const m = new UriMap();
  const uri = 'file:///tmp/Mixed%20Case/k%65y.json';
  const p = m.toPath(uri);
  assert.equal(m.toUri(p), uri);
});
