// Sprig v3.3.0's crypto functions (crypto.go): hashes, bcrypt/htpasswd, derivePassword (Master Password v3),
// private keys, X.509 certificates, AES-CBC, random bytes and UUIDs.
//
// Certificates are built here as DER, field for field as Go's x509.CreateCertificate writes Sprig's template:
// v3, random 128-bit serial, CN-only names, NotBefore = now, NotAfter = now + days, KeyUsage (critical) digital
// signature + key encipherment (+ cert sign for CAs), ExtKeyUsage server + client auth, BasicConstraints (critical),
// a SubjectKeyId on CAs (truncated SHA-256 of the key, as Go 1.25), the issuer's key id as AuthorityKeyId, and SANs
// (DNS names, then IPs). Signing uses node:crypto (RSA PKCS#1 v1.5 SHA-256, ECDSA with SHA-256/384/512, Ed25519).
import * as nodeCrypto from 'node:crypto';
import { createRequire } from 'node:module';
import { type GoFunc, type GoValue, GoInt, GoStruct, gofn, utf8Bytes, bytesToString, isSlice } from '../value.js';

// ---------------------------------------------------------------------------------------------------------------
// Hashes

function hex(alg: string, s: string): string {
  return nodeCrypto.createHash(alg).update(utf8Bytes(s)).digest('hex');
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}

// ---------------------------------------------------------------------------------------------------------------
// bcrypt (golang.org/x/crypto/bcrypt: $2a$, cost 10, at most 72 bytes)

function bcrypt(input: string): string {
  if (utf8Bytes(input).length > 72) return 'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes';
  // bcryptjs is loaded on first use.
  const bcryptjs = createRequire(import.meta.url)('bcryptjs') as typeof import('bcryptjs');
  const h = bcryptjs.hashSync(input, 10);
  return '$2a$' + h.slice(4);
}

// ---------------------------------------------------------------------------------------------------------------
// derivePassword: Master Password algorithm v3

const MP_SEED = 'com.lyndir.masterpassword';
const MP_TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv', 'CvccCvcvCvcvno', 'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc', 'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv',
    'CvccCvccCvcvno', 'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc', 'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};
const MP_CHARS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function derivePassword(counter: number, passwordType: string, password: string, user: string, site: string): string {
  const templates = Object.prototype.hasOwnProperty.call(MP_TEMPLATES, passwordType) ? MP_TEMPLATES[passwordType] : undefined;
  if (!templates) return `cannot find password template ${passwordType}`;
  const userB = Buffer.from(user, 'utf8');
  const siteB = Buffer.from(site, 'utf8');
  const salt = Buffer.concat([Buffer.from(MP_SEED), u32be(userB.length), userB]);
  const key = nodeCrypto.scryptSync(Buffer.from(password, 'utf8'), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 256 * 1024 * 1024 });
  const msg = Buffer.concat([Buffer.from(MP_SEED), u32be(siteB.length), siteB, u32be(counter)]);
  const seed = nodeCrypto.createHmac('sha256', key).update(msg).digest();
  const tmpl = templates[seed[0]! % templates.length]!;
  let out = '';
  for (let i = 0; i < tmpl.length; i++) {
    const chars = MP_CHARS[tmpl[i]!]!;
    out += chars[seed[i + 1]! % chars.length];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// DER

function derLen(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLen(body.length), body]);
}
const seq = (...c: Buffer[]): Buffer => tlv(0x30, ...c);
const set = (...c: Buffer[]): Buffer => tlv(0x31, ...c);
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const NULL = Buffer.from([0x05, 0x00]);
function oid(s: string): Buffer {
  const parts = s.split('.').map(Number);
  const out: number[] = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const stack = [p & 0x7f];
    let v = Math.floor(p / 128);
    while (v > 0) {
      stack.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}
function derInt(n: bigint): Buffer {
  let h = n.toString(16);
  if (h.length % 2) h = '0' + h;
  let b = Buffer.from(h, 'hex');
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}
function bitString(b: Buffer, unused = 0): Buffer {
  return tlv(0x03, Buffer.from([unused]), b);
}

/** A DER element: tag, content start, end. */
interface Der {
  tag: number;
  start: number;
  end: number;
  headerStart: number;
}
function readDer(b: Buffer, pos: number): Der {
  const tag = b[pos]!;
  let len = b[pos + 1]!;
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p + i]!;
    p += n;
  }
  if (p + len > b.length) throw new Error('asn1: syntax error: data truncated');
  return { tag, start: p, end: p + len, headerStart: pos };
}
function children(b: Buffer, d: Der): Der[] {
  const out: Der[] = [];
  for (let p = d.start; p < d.end; ) {
    const c = readDer(b, p);
    out.push(c);
    p = c.end;
  }
  return out;
}

