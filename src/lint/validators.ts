// The string checks helm lint borrows from asaskevich/govalidator (IsEmail, IsURL, IsRequestURL) and Go's net/url
// (ParseRequestURI, Parse), written as linear scans rather than govalidator's backtracking-prone regular expressions.
// They accept and reject the forms that appear in Chart.yaml files the way govalidator does; exotic corner cases of
// the original expressions may differ.

/** govalidator's "unicode letter" ranges used by its e-mail and URL patterns. */
function isWideChar(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xf900 && cp <= 0xfdcf) || (cp >= 0xfdf0 && cp <= 0xffef);
}

const isAsciiLetter = (c: string): boolean => /^[A-Za-z]$/.test(c);
const isAsciiDigit = (c: string): boolean => /^[0-9]$/.test(c);
const isAlnum = (c: string): boolean => isAsciiLetter(c) || isAsciiDigit(c);

// ---------------------------------------------------------------------------------------------------------------
// IsEmail

const ATOM_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

function isAtomChar(c: string): boolean {
  return isAlnum(c) || ATOM_SPECIALS.includes(c) || isWideChar(c);
}

function isDotAtom(s: string): boolean {
  if (s === '') return false;
  return s.split('.').every((part) => part !== '' && [...part].every(isAtomChar));
}

/** A domain label of the pattern: one allowed character, or first and last alphanumeric with -._~ inside. */
function isDomainPart(s: string, firstLast: (c: string) => boolean, inner: (c: string) => boolean): boolean {
  const cs = [...s];
  if (cs.length === 0) return false;
  if (!firstLast(cs[0]!) || !firstLast(cs[cs.length - 1]!)) return false;
  return cs.slice(1, -1).every((c) => inner(c));
}

