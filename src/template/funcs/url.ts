// Sprig's urlParse and urlJoin, over an implementation of the parts of Go's net/url they use: Parse (with its
// errors), Hostname, Userinfo.String and URL.String with Go's escaping rules.
import { type GoFunc, type GoMap, type GoValue, gofn, newMap, utf8Bytes, bytesToString } from '../value.js';
import { quote } from '../fmt.js';
import { reflectKind, nilDereference } from './cast.js';

const enum Mode {
  Path = 1,
  PathSegment,
  Host,
  Zone,
  UserPassword,
  QueryComponent,
  Fragment,
}

function shouldEscape(c: number, mode: Mode): boolean {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return false;
  const ch = String.fromCharCode(c);
  if (mode === Mode.Host || mode === Mode.Zone) {
    if ("!$&'()*+,;=:[]<>\"".includes(ch)) return false;
  }
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    switch (mode) {
      case Mode.Path:
        return ch === '?';
      case Mode.PathSegment:
        return ch === '/' || ch === ';' || ch === ',' || ch === '?';
      case Mode.UserPassword:
        return ch === '@' || ch === '/' || ch === '?' || ch === ':';
      case Mode.QueryComponent:
        return true;
      case Mode.Fragment:
        return false;
    }
  }
  if (mode === Mode.Fragment && '!()*'.includes(ch)) return false;
  return true;
}

const HEX = '0123456789ABCDEF';

function escape(s: string, mode: Mode): string {
  const b = utf8Bytes(s);
  let out = '';
  let plain = 0;
  const flush = (i: number) => {
    if (i > plain) out += bytesToString(b.subarray(plain, i));
  };
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (shouldEscape(c, mode)) {
      flush(i);
      out += c === 0x20 && mode === Mode.QueryComponent ? '+' : '%' + HEX[c >> 4] + HEX[c & 15];
      plain = i + 1;
    }
  }
  flush(b.length);
  return out;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}
function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return c - 0x41 + 10;
}

function unescape(s: string, mode: Mode): string {
  const b = utf8Bytes(s);
  let n = 0;
  let hasPlus = false;
  const text = (a: number, z: number) => bytesToString(b.subarray(a, z));
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c === 0x25) {
      n++;
      if (i + 2 >= b.length || !isHex(b[i + 1]!) || !isHex(b[i + 2]!)) {
        throw new Error(`invalid URL escape ${quote(text(i, Math.min(i + 3, b.length)))}`);
      }
      const v = (unhex(b[i + 1]!) << 4) | unhex(b[i + 2]!);
      const seq = text(i, i + 3);
      if (mode === Mode.Host && unhex(b[i + 1]!) < 8 && seq !== '%25') throw new Error(`invalid URL escape ${quote(seq)}`);
      if (mode === Mode.Zone && seq !== '%25' && v !== 0x20 && shouldEscape(v, Mode.Host)) {
        throw new Error(`invalid URL escape ${quote(seq)}`);
      }
      i += 3;
    } else if (c === 0x2b) {
      hasPlus = mode === Mode.QueryComponent;
      i++;
    } else {
      if ((mode === Mode.Host || mode === Mode.Zone) && c < 0x80 && shouldEscape(c, mode)) {
        throw new Error(`invalid character ${quote(text(i, i + 1))} in host name`);
      }
      i++;
    }
  }
  if (n === 0 && !hasPlus) return s;
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x25) {
      out.push((unhex(b[i + 1]!) << 4) | unhex(b[i + 2]!));
      i += 2;
    } else if (c === 0x2b) {
      out.push(mode === Mode.QueryComponent ? 0x20 : 0x2b);
    } else {
      out.push(c);
    }
  }
  return bytesToString(Uint8Array.from(out));
}

interface Userinfo {
  username: string;
  password?: string;
}

interface URL {
  scheme: string;
  opaque: string;
  user?: Userinfo;
  host: string;
  path: string;
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
}

function emptyURL(): URL {
  return { scheme: '', opaque: '', host: '', path: '', rawPath: '', omitHost: false, forceQuery: false, rawQuery: '', fragment: '' };
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c === '+' || c === '-' || c === '.') {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new Error('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  for (const c of port.slice(1)) if (c < '0' || c > '9') return false;
  return true;
}

class AddrError extends Error {
  constructor(input: string, msg: string, at?: string) {
    super(`ParseAddr(${quote(input)}): ${msg}${at !== undefined ? ` (at ${quote(at)})` : ''}`);
  }
}

/** netip's parseIPv4Fields: validates dotted-quad text in [off, end) of `input`. */
function checkIPv4(input: string, off: number, end: number): void {
  const s = input.slice(off, end);
  let val = 0;
  let pos = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c >= '0' && c <= '9') {
      if (digits === 1 && val === 0) throw new AddrError(input, 'IPv4 field has octet with leading zero');
      val = val * 10 + (c.charCodeAt(0) - 0x30);
      digits++;
      if (val > 255) throw new AddrError(input, 'IPv4 field has value >255');
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') throw new AddrError(input, 'IPv4 field must have at least one digit', s.slice(i));
      if (pos === 3) throw new AddrError(input, 'IPv4 address too long');
      pos++;
      val = 0;
      digits = 0;
    } else {
      throw new AddrError(input, 'unexpected character', s.slice(i));
    }
  }
  if (pos < 3) throw new AddrError(input, 'IPv4 address too short');
}

