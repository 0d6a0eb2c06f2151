// Sprig's semver and semverCompare, with Masterminds/semver v3.4.0 semantics (the version Helm 4.1 links).
//
// NewVersion is the "coercing" parser: optional leading v, one to three numeric segments (leading zeros allowed,
// missing ones are 0), then -prerelease and +metadata made of dot-separated [0-9A-Za-z-] identifiers; numeric
// prerelease identifiers may not start with 0. Segments are uint64.
//
// Constraints: `||` separates alternatives; inside one, constraints are separated by spaces or commas; each is an
// operator (= != > < >= => <= =< ~ ~> ^ or none) and a version that may use x, X or * wildcards and may be partial
// (1, 1.2: "dirty"). `A - B` hyphen ranges are rewritten to `>= A, <= B` first. A prerelease version only satisfies
// an alternative in which some constraint carries a prerelease.
import { type GoFunc, type GoValue, GoInt, GoStruct, gofn, utf8Bytes } from '../value.js';

const MAX_UINT64 = (1n << 64n) - 1n;

export class SemverError extends Error {
  override readonly name = 'SemverError';
}

const ERR_INVALID = 'invalid semantic version';
const ERR_SEGMENT_ZERO = 'version segment starts with 0';
const ERR_INVALID_PRERELEASE = 'invalid prerelease string';
const ERR_INVALID_METADATA = 'invalid metadata string';

const IDENT = /^[0-9A-Za-z-]+$/;
const DIGITS = /^[0-9]+$/;

function validIdentifiers(s: string): boolean {
  return s.split('.').every((p) => IDENT.test(p));
}

/** Error text of a bad prerelease, or undefined when it is valid. */
function prereleaseError(p: string): string | undefined {
  if (!validIdentifiers(p)) return ERR_INVALID_PRERELEASE;
  for (const part of p.split('.')) if (part.length > 1 && part[0] === '0' && DIGITS.test(part)) return ERR_SEGMENT_ZERO;
  return undefined;
}

function parseSegment(s: string): bigint {
  const n = BigInt(s);
  if (n > MAX_UINT64) throw new SemverError(`error parsing version segment: strconv.ParseUint: parsing "${s}": value out of range`);
  return n;
}

interface VersionData {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string;
  metadata: string;
  original: string;
}

/** semver.NewVersion. Throws SemverError with the library's message. */
export function parseVersion(v: string): VersionData {
  let s = v.startsWith('v') ? v.slice(1) : v;
  let metadata = '';
  let pre = '';
  const plus = s.indexOf('+');
  if (plus >= 0) {
    metadata = s.slice(plus + 1);
    s = s.slice(0, plus);
    if (!validIdentifiers(metadata)) throw new SemverError(ERR_INVALID);
  }
  const dash = s.indexOf('-');
  if (dash >= 0) {
    pre = s.slice(dash + 1);
    s = s.slice(0, dash);
    if (!validIdentifiers(pre)) throw new SemverError(ERR_INVALID);
  }
  const segs = s.split('.');
  if (segs.length > 3 || segs.some((x) => !DIGITS.test(x))) throw new SemverError(ERR_INVALID);
  const major = parseSegment(segs[0]!);
  const minor = segs.length > 1 ? parseSegment(segs[1]!) : 0n;
  const patch = segs.length > 2 ? parseSegment(segs[2]!) : 0n;
  if (pre !== '') {
    const e = prereleaseError(pre);
    if (e) throw new SemverError(e);
  }
  return { major, minor, patch, pre, metadata, original: v };
}

