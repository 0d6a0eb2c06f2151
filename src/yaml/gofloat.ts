// Go's strconv float formatting for the shortest representation ('g', 'e', 'f' with precision -1), as used by
// encoding/json, go-yaml and BurntSushi/toml. JavaScript already finds the same shortest round-trip digits as Go
// (both pick the closest shortest decimal), so only the layout differs.

/** Shortest decimal digits of |x| and the position of the decimal point (Go's decimal.dp). x must be finite. */
function shortest(x: number, bitSize: 32 | 64): { digits: string; dp: number } {
  const a = Math.abs(x);
  if (a === 0) return { digits: '0', dp: 1 };
  let exp: string;
  if (bitSize === 32) {
    const f = Math.fround(a);
    let s = '';
    for (let p = 1; p <= 9; p++) {
      s = f.toPrecision(p);
      if (Math.fround(Number(s)) === f) break;
    }
    exp = Number(s).toExponential();
  } else {
    exp = a.toExponential();
  }
  const e = exp.indexOf('e');
  const mant = exp.slice(0, e).replace('.', '');
  const digits = mant.replace(/0+$/, '') || '0';
  return { digits, dp: Number(exp.slice(e + 1)) + 1 };
}

function expSuffix(exp: number): string {
  const sign = exp < 0 ? '-' : '+';
  const a = Math.abs(exp);
  return 'e' + sign + (a < 10 ? '0' + a : String(a));
}

function layoutE(neg: boolean, digits: string, dp: number): string {
  let s = neg ? '-' : '';
  s += digits[0];
  if (digits.length > 1) s += '.' + digits.slice(1);
  return s + expSuffix(dp - 1);
}

function layoutF(neg: boolean, digits: string, dp: number): string {
  let s = neg ? '-' : '';
  if (dp <= 0) {
    s += '0.' + '0'.repeat(-dp) + digits;
  } else if (dp >= digits.length) {
    s += digits + '0'.repeat(dp - digits.length);
  } else {
    s += digits.slice(0, dp) + '.' + digits.slice(dp);
  }
  if (digits === '0') s = (neg ? '-' : '') + '0';
  return s;
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  return undefined;
}

function isNeg(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

/** strconv.FormatFloat(x, 'g', -1, bitSize). */
export function formatG(x: number, bitSize: 32 | 64 = 64): string {
  const sp = special(x);
  if (sp !== undefined) return sp;
  const { digits, dp } = shortest(x, bitSize);
  const exp = dp - 1;
  if (exp < -4 || exp >= 6) {
    return layoutE(isNeg(x), digits, dp);
  }
  return layoutF(isNeg(x), digits, dp);
}

/** strconv.FormatFloat(x, 'e', -1, bitSize). */
export function formatE(x: number, bitSize: 32 | 64 = 64): string {
  const sp = special(x);
  if (sp !== undefined) return sp;
  const { digits, dp } = shortest(x, bitSize);
  return layoutE(isNeg(x), digits, dp);
}

/** strconv.FormatFloat(x, 'f', -1, bitSize). */
export function formatF(x: number, bitSize: 32 | 64 = 64): string {
  const sp = special(x);
  if (sp !== undefined) return sp;
  const { digits, dp } = shortest(x, bitSize);
  return layoutF(isNeg(x), digits, dp);
}

/** encoding/json's float64 encoding (caller rejects NaN and infinities). */
export function formatJsonFloat(x: number): string {
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-6 || a >= 1e21)) {
    const s = formatE(x);
    // Go rewrites a two-digit negative exponent with a leading zero: e-07 -> e-7.
    const n = s.length;
    if (n >= 4 && s[n - 4] === 'e' && s[n - 3] === '-' && s[n - 2] === '0') return s.slice(0, n - 2) + s[n - 1];
    return s;
  }
  return formatF(x);
}
