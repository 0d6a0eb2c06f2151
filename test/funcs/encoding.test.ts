// Sprig's base64/base32 functions, called directly. Expected outputs are helm v4.1.4's (shared/vectors, category
// encoding) and Go's encoding/base64 and encoding/base32 error offsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, fixedValues, show } from './sprig-support.js';
import { utf8Bytes, utf8Len } from '../../src/template/value.js';

const V = fixedValues();

const cases: [string, () => string, string][] = [
  ['b64enc', () => show('b64enc', 'hello'), 'aGVsbG8='],
  ['b64enc-unicode', () => show('b64enc', V.u!), 'aMOpbGxvIHfDtnJsZCDinJM='],
  ['b64enc-empty', () => `[${show('b64enc', '')}]`, '[]'],
  ['b64dec', () => show('b64dec', 'aGVsbG8='), 'hello'],
  ['b64dec-invalid', () => show('b64dec', '!!!'), 'illegal base64 data at input byte 0'],
  ['b64dec-urlsafe', () => show('b64dec', '-_-_'), 'illegal base64 data at input byte 0'],
  ['b64dec-binary length', () => String(utf8Len(call('b64dec', '/w==') as string)), '1'],
  ['b64dec-binary keeps the raw byte', () => Buffer.from(utf8Bytes(call('b64dec', '/w==') as string)).toString('hex'), 'ff'],
  ['b64enc of a raw byte', () => show('b64enc', call('b64dec', '/w==')), '/w=='],
  ['b64dec unpadded', () => show('b64dec', 'aGk'), 'illegal base64 data at input byte 0'],
  ['b64dec newlines ignored', () => show('b64dec', 'aGVs\nbG8=\n'), 'hello'],
  ['b64dec trailing garbage', () => show('b64dec', 'aGk=x'), 'illegal base64 data at input byte 4'],
  ['b64dec bad padding', () => show('b64dec', 'aG==='), 'illegal base64 data at input byte 4'],
  ['b64dec missing second pad', () => show('b64dec', 'aG='), 'illegal base64 data at input byte 3'],
  ['b32enc', () => show('b32enc', 'hello'), 'NBSWY3DP'],
  ['b32enc padded', () => show('b32enc', 'hi'), 'NBUQ===='],
  ['b32dec', () => show('b32dec', 'NBSWY3DP'), 'hello'],
  ['b32dec padded', () => show('b32dec', 'NBUQ===='), 'hi'],
  ['b32dec-invalid', () => show('b32dec', '1'), 'illegal base32 data at input byte 0'],
  ['b32dec unpadded (Go reports the quantum start)', () => show('b32dec', 'NBUQ'), 'illegal base32 data at input byte 0'],
  ['b32-roundtrip', () => show('b32dec', call('b32enc', V.u!)), 'héllo wörld ✓'],
];

test('encoding functions match helm', () => {
  for (const [name, got, want] of cases) assert.equal(got(), want, name);
});
