// Sprig's arithmetic (functions.go and numeric.go). Integer functions convert every operand with cast.ToInt64
// and compute in wrapping int64; the float functions addf/subf/mulf/divf/add1f go through shopspring/decimal:
// each operand becomes the decimal of its shortest float64 representation, the arithmetic is exact (division
// rounds half away from zero at 16 decimal places), and the result is the float64 nearest to that decimal.
import { type GoFunc, type GoValue, GoInt, gofn } from '../value.js';
import { MIN_INT64, toInt64, toFloat64 } from './cast.js';

function int64(v: bigint): GoInt {
  return new GoInt(BigInt.asIntN(64, v), 'int64');
}

// ---------------------------------------------------------------------------------------------------------------
// shopspring/decimal, the parts Sprig uses

interface Decimal {
  /** value = m × 10^e */
  m: bigint;
  e: number;
}

const DIVISION_PRECISION = 16;

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** decimal.NewFromFloat: the shortest decimal that round-trips to f. */
function decimalFromFloat(f: number): Decimal {
  if (!Number.isFinite(f)) {
    throw new Error(`Cannot create a Decimal from ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  }
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(f));
  if (!m) throw new Error(`decimal: cannot represent ${f}`);
  const frac = m[3] ?? '';
  const digits = BigInt(m[2]! + frac);
  return { m: m[1] === '-' ? -digits : digits, e: Number(m[4] ?? 0) - frac.length };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  if (a.e === b.e) return [a.m, b.m, a.e];
  if (a.e < b.e) return [a.m, b.m * pow10(b.e - a.e), a.e];
  return [a.m * pow10(a.e - b.e), b.m, b.e];
}

const decAdd = (a: Decimal, b: Decimal): Decimal => {
  const [x, y, e] = align(a, b);
  return { m: x + y, e };
};
const decSub = (a: Decimal, b: Decimal): Decimal => {
  const [x, y, e] = align(a, b);
  return { m: x - y, e };
};
const decMul = (a: Decimal, b: Decimal): Decimal => ({ m: a.m * b.m, e: a.e + b.e });

/** Decimal.Div: DivRound(d2, 16), rounding half away from zero. */
const decDiv = (a: Decimal, b: Decimal): Decimal => {
  if (b.m === 0n) throw new Error('decimal division by 0');
  // q = a / b × 10^P, truncated; P = DIVISION_PRECISION.
  const shift = a.e - b.e + DIVISION_PRECISION;
  let num = a.m;
  let den = b.m;
  if (shift >= 0) num *= pow10(shift);
  else den *= pow10(-shift);
  let q = num / den;
  const r = num - q * den;
  const absR2 = (r < 0n ? -r : r) * 2n;
  const absDen = den < 0n ? -den : den;
  if (absR2 >= absDen) q += (a.m < 0n) !== (b.m < 0n) ? -1n : 1n;
  return { m: q, e: -DIVISION_PRECISION };
};

/** Decimal.Float64: the nearest float64 to the exact decimal value. */
function decimalToFloat(d: Decimal): number {
  if (d.m === 0n) return 0;
  return Number(`${d.m}e${d.e}`);
}

/** Sprig's execDecimalOp. */
function decimalOp(a: GoValue, rest: readonly GoValue[], op: (x: Decimal, y: Decimal) => Decimal): number {
  let acc = decimalFromFloat(toFloat64(a));
  for (const x of rest) acc = op(acc, decimalFromFloat(toFloat64(x)));
  return decimalToFloat(acc);
}

// ---------------------------------------------------------------------------------------------------------------
// Go's math.Pow for Sprig's round (the repeated-squaring algorithm, so results match Go bit for bit).

function frexp(f: number): [number, number] {
  if (f === 0 || !Number.isFinite(f) || Number.isNaN(f)) return [f, 0];
  let e = 0;
  let x = Math.abs(f);
  while (x >= 1) {
    x /= 2;
    e++;
  }
  while (x < 0.5) {
    x *= 2;
    e--;
  }
  return [f < 0 ? -x : x, e];
}

function ldexp(frac: number, exp: number): number {
  let v = frac;
  let e = exp;
  while (e > 0) {
    const s = Math.min(e, 1000);
    v *= 2 ** s;
    e -= s;
  }
  while (e < 0) {
    const s = Math.min(-e, 1000);
    v /= 2 ** s;
    e += s;
  }
  return v;
}

function goModf(f: number): [number, number] {
  if (f < 1) {
    if (f < 0) {
      const [i, fr] = goModf(-f);
      return [-i, -fr];
    }
    if (f === 0) return [f, f];
    return [0, f];
  }
  const i = Math.trunc(f);
  return [i, f - i];
}

export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === 0 || !Number.isFinite(x) || !Number.isFinite(y)) return Math.pow(x, y);
  if (y === 0.5) return Math.sqrt(x);
  if (y === -0.5) return 1 / Math.sqrt(x);
  let [yi, yf] = goModf(Math.abs(y));
  if (yf !== 0 && x < 0) return NaN;
  if (yi >= 2 ** 63) return Math.pow(x, y);
  let a1 = 1.0;
  let ae = 0;
  if (yf !== 0) {
    if (yf > 0.5) {
      yf--;
      yi++;
    }
    a1 = Math.exp(yf * Math.log(x));
  }
  let [x1, xe] = frexp(x);
  for (let i = BigInt(yi); i !== 0n; i >>= 1n) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if ((i & 1n) === 1n) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe <<= 1;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}

function round(a: GoValue, p: GoInt, ...rOpt: number[]): number {
  const roundOn = rOpt.length > 0 ? rOpt[0]! : 0.5;
  const val = toFloat64(a);
  const pow = goPow(10, Number(p.value));
  const digit = pow * val;
  const [, div] = goModf(digit);
  const r = div >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

// ---------------------------------------------------------------------------------------------------------------

function maxInt(a: GoValue, ...rest: GoValue[]): GoInt {
  let aa = toInt64(a);
  for (const b of rest) {
    const bb = toInt64(b);
    if (bb > aa) aa = bb;
  }
  return int64(aa);
}

function minInt(a: GoValue, ...rest: GoValue[]): GoInt {
  let aa = toInt64(a);
  for (const b of rest) {
    const bb = toInt64(b);
    if (bb < aa) aa = bb;
  }
  return int64(aa);
}

function checkedDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error('runtime error: integer divide by zero');
  if (a === MIN_INT64 && b === -1n) return a;
  return a / b;
}

function checkedMod(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error('runtime error: integer divide by zero');
  if (b === -1n) return 0n;
  return a % b;
}

export const mathFuncs: Record<string, GoFunc> = {
  add1: gofn(['any'], (i: GoValue) => int64(toInt64(i) + 1n)),
  add: gofn(
    [],
    (...i: GoValue[]) => {
      let a = 0n;
      for (const b of i) a = BigInt.asIntN(64, a + toInt64(b));
      return int64(a);
    },
    'any',
  ),
  sub: gofn(['any', 'any'], (a: GoValue, b: GoValue) => int64(toInt64(a) - toInt64(b))),
  div: gofn(['any', 'any'], (a: GoValue, b: GoValue) => int64(checkedDiv(toInt64(a), toInt64(b)))),
  mod: gofn(['any', 'any'], (a: GoValue, b: GoValue) => int64(checkedMod(toInt64(a), toInt64(b)))),
  mul: gofn(
    ['any'],
    (a: GoValue, ...v: GoValue[]) => {
      let val = toInt64(a);
      for (const b of v) val = BigInt.asIntN(64, val * toInt64(b));
      return int64(val);
    },
    'any',
  ),
  randInt: gofn(['int', 'int'], (min: GoInt, max: GoInt) => {
    const n = BigInt.asIntN(64, max.value - min.value);
    if (n <= 0n) throw new Error('invalid argument to Intn');
    const r = n <= BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Math.floor(Math.random() * Number(n))) : randomBig(n);
    return new GoInt(BigInt.asIntN(64, r + min.value), 'int');
  }),
  add1f: gofn(['any'], (i: GoValue) => decimalOp(i, [new GoInt(1, 'int')], decAdd)),
  addf: gofn([], (...i: GoValue[]) => decimalOp(0, i, decAdd), 'any'),
  subf: gofn(['any'], (a: GoValue, ...v: GoValue[]) => decimalOp(a, v, decSub), 'any'),
  divf: gofn(['any'], (a: GoValue, ...v: GoValue[]) => decimalOp(a, v, decDiv), 'any'),
  mulf: gofn(['any'], (a: GoValue, ...v: GoValue[]) => decimalOp(a, v, decMul), 'any'),
  biggest: gofn(['any'], maxInt, 'any'),
  max: gofn(['any'], maxInt, 'any'),
  min: gofn(['any'], minInt, 'any'),
  maxf: gofn(
    ['any'],
    (a: GoValue, ...i: GoValue[]) => {
      let aa = toFloat64(a);
      for (const b of i) aa = Math.max(aa, toFloat64(b));
      return aa;
    },
    'any',
  ),
  minf: gofn(
    ['any'],
    (a: GoValue, ...i: GoValue[]) => {
      let aa = toFloat64(a);
      for (const b of i) aa = Math.min(aa, toFloat64(b));
      return aa;
    },
    'any',
  ),
  ceil: gofn(['any'], (a: GoValue) => Math.ceil(toFloat64(a))),
  floor: gofn(['any'], (a: GoValue) => Math.floor(toFloat64(a))),
  round: gofn(['any', 'int'], round, 'float64'),
};

function randomBig(n: bigint): bigint {
  let r = 0n;
  for (let i = 0; i < 4; i++) r = (r << 16n) | BigInt(Math.floor(Math.random() * 65536));
  return r % n;
}