function pem(type: string, der: Buffer): string {
  const b64 = der.toString('base64');
  let body = '';
  for (let i = 0; i < b64.length; i += 64) body += b64.slice(i, i + 64) + '\n';
  return `-----BEGIN ${type}-----\n${body}-----END ${type}-----\n`;
}

/** encoding/pem.Decode, first block only: [type, bytes] or undefined. */
function pemDecode(s: string): [string, Buffer] | undefined {
  const m = /-----BEGIN ([^-\n]*)-----\r?\n([\s\S]*?)-----END \1-----/.exec(s);
  if (!m) return undefined;
  const lines = m[2]!.split(/\r?\n/).filter((l) => l !== '' && !l.includes(':'));
  return [m[1]!, Buffer.from(lines.join(''), 'base64')];
}

// ---------------------------------------------------------------------------------------------------------------
// Keys

interface PrivKey {
  key: nodeCrypto.KeyObject;
  /** The PEM Sprig writes for it (pemBlockForKey). */
  pem: string;
  dsa?: boolean;
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let r = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) r = (r * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return r;
}

const bigFrom = (b: Buffer, d: Der): bigint => BigInt('0x' + (b.subarray(d.start, d.end).toString('hex') || '0'));

/** DSA keys as Sprig writes them: SEQUENCE { 0, P, Q, G, Y, X } ("DSA PRIVATE KEY"). */
function dsaPem(key: nodeCrypto.KeyObject): string {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  const top = children(der, readDer(der, 0));
  const alg = children(der, top[1]!);
  const params = children(der, alg[1]!);
  const [p, q, g] = params.map((d) => bigFrom(der, d)) as [bigint, bigint, bigint];
  const inner = Buffer.from(der.subarray(top[2]!.start, top[2]!.end));
  const x = bigFrom(inner, readDer(inner, 0));
  const y = modPow(g, x, p);
  return pem('DSA PRIVATE KEY', seq(derInt(0n), derInt(p), derInt(q), derInt(g), derInt(y), derInt(x)));
}

function keyPem(key: nodeCrypto.KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return key.export({ format: 'pem', type: 'pkcs1' }) as string;
    case 'ec':
      return key.export({ format: 'pem', type: 'sec1' }) as string;
    case 'dsa':
      return dsaPem(key);
    default:
      return key.export({ format: 'pem', type: 'pkcs8' }) as string;
  }
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

function b64url(x: bigint): string {
  let hex = x.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return Buffer.from(hex, 'hex').toString('base64url');
}

/**
 * An RSA private key of `bits` bits with e = 65537, from two random primes of bits/2 bits each (OpenSSL's prime
 * generator sets the top two bits, so n has exactly `bits` bits), as Go's rsa.GenerateKey makes them.
 * generateKeyPairSync('rsa') is much slower: OpenSSL 3 follows SP 800-56B there (auxiliary primes and more).
 */
