// Sprig's urlParse/urlJoin over Go's net/url, called directly. Expected outputs are helm v4.1.4's
// (shared/vectors, category url) and net/url's documented behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, failure, show } from './sprig-support.js';
import type { GoValue } from '../../src/template/value.js';

const parsed = (u: string) => JSON.stringify(call('urlParse', u));

test('urlParse matches helm', () => {
  assert.equal(
    show('urlParse', 'https://user:pass@host.com:8080/p/a/t/h?query=1&b=2#frag'),
    'map[fragment:frag host:host.com:8080 hostname:host.com opaque: path:/p/a/t/h query:query=1&b=2 scheme:https userinfo:user:pass]',
  );
  assert.equal(
    parsed('example.com/x'),
    '{"scheme":"","host":"","hostname":"","path":"example.com/x","query":"","opaque":"","fragment":"","userinfo":""}',
  );
  assert.equal(
    parsed('http://h/a%20b?q=%2F'),
    '{"scheme":"http","host":"h","hostname":"h","path":"/a b","query":"q=%2F","opaque":"","fragment":"","userinfo":""}',
  );
  assert.equal(show('urlParse', 'mailto:a@b.c'), 'map[fragment: host: hostname: opaque:a@b.c path: query: scheme:mailto userinfo:]');
  assert.equal(show('urlParse', 'HTTP://[::1]:80/x#a%20b'), 'map[fragment:a b host:[::1]:80 hostname:::1 opaque: path:/x query: scheme:http userinfo:]');
  assert.equal(show('urlParse', 'http://u%40x@h/'), 'map[fragment: host:h hostname:h opaque: path:/ query: scheme:http userinfo:u%40x]');
});

test('urlParse errors like Go', () => {
  assert.equal(failure('urlParse', 'http://[::1'), `unable to parse url: parse "http://[::1": missing ']' in host`);
  assert.equal(failure('urlParse', ':x'), 'unable to parse url: parse ":x": missing protocol scheme');
  assert.equal(failure('urlParse', 'a:b/c'.replace('a:', '1a:')), 'unable to parse url: parse "1a:b/c": first path segment in URL cannot contain colon');
  assert.equal(failure('urlParse', 'http://h:x/'), 'unable to parse url: parse "http://h:x/": invalid port ":x" after host');
  assert.equal(failure('urlParse', 'http://h/%zz'), 'unable to parse url: parse "http://h/%zz": invalid URL escape "%zz"');
  // Go 1.25 accepts only IPv6 addresses in brackets (checked with netip.ParseAddr); outputs from helm v4.1.4.
  assert.equal(failure('urlParse', 'http://[1.2.3.4]'), 'unable to parse url: parse "http://[1.2.3.4]": invalid IP-literal');
  assert.equal(failure('urlParse', 'http://[zz]'), 'unable to parse url: parse "http://[zz]": invalid host: ParseAddr("zz"): unable to parse IP');
  assert.equal(failure('urlParse', 'http://[::1%25]'), 'unable to parse url: parse "http://[::1%25]": invalid host: ParseAddr("::1%"): zone must be a non-empty string');
  assert.equal(show('urlParse', 'http://[::FFFF:1.2.3.4]:80/'), 'map[fragment: host:[::FFFF:1.2.3.4]:80 hostname:::FFFF:1.2.3.4 opaque: path:/ query: scheme:http userinfo:]');
  assert.equal(show('urlParse', 'http://[fe80::1%25EN0]'), 'map[fragment: host:[fe80::1%EN0] hostname:fe80::1%EN0 opaque: path: query: scheme:http userinfo:]');
  for (const bad of ['[1::2::3]', '[1:2:3:4:5:6:7:8:9]', '[1:2:3:4:5:6:7::8]', '[12345::]', '[1:2:3:4:5:1.2.3.4]', '[::01.2.3.4]', '[1:]', '[]']) {
    assert.match(failure('urlParse', `http://${bad}`), /invalid host/, bad);
  }
});

test('urlJoin matches helm', () => {
  const dict = (...v: GoValue[]) => call('dict', ...v);
  assert.equal(show('urlJoin', dict('scheme', 'https', 'host', 'example.com', 'path', '/p', 'query', 'a=1', 'fragment', 'f')), 'https://example.com/p?a=1#f');
  assert.equal(show('urlJoin', call('urlParse', 'https://u@h:1/p?q=1#f')), 'https://u@h:1/p?q=1#f');
  assert.equal(`[${show('urlJoin', dict())}]`, '[]');
  assert.equal(show('urlJoin', dict('scheme', 'http', 'host', 'h', 'path', '/a b/c')), 'http://h/a%20b/c');
  assert.equal(show('urlJoin', dict('scheme', 'mailto', 'opaque', 'a@b.c')), 'mailto:a@b.c');
  assert.equal(show('urlJoin', dict('path', 'a:b')), './a:b');
  assert.equal(show('urlJoin', dict('host', 'h', 'path', 'p', 'fragment', 'x y')), '//h/p#x%20y');
  assert.equal(show('urlJoin', dict('scheme', 'http', 'host', 'h', 'userinfo', 'a:b')), 'http://a:b@h');
  assert.equal(failure('urlJoin', dict('host', call('list'))), 'unable to parse host key, must be of type string, but slice found');
});