function versionString(d: VersionData): string {
  let s = `${d.major}.${d.minor}.${d.patch}`;
  if (d.pre !== '') s += '-' + d.pre;
  if (d.metadata !== '') s += '+' + d.metadata;
  return s;
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function identNum(s: string): bigint | undefined {
  if (!DIGITS.test(s)) return undefined;
  const n = BigInt(s);
  return n > MAX_UINT64 ? undefined : n;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const sn = identNum(s);
  const on = identNum(o);
  if (sn === undefined && on === undefined) return s > o ? 1 : -1;
  if (on === undefined) return -1;
  if (sn === undefined) return 1;
  return sn > on ? 1 : -1;
}

function comparePrerelease(a: string, b: string): number {
  while (a !== '' || b !== '') {
    const ia = a.indexOf('.');
    const ib = b.indexOf('.');
    const pa = ia >= 0 ? a.slice(0, ia) : a;
    const pb = ib >= 0 ? b.slice(0, ib) : b;
    a = ia >= 0 ? a.slice(ia + 1) : '';
    b = ib >= 0 ? b.slice(ib + 1) : '';
    const d = comparePrePart(pa, pb);
    if (d !== 0) return d;
  }
  return 0;
}

/** Version.Compare: -1, 0 or 1; metadata ignored, a prerelease sorts before its release. */
export function compareVersions(v: VersionData, o: VersionData): number {
  const d = cmpBig(v.major, o.major) || cmpBig(v.minor, o.minor) || cmpBig(v.patch, o.patch);
  if (d !== 0) return d;
  if (v.pre === '' && o.pre === '') return 0;
  if (v.pre === '') return 1;
  if (o.pre === '') return -1;
  return comparePrerelease(v.pre, o.pre);
}

/** *semver.Version (pointer = true, as NewVersion returns) or semver.Version (as IncMinor etc. return). */
export class SemverVersion extends GoStruct {
  constructor(
    readonly data: VersionData,
    readonly pointer: boolean = true,
  ) {
    super();
  }
  get typeName(): string {
    return this.pointer ? '*semver.Version' : 'semver.Version';
  }
  override goString(): string {
    return versionString(this.data);
  }
  /** json.Marshaler (the encoders' convention, see src/yaml/structs.ts): the version string, quoted. */
  marshalJSON(): string {
    return JSON.stringify(versionString(this.data));
  }
  /** encoding.TextMarshaler. */
  marshalText(): string {
    return versionString(this.data);
  }
  override method(name: string): GoFunc | undefined {
    const m = VALUE_METHODS[name] ?? (this.pointer ? POINTER_METHODS[name] : undefined);
    if (!m) return undefined;
    const self = this;
    return { ...m, fn: (...args: GoValue[]) => m.fn(self, ...args) };
  }
}

function withVPrefix(v: VersionData, next: Omit<VersionData, 'original'>): SemverVersion {
  const prefix = v.original.startsWith('v') ? 'v' : '';
  const d: VersionData = { ...next, original: '' };
  d.original = prefix + versionString(d);
  return new SemverVersion(d, false);
}

const u64 = (n: bigint): GoInt => new GoInt(n, 'uint64');
const VERSION = '*semver.Version';

// Methods with a value receiver (callable on both Version and *Version); the receiver comes first.
const VALUE_METHODS: Record<string, GoFunc> = {
  String: gofn([], (v: SemverVersion) => versionString(v.data), undefined, 'string'),
  Major: gofn([], (v: SemverVersion) => u64(v.data.major), undefined, 'uint64'),
  Minor: gofn([], (v: SemverVersion) => u64(v.data.minor), undefined, 'uint64'),
  Patch: gofn([], (v: SemverVersion) => u64(v.data.patch), undefined, 'uint64'),
  Prerelease: gofn([], (v: SemverVersion) => v.data.pre, undefined, 'string'),
  Metadata: gofn([], (v: SemverVersion) => v.data.metadata, undefined, 'string'),
  IncPatch: gofn([], (v: SemverVersion) => {
    const d = v.data;
    if (d.pre !== '') return withVPrefix(d, { ...d, pre: '', metadata: '' });
    return withVPrefix(d, { ...d, pre: '', metadata: '', patch: BigInt.asUintN(64, d.patch + 1n) });
  }, undefined, 'semver.Version'),
  IncMinor: gofn([], (v: SemverVersion) => {
    const d = v.data;
    return withVPrefix(d, { ...d, pre: '', metadata: '', patch: 0n, minor: BigInt.asUintN(64, d.minor + 1n) });
  }, undefined, 'semver.Version'),
  IncMajor: gofn([], (v: SemverVersion) => {
    const d = v.data;
    return withVPrefix(d, { ...d, pre: '', metadata: '', patch: 0n, minor: 0n, major: BigInt.asUintN(64, d.major + 1n) });
  }, undefined, 'semver.Version'),
  SetPrerelease: gofn(['string'], (v: SemverVersion, p: string) => {
    if (p !== '') {
      const e = prereleaseError(p);
      if (e) throw new SemverError(e);
    }
    return withVPrefix(v.data, { ...v.data, pre: p });
  }, undefined, 'semver.Version'),
  SetMetadata: gofn(['string'], (v: SemverVersion, m: string) => {
    if (m !== '' && !validIdentifiers(m)) throw new SemverError(ERR_INVALID_METADATA);
    return withVPrefix(v.data, { ...v.data, metadata: m });
  }, undefined, 'semver.Version'),
  MarshalJSON: gofn([], (v: SemverVersion) => utf8Bytes(JSON.stringify(versionString(v.data))), undefined, '[]uint8'),
  MarshalText: gofn([], (v: SemverVersion) => utf8Bytes(versionString(v.data)), undefined, '[]uint8'),
};

// Methods with a pointer receiver: only on *Version.
const POINTER_METHODS: Record<string, GoFunc> = {
  Original: gofn([], (v: SemverVersion) => v.data.original, undefined, 'string'),
  Compare: gofn([VERSION], (v: SemverVersion, o: SemverVersion) => new GoInt(compareVersions(v.data, o.data)), undefined, 'int'),
  LessThan: gofn([VERSION], (v: SemverVersion, o: SemverVersion) => compareVersions(v.data, o.data) < 0, undefined, 'bool'),
  LessThanEqual: gofn([VERSION], (v: SemverVersion, o: SemverVersion) => compareVersions(v.data, o.data) <= 0, undefined, 'bool'),
  GreaterThan: gofn([VERSION], (v: SemverVersion, o: SemverVersion) => compareVersions(v.data, o.data) > 0, undefined, 'bool'),
  GreaterThanEqual: gofn([VERSION], (v: SemverVersion, o: SemverVersion) => compareVersions(v.data, o.data) >= 0, undefined, 'bool'),
  Equal: gofn([VERSION], (v: SemverVersion, o: SemverVersion) => o !== null && compareVersions(v.data, o.data) === 0, undefined, 'bool'),
};

// ---------------------------------------------------------------------------------------------------------------
// Constraints

const WS = '[\\t\\n\\f\\r ]';
const NUMX = '[0-9|xX*]+';
const IDENTS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
// Groups: 1 major, 2 .minor, 3 .patch, 4 -prerelease (with its dash).
const CV = `v?(${NUMX})(\\.${NUMX})?(\\.${NUMX})?(-${IDENTS})?(?:\\+${IDENTS})?`;
const CV_PLAIN = `v?${NUMX}(?:\\.${NUMX})?(?:\\.${NUMX})?(?:-${IDENTS})?(?:\\+${IDENTS})?`;
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';

const CONSTRAINT_RE = new RegExp(`^${WS}*(${OPS})${WS}*(${CV})${WS}*$`);
const RANGE_RE = new RegExp(`${WS}*(${CV_PLAIN})${WS}+-${WS}+(${CV_PLAIN})${WS}*`, 'g');
const FIND_RE = new RegExp(`(?:${OPS})${WS}*(?:${CV_PLAIN})`, 'g');
const VALID_RE = new RegExp(`^(?:${WS}*(?:${OPS})${WS}*(?:${CV_PLAIN})${WS}*)(?:(?:${WS}+|,${WS}*)(?:${OPS})${WS}*(?:${CV_PLAIN})${WS}*)*$`);

type Op = '' | '=' | '!=' | '>' | '<' | '>=' | '=>' | '<=' | '=<' | '~' | '~>' | '^';

interface Constraint {
  op: Op;
  con: VersionData;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const isX = (s: string): boolean => s === 'x' || s === 'X' || s === '*';

function parseConstraint(c: string): Constraint {
  const m = CONSTRAINT_RE.exec(c);
  if (!m) throw new SemverError(`improper constraint: ${c}`);
  const op = m[1] as Op;
  const [major, minorDot, patchDot, preDash] = [m[3]!, m[4] ?? '', m[5] ?? '', m[6] ?? ''];
  let ver = m[2]!;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major)) {
    ver = `0.0.0${preDash}`;
    dirty = true;
  } else if (minorDot === '' || isX(minorDot.slice(1))) {
    ver = `${major}.0.0${preDash}`;
    dirty = minorDirty = true;
  } else if (patchDot === '' || isX(patchDot.slice(1))) {
    ver = `${major}${minorDot}.0${preDash}`;
    dirty = patchDirty = true;
  }
  let con: VersionData;
  try {
    con = parseVersion(ver);
  } catch {
    throw new SemverError('constraint parser error');
  }
  return { op, con, dirty, minorDirty, patchDirty };
}