export function generateRsaKey(bits: number): nodeCrypto.KeyObject {
  const e = 65537n;
  for (;;) {
    const p = nodeCrypto.generatePrimeSync(bits / 2, { bigint: true });
    const q = nodeCrypto.generatePrimeSync(bits / 2, { bigint: true });
    // e is prime, so gcd(e, p-1) = 1 unless e divides p-1
    if (p === q || (p - 1n) % e === 0n || (q - 1n) % e === 0n) continue;
    const n = p * q;
    if (n.toString(2).length !== bits) continue;
    const d = modInverse(e, (p - 1n) * (q - 1n));
    const jwk = {
      kty: 'RSA',
      n: b64url(n),
      e: b64url(e),
      d: b64url(d),
      p: b64url(p),
      q: b64url(q),
      dp: b64url(d % (p - 1n)),
      dq: b64url(d % (q - 1n)),
      qi: b64url(modInverse(q, p)),
    };
    return nodeCrypto.createPrivateKey({ key: jwk, format: 'jwk' });
  }
}

function generatePrivateKey(typ: string): string {
  let key: nodeCrypto.KeyObject;
  switch (typ) {
    case '':
    case 'rsa':
      key = generateRsaKey(4096);
      break;
    case 'dsa':
      key = nodeCrypto.generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey;
      break;
    case 'ecdsa':
      key = nodeCrypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      break;
    case 'ed25519':
      key = nodeCrypto.generateKeyPairSync('ed25519').privateKey;
      break;
    default:
      return 'Unknown type ' + typ;
  }
  return keyPem(key);
}

function rsa2048(): PrivKey {
  const key = generateRsaKey(2048);
  return { key, pem: keyPem(key) };
}

