// Semantic versions and range constraints as Helm reads them (Masterminds/semver v3): the loose version syntax
// Chart.yaml `version` must satisfy, and the constraint language of `dependencies[].version`, used when Helm
// decides which vendored chart a dependency entry refers to.

/** A parsed version. Major/minor/patch are bigint because the syntax allows up to uint64. */
export interface SemVer {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly pre: string;
  readonly metadata: string;
  readonly original: string;
}

const VERSION_RE =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const UINT64_MAX = (1n << 64n) - 1n;

export class SemVerError extends Error {}

/** semver.NewVersion: loose (2.1 and v1.2.3 accepted); prerelease numeric parts may not have leading zeros. */
export function parseSemVer(v: string): SemVer {
  const m = VERSION_RE.exec(v);
  if (!m) throw new SemVerError('Invalid Semantic Version');
  const seg = (s: string | undefined): bigint => {
    if (s === undefined || s === '') return 0n;
    const n = BigInt(s.replace(/^\./, ''));
    if (n > UINT64_MAX) throw new SemVerError(`Error parsing version segment: strconv.ParseUint: parsing "${s.replace(/^\./, '')}": value out of range`);
    return n;
  };
  const pre = m[5] ?? '';
  const metadata = m[8] ?? '';
  if (pre !== '') {
    for (const part of pre.split('.')) {
      if (/^[0-9]+$/.test(part) && part.length > 1 && part.startsWith('0')) throw new SemVerError('Version segment starts with 0');
    }
  }
  return { major: seg(m[1]), minor: seg(m[2]), patch: seg(m[3]), pre, metadata, original: v };
}

export function isValidSemVer(v: string): boolean {
  try {
    parseSemVer(v);
    return true;
  } catch {
    return false;
  }
}

function versionString(v: SemVer): string {
  let s = `${v.major}.${v.minor}.${v.patch}`;
  if (v.pre) s += `-${v.pre}`;
  if (v.metadata) s += `+${v.metadata}`;
  return s;
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const NUMERIC = /^[0-9]+$/;

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (o === '') return NUMERIC.test(s) ? 1 : -1;
  if (s === '') return NUMERIC.test(o) ? -1 : 1;
  const sn = NUMERIC.test(s);
  const on = NUMERIC.test(o);
  if (!sn && !on) return s > o ? 1 : -1;
  if (!on) return -1;
  if (!sn) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

function comparePrerelease(a: string, b: string): number {
  const sa = a.split('.');
  const sb = b.split('.');
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const d = comparePrePart(sa[i] ?? '', sb[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** Version.Compare: build metadata ignored, a prerelease sorts before its release. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  if (versionString(a) === versionString(b)) return 0;
  const d = cmpBig(a.major, b.major) || cmpBig(a.minor, b.minor) || cmpBig(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.pre === '' && b.pre === '') return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return comparePrerelease(a.pre, b.pre);
}

// ---------------------------------------------------------------------------------------------------------------
// Constraints

interface Constraint {
  op: string;
  con: SemVer;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const CONSTRAINT_RE = new RegExp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`);
const RANGE_RE = new RegExp(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`, 'g');
const FIND_RE = new RegExp(String.raw`(${OPS})\s*(${CV})`, 'g');
const VALID_RE = new RegExp(String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`);

const isX = (s: string): boolean => s === 'x' || s === 'X' || s === '*';

function parseConstraint(c: string): Constraint {
  const m = CONSTRAINT_RE.exec(c);
  if (!m) throw new SemVerError(`improper constraint: ${c}`);
  const op = m[1]!;
  const major = m[3]!;
  const minor = m[4] ?? '';
  const patch = m[5] ?? '';
  const pre = m[6] ?? '';
  let ver = m[2]!;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major)) {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(minor.replace(/^\./, '')) || minor === '') {
    minorDirty = dirty = true;
    ver = `${major}.0.0${pre}`;
  } else if (isX(patch.replace(/^\./, '')) || patch === '') {
    patchDirty = dirty = true;
    ver = `${major}${minor}.0${pre}`;
  }
  let con: SemVer;
  try {
    con = parseSemVer(ver);
  } catch {
    throw new SemVerError('constraint Parser Error');
  }
  return { op, con, dirty, minorDirty, patchDirty };
}

function tilde(v: SemVer, c: Constraint): boolean {
  if (compareSemVer(v, c.con) < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}

function check(v: SemVer, c: Constraint): boolean {
  if (v.pre !== '' && c.con.pre === '' && c.op !== '!=') return false;
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : compareSemVer(v, c.con) === 0;
    case '!=':
      if (c.dirty) {
        if (v.pre !== '' && c.con.pre === '') return false;
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (c.con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.pre !== '' || c.con.pre !== '') return comparePrerelease(v.pre, c.con.pre) !== 0;
          return false;
        }
      }
      return compareSemVer(v, c.con) !== 0;
    case '>':
      if (!c.dirty) return compareSemVer(v, c.con) === 1;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return compareSemVer(v, c.con) === 1;
    case '<':
      return compareSemVer(v, c.con) < 0;
    case '>=':
    case '=>':
      return compareSemVer(v, c.con) >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return compareSemVer(v, c.con) <= 0;
      if (v.major > c.con.major) return false;
      if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      if (compareSemVer(v, c.con) < 0) return false;
      if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
      if (c.con.major === 0n && v.major > 0n) return false;
      if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
      if (c.con.minor === 0n && v.minor > 0n) return false;
      return c.con.patch === v.patch;
  }
  return false;
}

/** A parsed constraint string: OR groups of AND-ed constraints. */
export class SemVerConstraint {
  private constructor(private readonly groups: Constraint[][]) {}

  /** semver.NewConstraint; throws SemVerError('improper constraint: ...') like Masterminds. */
  static parse(text: string): SemVerConstraint {
    let c = text;
    const ranges = [...c.matchAll(RANGE_RE)];
    for (const r of ranges) c = c.replace(r[0], `>= ${r[1]}, <= ${r[11]}`);
    const groups: Constraint[][] = [];
    for (const part of c.split('||')) {
      if (!VALID_RE.test(part)) throw new SemVerError(`improper constraint: ${part}`);
      const found = [...part.matchAll(FIND_RE)].map((m) => m[0]);
      groups.push((found.length ? found : [part]).map(parseConstraint));
    }
    return new SemVerConstraint(groups);
  }

  check(v: SemVer): boolean {
    return this.groups.some((g) => g.every((c) => check(v, c)));
  }
}

/** Helm's IsCompatibleRange: false when either the constraint or the version does not parse. */
export function isCompatibleRange(constraint: string, version: string): boolean {
  try {
    return SemVerConstraint.parse(constraint).check(parseSemVer(version));
  } catch {
    return false;
  }
}