function checkTilde(v: VersionData, c: Constraint): boolean {
  if (compareVersions(v, c.con) < 0) return false;
  const k = c.con;
  if (k.major === 0n && k.minor === 0n && k.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== k.major) return false;
  if (v.minor !== k.minor && !c.minorDirty) return false;
  return true;
}

function check(v: VersionData, c: Constraint, includePre: boolean): boolean {
  if (v.pre !== '' && !includePre) return false;
  const k = c.con;
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? checkTilde(v, c) : compareVersions(v, k) === 0;
    case '!=':
      if (c.dirty) {
        if (k.major !== v.major) return true;
        if (k.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (k.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.pre !== '' || k.pre !== '') return comparePrerelease(v.pre, k.pre) !== 0;
          return false;
        }
      }
      return compareVersions(v, k) !== 0;
    case '>':
      if (!c.dirty) return compareVersions(v, k) > 0;
      if (v.major > k.major) return true;
      if (v.major < k.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > k.minor;
      return compareVersions(v, k) > 0;
    case '<':
      return compareVersions(v, k) < 0;
    case '>=':
    case '=>':
      return compareVersions(v, k) >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return compareVersions(v, k) <= 0;
      if (v.major > k.major) return false;
      if (v.major === k.major && v.minor > k.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return checkTilde(v, c);
    case '^':
      if (compareVersions(v, k) < 0) return false;
      if (k.major > 0n || c.minorDirty) return v.major === k.major;
      if (v.major > 0n) return false;
      if (k.minor > 0n || c.patchDirty) return v.minor === k.minor;
      if (v.minor > 0n) return false;
      return v.patch === k.patch;
  }
}

function rewriteRange(s: string): string {
  let out = s;
  for (const m of s.matchAll(RANGE_RE)) {
    const repl = `>= ${m[1]}, <= ${m[2]} `;
    out = out.replace(m[0], () => repl);
  }
  return out;
}

/** semver.NewConstraint: the alternatives, each a list of constraints and whether one carries a prerelease. */
export function parseConstraints(s: string): { all: Constraint[]; hasPre: boolean }[] {
  return rewriteRange(s)
    .split('||')
    .map((alt) => {
      if (!VALID_RE.test(alt)) throw new SemverError(`improper constraint: ${alt}`);
      const parts = alt.match(FIND_RE) ?? [alt];
      const all = parts.map(parseConstraint);
      return { all, hasPre: all.some((c) => c.con.pre !== '') };
    });
}

/** Constraints.Check. */
export function checkConstraints(cs: ReturnType<typeof parseConstraints>, v: VersionData): boolean {
  return cs.some((g) => g.all.every((c) => check(v, c, g.hasPre)));
}

/**
 * Answers of semverCompare by constraint and version (a pure function of the two): charts ask the same few
 * questions about .Capabilities.KubeVersion in most templates of every render. Bounded.
 */
const compareMemo = new Map<string, boolean | SemverError>();

function semverCompare(constraint: string, version: string): boolean {
  const key = `${constraint}\0${version}`;
  let answer = compareMemo.get(key);
  if (answer === undefined) {
    try {
      answer = checkConstraints(parseConstraints(constraint), parseVersion(version));
    } catch (e) {
      if (!(e instanceof SemverError)) throw e;
      answer = e;
    }
    if (compareMemo.size >= 1024) compareMemo.clear();
    compareMemo.set(key, answer);
  }
  if (answer instanceof SemverError) throw answer;
  return answer;
}

export const semverFuncs: Record<string, GoFunc> = {
  semver: gofn(['string'], (v: string) => new SemverVersion(parseVersion(v)), undefined, '*semver.Version'),
  semverCompare: gofn(['string', 'string'], semverCompare, undefined, 'bool'),
};