/** parsePrivateKeyPEM with Sprig's messages. */
function parsePrivateKeyPEM(s: string): PrivKey {
  const block = pemDecode(s);
  if (!block) throw new Error('no PEM data in input');
  const [type, der] = block;
  const load = (what: string, opts: nodeCrypto.PrivateKeyInput | nodeCrypto.JsonWebKeyInput): nodeCrypto.KeyObject => {
    try {
      return nodeCrypto.createPrivateKey(opts as nodeCrypto.PrivateKeyInput);
    } catch (e) {
      throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  let key: nodeCrypto.KeyObject;
  if (type === 'PRIVATE KEY') key = load('decoding PEM as PKCS#8', { key: der, format: 'der', type: 'pkcs8' });
  else if (!type.endsWith(' PRIVATE KEY')) throw new Error(`no private key data in PEM block of type ${type}`);
  else {
    switch (type.slice(0, -12)) {
      case 'RSA':
        key = load('parsing RSA private key from PEM', { key: der, format: 'der', type: 'pkcs1' });
        break;
      case 'EC':
        key = load('parsing EC private key from PEM', { key: der, format: 'der', type: 'sec1' });
        break;
      case 'DSA':
        key = load('parsing DSA private key from PEM', { key: pem('DSA PRIVATE KEY', der), format: 'pem' });
        return { key, pem: pem('DSA PRIVATE KEY', der), dsa: true };
      default:
        throw new Error(`invalid private key type ${type}`);
    }
  }
  return { key, pem: keyPem(key) };
}

// ---------------------------------------------------------------------------------------------------------------
// Certificates

export class Certificate extends GoStruct {
  constructor(
    readonly Cert: string,
    readonly Key: string,
  ) {
    super();
  }
  get typeName(): string {
    return 'sprig.certificate';
  }
  override fieldNames(): readonly string[] {
    return ['Cert', 'Key'];
  }
  override field(name: string): GoValue | undefined {
    return name === 'Cert' ? this.Cert : name === 'Key' ? this.Key : undefined;
  }
}

function nameDer(cn: string): Buffer {
  if (cn === '') return seq();
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(cn);
  const value = tlv(printable ? 0x13 : 0x0c, Buffer.from(cn, 'utf8'));
  return seq(set(seq(oid('2.5.4.3'), value)));
}

function timeDer(ms: number): Buffer {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const y = d.getUTCFullYear();
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const rest = p2(d.getUTCMonth() + 1) + p2(d.getUTCDate()) + p2(d.getUTCHours()) + p2(d.getUTCMinutes()) + p2(d.getUTCSeconds()) + 'Z';
  if (y >= 1950 && y < 2050) return tlv(0x17, Buffer.from(p2(y % 100) + rest));
  return tlv(0x18, Buffer.from(String(y).padStart(4, '0') + rest));
}

/** net.ParseIP: 4 bytes for IPv4 (and IPv4-mapped) addresses, 16 for IPv6; undefined when invalid. */
function parseIP(s: string): Buffer | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const parts = s.split('.').map(Number);
    if (parts.some((p, i) => p > 255 || (s.split('.')[i]!.length > 1 && s.split('.')[i]![0] === '0'))) return undefined;
    return Buffer.from(parts);
  }
  if (!s.includes(':')) return undefined;
  let head = s;
  let v4: number[] | undefined;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const b = parseIP(tail);
    if (!b || b.length !== 4) return undefined;
    v4 = [...b];
    head = s.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = head.split('::');
  if (dbl.length > 2) return undefined;
  const parseGroups = (x: string): number[] | undefined => {
    if (x === '') return [];
    const gs = x.split(':');
    const out: number[] = [];
    for (const g of gs) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parseGroups(dbl[0]!);
  const right = dbl.length === 2 ? parseGroups(dbl[1]!) : [];
  if (!left || !right) return undefined;
  let groups: number[];
  if (dbl.length === 2) {
    const fill = 8 - left.length - right.length;
    if (fill < 1) return undefined;
    groups = [...left, ...new Array<number>(fill).fill(0), ...right];
  } else groups = left;
  if (groups.length !== 8) return undefined;
  const buf = Buffer.alloc(16);
  groups.forEach((g, i) => buf.writeUInt16BE(g, i * 2));
  if (v4) {
    buf[12] = v4[0]!;
    buf[13] = v4[1]!;
    buf[14] = v4[2]!;
    buf[15] = v4[3]!;
  }
  // IPv4-mapped addresses are IPv4 for Go (ip.To4() != nil).
  if (buf.subarray(0, 10).every((x) => x === 0) && buf[10] === 0xff && buf[11] === 0xff) return Buffer.from(buf.subarray(12));
  return buf;
}

function goPrint(v: GoValue): string {
  if (v === null) return '<nil>';
  if (v instanceof GoInt) return String(v.value);
  if (typeof v === 'number') return String(v);
  return String(v);
}

function netIPs(ips: GoValue): Buffer[] {
  if (!isSlice(ips)) return [];
  return ips.map((ip) => {
    if (typeof ip !== 'string') throw new Error(`error parsing ip: ${goPrint(ip)} is not a string`);
    const b = parseIP(ip);
    if (!b) throw new Error(`error parsing ip: ${ip}`);
    return b;
  });
}

function dnsNames(names: GoValue): string[] {
  if (!isSlice(names)) return [];
  return names.map((n) => {
    if (typeof n !== 'string') throw new Error(`error processing alternate dns name: ${goPrint(n)} is not a string`);
    return n;
  });
}

function ext(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), tlv(0x01, Buffer.from([0xff])), octets(value)) : seq(oid(id), octets(value));
}

function keyUsageDer(bits: number[]): Buffer {
  let byte = 0;
  let maxBit = 0;
  for (const b of bits) {
    byte |= 0x80 >> b;
    maxBit = Math.max(maxBit, b);
  }
  return bitString(Buffer.from([byte]), 7 - maxBit);
}

function signatureAlgorithm(key: nodeCrypto.KeyObject): { alg: Buffer; hash: string | null } {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { alg: seq(oid('1.2.840.113549.1.1.11'), NULL), hash: 'sha256' };
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'secp384r1') return { alg: seq(oid('1.2.840.10045.4.3.3')), hash: 'sha384' };
      if (curve === 'secp521r1') return { alg: seq(oid('1.2.840.10045.4.3.4')), hash: 'sha512' };
      return { alg: seq(oid('1.2.840.10045.4.3.2')), hash: 'sha256' };
    }
    case 'ed25519':
      return { alg: seq(oid('1.3.101.112')), hash: null };
    default:
      throw new Error('error creating certificate: x509: certificate private key does not implement crypto.Signer');
  }
}

interface Parent {
  subject: Buffer;
  keyId?: Buffer;
  key: PrivKey;
}

