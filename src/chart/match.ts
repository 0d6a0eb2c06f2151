// Go's path/filepath.Match with '/' as separator, compiled once to a RegExp. Used by .helmignore rules.
//
//   *       any run of characters except '/'
//   ?       one character except '/'
//   [...]   a class of characters (may match '/'); [^...] negates; lo-hi ranges; '\' escapes
//   \c      the character c
//
// A malformed pattern (unclosed or empty class, trailing backslash, bad range) is Go's ErrBadPattern.

export class BadPatternError extends Error {
  constructor() {
    super('syntax error in pattern');
  }
}

function escapeRegExpChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function classChar(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/** Compiles a filepath.Match pattern; throws BadPatternError when Go would return ErrBadPattern. */
export function compileGoPattern(pattern: string): RegExp {
  const chars = Array.from(pattern);
  let re = '^';
  let i = 0;
  const next = (): string | undefined => chars[i++];
  while (i < chars.length) {
    const c = next()!;
    switch (c) {
      case '*':
        re += '[^/]*';
        break;
      case '?':
        re += '[^/]';
        break;
      case '\\': {
        const e = next();
        if (e === undefined) throw new BadPatternError();
        re += escapeRegExpChar(e);
        break;
      }
      case '[': {
        let negated = false;
        if (chars[i] === '^') {
          negated = true;
          i++;
        }
        const ranges: Array<[number, number]> = [];
        let n = 0;
        // Reads one class character the way Go's getEsc does: '-' and ']' may not start a range end.
        const getEsc = (): number => {
          let ch = chars[i];
          if (ch === undefined || ch === '-' || ch === ']') throw new BadPatternError();
          if (ch === '\\') {
            i++;
            ch = chars[i];
            if (ch === undefined) throw new BadPatternError();
          }
          i++;
          if (i >= chars.length) throw new BadPatternError();
          return ch.codePointAt(0)!;
        };
        for (;;) {
          if (chars[i] === ']' && n > 0) {
            i++;
            break;
          }
          const lo = getEsc();
          let hi = lo;
          if (chars[i] === '-') {
            i++;
            hi = getEsc();
          }
          if (lo <= hi) ranges.push([lo, hi]);
          n++;
        }
        const body = ranges.map(([lo, hi]) => (lo === hi ? classChar(lo) : `${classChar(lo)}-${classChar(hi)}`)).join('');
        re += negated ? `[^${body}]` : `[${body}]`;
        break;
      }
      default:
        re += escapeRegExpChar(c);
    }
  }
  return new RegExp(re + '$', 'su');
}

/** filepath.Match(pattern, name); throws BadPatternError for a malformed pattern. */
export function goPathMatch(pattern: string, name: string): boolean {
  return compileGoPattern(pattern).test(name);
}