/** govalidator.IsEmail. */
export function isEmail(s: string): boolean {
  const at = s.lastIndexOf('@');
  if (at <= 0) return false;
  const local = s.slice(0, at);
  let domain = s.slice(at + 1);
  // govalidator's pattern also describes quoted local parts, but as compiled by Go it rejects them.
  if (!isDotAtom(local)) return false;
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  const hostFirst = (c: string) => isAlnum(c) || isWideChar(c);
  const hostInner = (c: string) => hostFirst(c) || '-._~'.includes(c);
  const tldFirst = (c: string) => isAsciiLetter(c) || isWideChar(c);
  for (let p = domain.indexOf('.'); p >= 0; p = domain.indexOf('.', p + 1)) {
    if (isDomainPart(domain.slice(0, p), hostFirst, hostInner) && isDomainPart(domain.slice(p + 1), tldFirst, hostInner)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// net/url

interface ParsedUrl {
  scheme: string;
  host: string;
  path: string;
  opaque: string;
}

function hasCtl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** getScheme: the scheme before ':' when the text starts with one; '' when none. Throws on ':' first. */
function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (isAsciiLetter(c)) continue;
    if (isAsciiDigit(c) || c === '+' || c === '-' || c === '.') {
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

function validEscapes(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%') continue;
    if (!/^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) return false;
    i += 2;
  }
  return true;
}

const HOST_OK = "!$&'()*+,;=:[]<>\"-_.~";

function validHost(host: string): boolean {
  let h = host;
  if (h.startsWith('[')) {
    const close = h.indexOf(']');
    if (close < 0) return false;
    const port = h.slice(close + 1);
    if (port !== '' && !/^:[0-9]*$/.test(port)) return false;
    h = h.slice(1, close);
  } else {
    const colon = h.lastIndexOf(':');
    if (colon >= 0) {
      if (!/^:[0-9]*$/.test(h.slice(colon))) return false;
      h = h.slice(0, colon);
    }
  }
  if (!validEscapes(h)) return false;
  for (const c of h) {
    if (c.codePointAt(0)! >= 0x80) continue;
    if (isAlnum(c) || HOST_OK.includes(c) || c === '%') continue;
    return false;
  }
  return true;
}

function validUserinfo(s: string): boolean {
  for (const c of s) {
    if (c.codePointAt(0)! >= 0x80) return false;
    if (isAlnum(c) || "-._:~!$&'()*+,;=%@".includes(c)) continue;
    return false;
  }
  return true;
}

/** url.Parse (viaRequest=false) or url.ParseRequestURI (true); null when Go would return an error. */
function parseUrl(raw: string, viaRequest: boolean): ParsedUrl | null {
  if (hasCtl(raw)) return null;
  let rest = raw;
  if (!viaRequest) {
    const hash = rest.indexOf('#');
    if (hash >= 0) rest = rest.slice(0, hash);
  }
  if (rest === '' && viaRequest) return null;
  if (rest === '*') return { scheme: '', host: '', path: '*', opaque: '' };
  let scheme: string;
  try {
    [scheme, rest] = getScheme(rest);
  } catch {
    return null;
  }
  scheme = scheme.toLowerCase();
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith('/')) {
    if (scheme !== '') return { scheme, host: '', path: '', opaque: rest };
    if (viaRequest) return null;
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) return null;
  }
  let host = '';
  if ((scheme !== '' || !viaRequest) && rest.startsWith('//')) {
    const afterSlashes = rest.slice(2);
    const end = afterSlashes.indexOf('/');
    const authority = end < 0 ? afterSlashes : afterSlashes.slice(0, end);
    rest = end < 0 ? '' : afterSlashes.slice(end);
    const at = authority.lastIndexOf('@');
    if (at >= 0 && !validUserinfo(authority.slice(0, at))) return null;
    host = at >= 0 ? authority.slice(at + 1) : authority;
    if (!validHost(host)) return null;
  }
  if (!validEscapes(rest)) return null;
  return { scheme, host, path: rest, opaque: '' };
}

/** govalidator.IsRequestURL: url.ParseRequestURI succeeds and a scheme is present. */
export function isRequestURL(s: string): boolean {
  const u = parseUrl(s, true);
  return u !== null && u.scheme !== '';
}

// ---------------------------------------------------------------------------------------------------------------
// IsURL

const URL_SCHEMES = ['ftp', 'tcp', 'udp', 'ws', 'wss', 'http', 'https'];

function isIPv4ish(h: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (!m) return false;
  const first = Number(m[1]);
  return first >= 1 && first <= 255 && m.slice(2).every((x) => Number(x) <= 255);
}

function isHostName(h: string): boolean {
  const cs = [...h];
  if (cs.length === 0) return false;
  const edge = (c: string) => isAlnum(c) || (c.codePointAt(0)! >= 0xa1 && c.codePointAt(0)! <= 0xffff);
  const inner = (c: string) => edge(c) || c === '-' || c === '_' || c === '.';
  if (!edge(cs[0]!) || !edge(cs[cs.length - 1]!)) return false;
  if (!cs.every(inner)) return false;
  if (h.includes('..')) return false;
  // A final dotted part made of digits only is not a top-level domain (the pattern wants letters there).
  const last = h.slice(h.lastIndexOf('.') + 1);
  return !(h.includes('.') && /^[0-9]+$/.test(last) && !isIPv4ish(h));
}

/** govalidator.IsURL. */
export function isURL(s: string): boolean {
  const n = [...s].length;
  if (s === '' || n >= 2083 || s.length <= 3 || s.startsWith('.')) return false;
  const temp = s.includes(':') && !s.includes('://') ? 'http://' + s : s;
  const u = parseUrl(temp, false);
  if (u === null) return false;
  if (u.host.startsWith('.')) return false;
  if (u.host === '' && u.path !== '' && !u.path.includes('.')) return false;

  // The pattern itself, on the original text.
  let rest = s;
  const sm = /^([a-z]+):\/\//.exec(rest);
  if (sm) {
    if (!URL_SCHEMES.includes(sm[1]!)) return false;
    rest = rest.slice(sm[0].length);
  }
  const pathAt = rest.search(/[/?#]/);
  const path = pathAt < 0 ? '' : rest.slice(pathAt);
  let authority = pathAt < 0 ? rest : rest.slice(0, pathAt);
  if (/\s/.test(path)) return false;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    if (at === 0 || /\s/.test(authority.slice(0, at))) return false;
    authority = authority.slice(at + 1);
  }
  const pm = /:(\d{1,5})$/.exec(authority);
  if (pm) authority = authority.slice(0, pm.index);
  if (authority.endsWith('.')) authority = authority.slice(0, -1);
  if (authority.startsWith('[') && authority.endsWith(']')) return /^[0-9A-Fa-f:.]+$/.test(authority.slice(1, -1));
  return isIPv4ish(authority) || isHostName(authority);
}
