// Sprig crypto functions: deterministic results against helm v4.1.4 outputs (shared/vectors category "crypto" and
// further cases rendered with the same binary, including ciphertexts helm's encryptAES produced); random results
// by shape (lengths, prefixes, PEM parsing, certificate chains verifying with node:crypto).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodeCrypto from 'node:crypto';
import bcryptjs from 'bcryptjs';
import { cryptoFuncs, Certificate } from '../../src/template/funcs/crypto.js';
import { GoInt, typeName, kindName, type GoValue } from '../../src/template/value.js';

const f = (n: string, ...a: GoValue[]): GoValue => cryptoFuncs[n]!.fn(...a);
const u32 = (n: number): GoInt => new GoInt(n, 'uint32');

test('hashes', () => {
  assert.equal(f('sha1sum', 'hello'), 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d');
  assert.equal(f('sha1sum', ''), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
  assert.equal(f('sha256sum', 'hello'), '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  assert.equal(f('sha256sum', ''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(f('sha256sum', 'héllo wörld ✓'), 'c2a59c71097b678dc5af2eb1f98ddc575b63948b0fa6740071a945673aaada4d');
  assert.equal(
    f('sha512sum', 'hello'),
    '9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043',
  );
  assert.equal((f('sha512sum', '') as string).slice(0, 16), 'cf83e1357eefb8bd');
  assert.equal(f('adler32sum', 'hello'), '103547413');
  assert.equal(f('adler32sum', ''), '1');
});

test('derivePassword (Master Password v3)', () => {
  const rows: [number, string, string, string, string, string][] = [
    [1, 'maximum', 'password', 'user', 'example.com', 'pf4zS1LjCg&LjhsZ7T2~'],
    [1, 'medium', 'password', 'user', 'example.com', 'ZedJuz8$'],
    [1, 'short', 'password', 'user', 'example.com', 'Zed5'],
    [1, 'basic', 'password', 'user', 'example.com', 'pIS54PLs'],
    [1, 'pin', 'password', 'user', 'example.com', '6685'],
    [1, 'long', 'password', 'user', 'example.com', 'ZedaFaxcZaso9*'],
    [2, 'maximum', 'pässword', 'üser', 'exämple.com', 'd2~gYWA)^0pgZLDPi4o*'],
    [1, 'foo', 'password', 'user', 'example.com', 'cannot find password template foo'],
  ];
  for (const [c, t, p, u, s, want] of rows) assert.equal(f('derivePassword', u32(c), t, p, u, s), want, `${t} ${c}`);
});

test('bcrypt and htpasswd', () => {
  const b = f('bcrypt', 'pw') as string;
  assert.ok(b.startsWith('$2a$10$'));
  assert.equal(b.length, 60);
  assert.ok(bcryptjs.compareSync('pw', b));
  const h = f('htpasswd', 'user', 'pass') as string;
  assert.ok(h.startsWith('user:$2a$10$'));
  assert.equal(h.length, 65);
  assert.ok(bcryptjs.compareSync('pass', h.slice(5)));
  assert.equal(f('htpasswd', 'us:er', 'pass'), 'invalid username: us:er');
  assert.deepEqual(cryptoFuncs.htpasswd!.params, ['string', 'string']);
});

test('random values', () => {
  const r = f('randBytes', new GoInt(12)) as string;
  assert.equal(r.length, 16);
  assert.equal(Buffer.from(r, 'base64').length, 12);
  assert.equal(f('randBytes', new GoInt(0)), '');
  assert.equal((f('randBytes', new GoInt(5)) as string).length, 8);
  const u = f('uuidv4') as string;
  assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('encryptAES / decryptAES', () => {
  assert.equal(f('decryptAES', 'secretkey', f('encryptAES', 'secretkey', 'plaintext')), 'plaintext');
  assert.equal(Buffer.from(f('encryptAES', 'k', 'plaintext') as string, 'base64').length, 32);
  assert.equal(f('encryptAES', 'k', ''), '');
  assert.equal(f('decryptAES', 'k', ''), '');
  // Ciphertexts produced by helm's encryptAES.
  assert.equal(f('decryptAES', 'secretkey', 'qcdXhOd1sgROnwbKcs73qb8XypodcFqKYiBlINi+57w='), 'plaintext');
  assert.equal(
    f('decryptAES', 'a-very-long-password-that-exceeds-32-bytes!!', '/7fGiJnl9CUm7/h4sSi60JyZUN9efD80xUpTTUU1Z5h/V+kR8fA1rGhKlmOsyDb0iLspZQx8hLqRn/l00qBQqg=='),
    'hello world, this is longer than one block',
  );
  const errs: [string, string][] = [
    ['!!notb64', 'illegal base64 data at input byte 0'],
    ['YWJj', 'runtime error: slice bounds out of range [:16] with capacity 3'],
    ['MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=', 'crypto/cipher: input not full blocks'],
  ];
  for (const [c, msg] of errs) assert.throws(() => f('decryptAES', 'k', c), (e: Error) => e.message === msg, c);
});

test('genPrivateKey', () => {
  const rsa = f('genPrivateKey', 'rsa') as string;
  assert.ok(rsa.startsWith('-----BEGIN RSA PRIVATE KEY-----\n'));
  assert.equal(nodeCrypto.createPrivateKey(rsa).asymmetricKeyDetails?.modulusLength, 4096);
  const ec = f('genPrivateKey', 'ecdsa') as string;
  assert.ok(ec.startsWith('-----BEGIN EC PRIVATE KEY-----\n'));
  assert.equal(nodeCrypto.createPrivateKey(ec).asymmetricKeyDetails?.namedCurve, 'prime256v1');
  const ed = f('genPrivateKey', 'ed25519') as string;
  assert.ok(ed.startsWith('-----BEGIN PRIVATE KEY-----\n'));
  assert.equal(nodeCrypto.createPrivateKey(ed).asymmetricKeyType, 'ed25519');
  assert.equal(f('genPrivateKey', 'foo'), 'Unknown type foo');
});

function verifies(cert: string, issuer: string): boolean {
  const c = new nodeCrypto.X509Certificate(cert);
  const i = new nodeCrypto.X509Certificate(issuer);
  return c.checkIssued(i) && c.verify(i.publicKey);
}

test('certificates', () => {
  const ca = f('genCA', 'my-ca', new GoInt(365)) as Certificate;
  assert.equal(typeName(ca), 'sprig.certificate');
  assert.equal(kindName(ca), 'struct');
  assert.ok(ca.Cert.startsWith('-----BEGIN CERTIFICATE-----'));
  assert.ok(ca.Key.startsWith('-----BEGIN RSA PRIVATE KEY-----'));
  const x = new nodeCrypto.X509Certificate(ca.Cert);
  assert.equal(x.subject, 'CN=my-ca');
  assert.equal(x.ca, true);
  assert.equal(nodeCrypto.createPrivateKey(ca.Key).asymmetricKeyDetails?.modulusLength, 2048);
  assert.ok(verifies(ca.Cert, ca.Cert));
  const days = (new Date(x.validTo).getTime() - new Date(x.validFrom).getTime()) / 86400000;
  assert.equal(days, 365);

  const c = f('genSignedCert', 'foo.com', ['10.0.0.1', '::1'], ['foo.com', 'bar.com'], new GoInt(30), ca) as Certificate;
  const cx = new nodeCrypto.X509Certificate(c.Cert);
  assert.equal(cx.ca, false);
  assert.equal(cx.subjectAltName, 'DNS:foo.com, DNS:bar.com, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1');
  assert.ok(verifies(c.Cert, ca.Cert));
  assert.ok(cx.checkPrivateKey(nodeCrypto.createPrivateKey(c.Key)));

  const s = f('genSelfSignedCert', 'foo.com', ['10.0.0.1'], ['foo.com'], new GoInt(365)) as Certificate;
  // Not a CA (no certSign usage): only the signature is checked, as for Go's output.
  assert.ok(new nodeCrypto.X509Certificate(s.Cert).verify(new nodeCrypto.X509Certificate(s.Cert).publicKey));
  assert.equal(new nodeCrypto.X509Certificate(s.Cert).subjectAltName, 'DNS:foo.com, IP Address:10.0.0.1');

  const ek = f('genPrivateKey', 'ecdsa') as string;
  const eca = f('genCAWithKey', 'x', new GoInt(1), ek) as Certificate;
  assert.equal(eca.Key, ek);
  const ed = f('genPrivateKey', 'ed25519') as string;
  const eds = f('genSelfSignedCertWithKey', 'x', null, null, new GoInt(1), ed) as Certificate;
  assert.equal(eds.Key, ed);
  const signed = f('genSignedCertWithKey', 'y', null, ['y.z'], new GoInt(2), eca, ed) as Certificate;
  assert.ok(verifies(signed.Cert, eca.Cert));

  const b = f('buildCustomCert', Buffer.from(c.Cert).toString('base64'), Buffer.from(c.Key).toString('base64')) as Certificate;
  assert.equal(b.Cert, c.Cert);
  assert.equal(b.Key, c.Key);

  const errs: [() => GoValue, string][] = [
    [() => f('genSelfSignedCert', 'foo', [new GoInt(1)], null, new GoInt(1)), 'error parsing ip: 1 is not a string'],
    [() => f('genSelfSignedCert', 'foo', ['bad-ip'], null, new GoInt(1)), 'error parsing ip: bad-ip'],
    [() => f('genCAWithKey', 'x', new GoInt(1), 'notpem'), 'parsing private key: no PEM data in input'],
    [() => f('buildCustomCert', '!!', '!!'), 'unable to decode base64 certificate'],
    [() => f('buildCustomCert', 'YWJj', 'YWJj'), 'unable to decode certificate'],
  ];
  for (const [run, msg] of errs) assert.throws(run, (e: Error) => e.message === msg, msg);
});