function createCertificate(cn: string, ipsV: GoValue, dnsV: GoValue, days: number, isCA: boolean, signee: PrivKey, parent?: Parent): Certificate {
  const ips = netIPs(ipsV);
  const dns = dnsNames(dnsV);
  const serial = BigInt('0x' + nodeCrypto.randomBytes(16).toString('hex'));
  const nowMs = Date.now();
  const notAfter = nowMs + days * 86400000;
  const pub = nodeCrypto.createPublicKey(signee.key);
  let spki: Buffer;
  try {
    spki = pub.export({ format: 'der', type: 'spki' });
  } catch (e) {
    throw new Error(`error retrieving public key from signee key: ${e instanceof Error ? e.message : String(e)}`);
  }
  const signer = parent ? parent.key : signee;
  if (signer.dsa) throw new Error('error creating certificate: x509: certificate private key does not implement crypto.Signer');
  const { alg, hash } = signatureAlgorithm(signer.key);
  const subject = nameDer(cn);
  const issuer = parent ? parent.subject : subject;
  const exts: Buffer[] = [];
  exts.push(ext('2.5.29.15', true, keyUsageDer(isCA ? [0, 2, 5] : [0, 2])));
  exts.push(ext('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))));
  exts.push(ext('2.5.29.19', true, isCA ? seq(tlv(0x01, Buffer.from([0xff]))) : seq()));
  if (isCA) {
    const spkiTop = children(spki, readDer(spki, 0));
    const keyBits = spki.subarray(spkiTop[1]!.start + 1, spkiTop[1]!.end);
    const skid = nodeCrypto.createHash('sha256').update(keyBits).digest().subarray(0, 20);
    exts.push(ext('2.5.29.14', false, octets(skid)));
  }
  if (parent && !parent.subject.equals(subject) && parent.keyId) exts.push(ext('2.5.29.35', false, seq(tlv(0x80, parent.keyId))));
  if (dns.length > 0 || ips.length > 0) {
    const names = [...dns.map((d) => tlv(0x82, Buffer.from(d, 'utf8'))), ...ips.map((ip) => tlv(0x87, ip))];
    exts.push(ext('2.5.29.17', cn === '', seq(...names)));
  }
  const tbs = seq(
    tlv(0xa0, derInt(2n)),
    derInt(serial),
    alg,
    issuer,
    seq(timeDer(nowMs), timeDer(notAfter)),
    subject,
    spki,
    tlv(0xa3, seq(...exts)),
  );
  const sig = nodeCrypto.sign(hash, tbs, signer.key);
  const der = seq(tbs, alg, bitString(sig));
  return new Certificate(pem('CERTIFICATE', der), signee.pem);
}

/** The subject and SubjectKeyId of a CA certificate (PEM), with Sprig's messages. */
function parseSigner(ca: Certificate): Parent {
  const block = pemDecode(ca.Cert);
  if (!block) throw new Error('unable to decode certificate');
  const der = block[1];
  let subject: Buffer;
  let keyId: Buffer | undefined;
  try {
    new nodeCrypto.X509Certificate(der);
    const tbs = children(der, readDer(der, 0))[0]!;
    const fields = children(der, tbs);
    const off = fields[0]!.tag === 0xa0 ? 1 : 0;
    const s = fields[off + 4]!;
    subject = Buffer.from(der.subarray(s.headerStart, s.end));
    const extsWrap = fields.find((f) => f.tag === 0xa3);
    if (extsWrap) {
      for (const e of children(der, children(der, extsWrap)[0]!)) {
        const parts = children(der, e);
        const id = der.subarray(parts[0]!.start, parts[0]!.end);
        if (id.equals(oid('2.5.29.14').subarray(2))) {
          const val = parts[parts.length - 1]!;
          const inner = readDer(der, val.start);
          keyId = Buffer.from(der.subarray(inner.start, inner.end));
        }
      }
    }
  } catch (e) {
    throw new Error(`error parsing certificate: decodedSignerCert.Bytes: ${e instanceof Error ? e.message : String(e)}`);
  }
  let key: PrivKey;
  try {
    key = parsePrivateKeyPEM(ca.Key);
  } catch (e) {
    throw new Error(`error parsing private key: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { subject, keyId, key };
}

function withPEMKey(privPEM: string): PrivKey {
  try {
    return parsePrivateKeyPEM(privPEM);
  } catch (e) {
    throw new Error(`parsing private key: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const days = (d: GoValue): number => (d instanceof GoInt ? d.toNumber() : Number(d));

function buildCustomCert(b64cert: string, b64key: string): Certificate {
  const cert = goBase64Decode(b64cert);
  if (typeof cert === 'string') throw new Error('unable to decode base64 certificate');
  const key = goBase64Decode(b64key);
  if (typeof key === 'string') throw new Error('unable to decode base64 private key');
  const block = pemDecode(Buffer.from(cert).toString('latin1'));
  if (!block) throw new Error('unable to decode certificate');
  try {
    new nodeCrypto.X509Certificate(block[1]);
  } catch (e) {
    throw new Error(`error parsing certificate: decodedCert.Bytes: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    parsePrivateKeyPEM(bytesToString(key));
  } catch (e) {
    throw new Error(`error parsing private key: ${e instanceof Error ? e.message : String(e)}`);
  }
  return new Certificate(bytesToString(cert), bytesToString(key));
}

// ---------------------------------------------------------------------------------------------------------------
// AES-256-CBC (key: the password's bytes, zero-padded or cut to 32; random IV first; PKCS#7 padding)

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** base64.StdEncoding.DecodeString: the bytes, or Go's error text. */
export function goBase64Decode(s: string): Uint8Array | string {
  const out: number[] = [];
  const chars: [number, number][] = []; // [value or -1 for '=', position]
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\r' || c === '\n') continue;
    if (c === '=') chars.push([-1, i]);
    else {
      const v = B64.indexOf(c);
      if (v < 0) return `illegal base64 data at input byte ${i}`;
      chars.push([v, i]);
    }
  }
  for (let q = 0; q < chars.length; q += 4) {
    const quad = chars.slice(q, q + 4);
    const padAt = quad.findIndex(([v]) => v === -1);
    if (padAt === 0 || padAt === 1) return `illegal base64 data at input byte ${quad[padAt]![1]}`;
    if (padAt < 0 && quad.length < 4) return `illegal base64 data at input byte ${s.length}`;
    const n = padAt < 0 ? 4 : padAt;
    if (padAt >= 0) {
      for (let k = padAt; k < 4; k++) {
        if (k >= quad.length) return `illegal base64 data at input byte ${s.length}`;
        if (quad[k]![0] !== -1) return `illegal base64 data at input byte ${quad[k]![1]}`;
      }
      if (q + 4 < chars.length) return `illegal base64 data at input byte ${chars[q + 4]![1]}`;
    }
    const v = quad.slice(0, n).map(([x]) => x);
    const bits = v.reduce((acc, x) => acc * 64 + x, 0) * 64 ** (4 - n);
    const bytes = [(bits >> 16) & 0xff, (bits >> 8) & 0xff, bits & 0xff].slice(0, n - 1);
    out.push(...bytes);
  }
  return Uint8Array.from(out);
}

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password, 'utf8').copy(key, 0, 0, 32);
  return key;
}

function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const content = Buffer.from(plaintext, 'utf8');
  const pad = 16 - (content.length % 16);
  const padded = Buffer.concat([content, Buffer.alloc(pad, pad)]);
  const iv = nodeCrypto.randomBytes(16);
  const c = nodeCrypto.createCipheriv('aes-256-cbc', aesKey(password), iv);
  c.setAutoPadding(false);
  return Buffer.concat([iv, c.update(padded), c.final()]).toString('base64');
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const key = aesKey(password);
  const dec = goBase64Decode(crypt64);
  if (typeof dec === 'string') throw new Error(dec);
  const crypt = Buffer.from(dec);
  if (crypt.length < 16) throw new Error(`runtime error: slice bounds out of range [:16] with capacity ${crypt.length}`);
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) throw new Error('crypto/cipher: input not full blocks');
  if (body.length === 0) throw new Error('runtime error: index out of range [-1]');
  const d = nodeCrypto.createDecipheriv('aes-256-cbc', key, crypt.subarray(0, 16));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(body), d.final()]);
  const end = plain.length - plain[plain.length - 1]!;
  if (end < 0) throw new Error(`runtime error: slice bounds out of range [:${end}]`);
  return bytesToString(plain.subarray(0, end));
}

// ---------------------------------------------------------------------------------------------------------------

const CERT = 'sprig.certificate';

export const cryptoFuncs: Record<string, GoFunc> = {
  sha1sum: gofn(['string'], (s: string) => hex('sha1', s), undefined, 'string'),
  sha256sum: gofn(['string'], (s: string) => hex('sha256', s), undefined, 'string'),
  sha512sum: gofn(['string'], (s: string) => hex('sha512', s), undefined, 'string'),
  adler32sum: gofn(['string'], (s: string) => String(adler32(utf8Bytes(s))), undefined, 'string'),
  bcrypt: gofn(['string'], bcrypt, undefined, 'string'),
  htpasswd: gofn(['string', 'string'], (user: string, pass: string) => (user.includes(':') ? `invalid username: ${user}` : `${user}:${bcrypt(pass)}`), undefined, 'string'),
  randBytes: gofn(['int'], (n: GoValue) => {
    const count = n instanceof GoInt ? n.toNumber() : Number(n);
    if (count < 0) throw new Error('runtime error: makeslice: len out of range');
    return nodeCrypto.randomBytes(count).toString('base64');
  }, undefined, 'string'),
  uuidv4: gofn([], () => nodeCrypto.randomUUID(), undefined, 'string'),
  derivePassword: gofn(['uint32', 'string', 'string', 'string', 'string'], (counter: GoValue, t: string, p: string, u: string, s: string) => derivePassword(counter instanceof GoInt ? counter.toNumber() : Number(counter), t, p, u, s), undefined, 'string'),
  genPrivateKey: gofn(['string'], generatePrivateKey, undefined, 'string'),
  buildCustomCert: gofn(['string', 'string'], buildCustomCert, undefined, CERT),
  genCA: gofn(['string', 'int'], (cn: string, d: GoValue) => createCertificate(cn, null, null, days(d), true, rsa2048()), undefined, CERT),
  genCAWithKey: gofn(['string', 'int', 'string'], (cn: string, d: GoValue, key: string) => createCertificate(cn, null, null, days(d), true, withPEMKey(key)), undefined, CERT),
  genSelfSignedCert: gofn(['string', '[]any', '[]any', 'int'], (cn: string, ips: GoValue, dns: GoValue, d: GoValue) => {
    netIPs(ips);
    dnsNames(dns);
    return createCertificate(cn, ips, dns, days(d), false, rsa2048());
  }, undefined, CERT),
  genSelfSignedCertWithKey: gofn(['string', '[]any', '[]any', 'int', 'string'], (cn: string, ips: GoValue, dns: GoValue, d: GoValue, key: string) => createCertificate(cn, ips, dns, days(d), false, withPEMKey(key)), undefined, CERT),
  genSignedCert: gofn(['string', '[]any', '[]any', 'int', CERT], (cn: string, ips: GoValue, dns: GoValue, d: GoValue, ca: Certificate) => {
    const signee = rsa2048();
    return createCertificate(cn, ips, dns, days(d), false, signee, parseSigner(ca));
  }, undefined, CERT),
  genSignedCertWithKey: gofn(['string', '[]any', '[]any', 'int', CERT, 'string'], (cn: string, ips: GoValue, dns: GoValue, d: GoValue, ca: Certificate, key: string) => {
    const signee = withPEMKey(key);
    return createCertificate(cn, ips, dns, days(d), false, signee, parseSigner(ca));
  }, undefined, CERT),
  encryptAES: gofn(['string', 'string'], encryptAES, undefined, 'string'),
  decryptAES: gofn(['string', 'string'], decryptAES, undefined, 'string'),
};