/** netip's parseIPv6: validates an IPv6 address with optional %zone. */
function checkIPv6(input: string): void {
  let s = input;
  let zone = '';
  const pct = s.indexOf('%');
  if (pct !== -1) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === '') throw new AddrError(input, 'zone must be a non-empty string');
  }
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const c = s[off]!;
      const h = /[0-9a-fA-F]/.test(c) ? parseInt(c, 16) : -1;
      if (h < 0) break;
      acc = acc * 16 + h;
      if (off > 3) throw new AddrError(input, 'each group must have 4 or less digits', s);
      if (acc > 0xffff) throw new AddrError(input, 'IPv6 field has value >=2^16', s);
    }
    if (off === 0) throw new AddrError(input, 'each colon-separated field must have at least one digit', s);
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) throw new AddrError(input, 'embedded IPv4 address must replace the final 2 fields of the address', s);
      if (i + 4 > 16) throw new AddrError(input, 'too many hex fields to fit an embedded IPv4 at the end of the address', s);
      const end = input.length - (zone.length > 0 ? zone.length + 1 : 0);
      checkIPv4(input, end - s.length, end);
      s = '';
      i += 4;
      break;
    }
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ':') throw new AddrError(input, 'unexpected character, want colon', s);
    if (s.length === 1) throw new AddrError(input, 'colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) throw new AddrError(input, 'multiple :: in address', s);
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) throw new AddrError(input, 'trailing garbage after address', s);
  if (i < 16) {
    if (ellipsis < 0) throw new AddrError(input, 'address string too short');
  } else if (ellipsis >= 0) {
    throw new AddrError(input, 'the :: must expand to at least one field of zeros', s);
  }
}

/** netip.ParseAddr; returns whether the address is IPv4 (throws AddrError when invalid). */
function parseAddrIs4(s: string): boolean {
  for (const c of s) {
    if (c === '.') {
      checkIPv4(s, 0, s.length);
      return true;
    }
    if (c === ':') {
      checkIPv6(s);
      return false;
    }
    if (c === '%') throw new AddrError(s, 'missing IPv6 address');
  }
  throw new AddrError(s, 'unable to parse IP');
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new Error("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new Error(`invalid port ${quote(colonPort)} after host`);
    const zone = host.slice(0, i).indexOf('%25');
    const unescaped =
      zone >= 0
        ? unescape(host.slice(0, zone), Mode.Host) + unescape(host.slice(zone, i), Mode.Zone) + unescape(host.slice(i), Mode.Host)
        : unescape(host, Mode.Host);
    // Only an IPv6 address may stand in brackets (Go >= 1.25 checks it with netip.ParseAddr).
    let is4: boolean;
    try {
      is4 = parseAddrIs4(unescaped.slice(1, unescaped.lastIndexOf(']')));
    } catch (e) {
      throw new Error(`invalid host: ${(e as Error).message}`);
    }
    if (is4) throw new Error('invalid IP-literal');
    return unescaped;
  }
  const i = host.lastIndexOf(':');
  if (i !== -1) {
    const colonPort = host.slice(i);
    if (!validOptionalPort(colonPort)) throw new Error(`invalid port ${quote(colonPort)} after host`);
  }
  return unescape(host, Mode.Host);
}

function validUserinfo(s: string): boolean {
  for (const c of s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) continue;
    if ("-._:~!$&'()*+,;=%@".includes(c)) continue;
    return false;
  }
  return true;
}

function parseAuthority(authority: string): [Userinfo | undefined, string] {
  const i = authority.lastIndexOf('@');
  const host = parseHost(i < 0 ? authority : authority.slice(i + 1));
  if (i < 0) return [undefined, host];
  const userinfo = authority.slice(0, i);
  if (!validUserinfo(userinfo)) throw new Error('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  if (colon < 0) return [{ username: unescape(userinfo, Mode.UserPassword) }, host];
  return [
    {
      username: unescape(userinfo.slice(0, colon), Mode.UserPassword),
      password: unescape(userinfo.slice(colon + 1), Mode.UserPassword),
    },
    host,
  ];
}

function parseNoFragment(raw: string): URL {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) throw new Error('net/url: invalid control character in URL');
  }
  const url = emptyURL();
  if (raw === '*') {
    url.path = '*';
    return url;
  }
  let rest: string;
  [url.scheme, rest] = getScheme(raw);
  url.scheme = url.scheme.toLowerCase();
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    url.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      url.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') {
      url.opaque = rest;
      return url;
    }
    const slash = rest.indexOf('/');
    const segment = slash < 0 ? rest : rest.slice(0, slash);
    if (segment.includes(':')) throw new Error('first path segment in URL cannot contain colon');
  }
  if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const i = authority.indexOf('/');
    if (i >= 0) {
      rest = authority.slice(i);
      authority = authority.slice(0, i);
    }
    [url.user, url.host] = parseAuthority(authority);
  } else if (url.scheme !== '' && rest.startsWith('/')) {
    url.omitHost = true;
  }
  url.path = unescape(rest, Mode.Path);
  url.rawPath = escape(url.path, Mode.Path) === rest ? '' : rest;
  return url;
}

/** url.Parse; errors read like Go's *url.Error: `parse "<url>": <reason>`. */
function parseURL(raw: string): URL {
  const hash = raw.indexOf('#');
  const u = hash < 0 ? raw : raw.slice(0, hash);
  const frag = hash < 0 ? '' : raw.slice(hash + 1);
  let url: URL;
  try {
    url = parseNoFragment(u);
  } catch (e) {
    throw new Error(`parse ${quote(u)}: ${(e as Error).message}`);
  }
  if (frag === '') return url;
  try {
    url.fragment = unescape(frag, Mode.Fragment);
  } catch (e) {
    throw new Error(`parse ${quote(raw)}: ${(e as Error).message}`);
  }
  return url;
}

function userinfoString(u: Userinfo): string {
  let s = escape(u.username, Mode.UserPassword);
  if (u.password !== undefined) s += ':' + escape(u.password, Mode.UserPassword);
  return s;
}

function hostname(host: string): string {
  let h = host;
  const colon = h.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(h.slice(colon))) h = h.slice(0, colon);
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h;
}

function escapedPath(u: URL): string {
  if (u.rawPath !== '') {
    try {
      if (unescape(u.rawPath, Mode.Path) === u.path) return u.rawPath;
    } catch {
      // fall through to escaping the decoded path
    }
  }
  if (u.path === '*') return '*';
  return escape(u.path, Mode.Path);
}

/** URL.String. */
function urlString(u: URL): string {
  let buf = '';
  if (u.scheme !== '') buf += u.scheme + ':';
  if (u.opaque !== '') {
    buf += u.opaque;
  } else {
    if (u.scheme !== '' || u.host !== '' || u.user !== undefined) {
      if (!(u.omitHost && u.host === '' && u.user === undefined)) {
        if (u.host !== '' || u.path !== '' || u.user !== undefined) buf += '//';
        if (u.user !== undefined) buf += userinfoString(u.user) + '@';
        if (u.host !== '') buf += escape(u.host, Mode.Host);
      }
    }
    const path = escapedPath(u);
    if (path !== '' && path[0] !== '/' && u.host !== '') buf += '/';
    if (buf === '') {
      const slash = path.indexOf('/');
      const segment = slash < 0 ? path : path.slice(0, slash);
      if (segment.includes(':')) buf += './';
    }
    buf += path;
  }
  if (u.forceQuery || u.rawQuery !== '') buf += '?' + u.rawQuery;
  if (u.fragment !== '') buf += '#' + escape(u.fragment, Mode.Fragment);
  return buf;
}

function urlParse(v: string): GoMap {
  let u: URL;
  try {
    u = parseURL(v);
  } catch (e) {
    throw new Error(`unable to parse url: ${(e as Error).message}`);
  }
  const d = newMap();
  d.scheme = u.scheme;
  d.host = u.host;
  d.hostname = hostname(u.host);
  d.path = u.path;
  d.query = u.rawQuery;
  d.opaque = u.opaque;
  d.fragment = u.fragment;
  d.userinfo = u.user === undefined ? '' : userinfoString(u.user);
  return d;
}

function dictGetOrEmpty(d: GoMap | null, key: string): string {
  if (d === null || !Object.prototype.hasOwnProperty.call(d, key)) return '';
  const v: GoValue = d[key]!;
  if (v === null) throw nilDereference();
  if (typeof v !== 'string') throw new Error(`unable to parse ${key} key, must be of type string, but ${reflectKind(v)} found`);
  return v;
}

function urlJoin(d: GoMap | null): string {
  const u = emptyURL();
  u.scheme = dictGetOrEmpty(d, 'scheme');
  u.host = dictGetOrEmpty(d, 'host');
  u.path = dictGetOrEmpty(d, 'path');
  u.rawQuery = dictGetOrEmpty(d, 'query');
  u.opaque = dictGetOrEmpty(d, 'opaque');
  u.fragment = dictGetOrEmpty(d, 'fragment');
  const userinfo = dictGetOrEmpty(d, 'userinfo');
  if (userinfo !== '') {
    try {
      u.user = parseURL(`proto://${userinfo}@host`).user;
    } catch (e) {
      throw new Error(`unable to parse userinfo in dict: ${(e as Error).message}`);
    }
  }
  return urlString(u);
}

export const urlFuncs: Record<string, GoFunc> = {
  urlParse: gofn(['string'], urlParse),
  urlJoin: gofn(['map'], urlJoin),
};
