// gobwas/glob (v0.2.3) patterns compiled with '/' as the only separator, as .Files.Glob uses them.
//
//   *        any run of characters except '/'
//   **       any run of characters, '/' included
//   ?        one character except '/'
//   [abc] [!abc] [a-z] [!a-z]   one character in / not in the class (no separator exclusion)
//   {a,b*,c}                    alternatives (patterns themselves); ',' and '}' are only special inside braces
//   \c                          the character c (a trailing '\' is dropped)
//
// Compile errors (a malformed class) make Helm fall back to `**`, i.e. match everything.

export class GlobSyntaxError extends Error {}

type Token =
  | { t: 'text'; s: string }
  | { t: 'any' }
  | { t: 'super' }
  | { t: 'single' }
  | { t: 'not' }
  | { t: 'sep' }
  | { t: 'rangeOpen' }
  | { t: 'rangeClose' }
  | { t: 'rangeLo'; s: string }
  | { t: 'rangeHi'; s: string }
  | { t: 'between' }
  | { t: 'termsOpen' }
  | { t: 'termsClose' };

/** The lexer of gobwas/glob: a small state machine over code points. */
function lex(pattern: string): Token[] {
  const cs = Array.from(pattern);
  let pos = 0;
  let termsLevel = 0;
  const out: Token[] = [];
  const read = (): string | undefined => cs[pos++];

  const fetchText = (breakers: string[]): void => {
    let data = '';
    let escaped = false;
    for (;;) {
      const r = cs[pos];
      if (r === undefined) break;
      pos++;
      if (!escaped) {
        if (r === '\\') {
          escaped = true;
          continue;
        }
        if (breakers.includes(r)) {
          pos--;
          break;
        }
      }
      escaped = false;
      data += r;
    }
    if (data.length > 0) out.push({ t: 'text', s: data });
  };

  const fetchRange = (): void => {
    let wantHi = false;
    let wantClose = false;
    let seenNot = false;
    for (;;) {
      const r = read();
      if (r === undefined) throw new GlobSyntaxError('unexpected end of input');
      if (wantClose) {
        if (r !== ']') throw new GlobSyntaxError('expected close range character');
        out.push({ t: 'rangeClose' });
        return;
      }
      if (wantHi) {
        out.push({ t: 'rangeHi', s: r });
        wantClose = true;
        continue;
      }
      if (!seenNot && r === '!') {
        out.push({ t: 'not' });
        seenNot = true;
        continue;
      }
      if (cs[pos] === '-') {
        pos++;
        out.push({ t: 'rangeLo', s: r }, { t: 'between' });
        wantHi = true;
        continue;
      }
      pos--;
      fetchText([']']);
      wantClose = true;
    }
  };

  for (;;) {
    const r = read();
    if (r === undefined) return out;
    if (r === '{') {
      termsLevel++;
      out.push({ t: 'termsOpen' });
    } else if (r === ',' && termsLevel > 0) {
      out.push({ t: 'sep' });
    } else if (r === '}' && termsLevel > 0) {
      out.push({ t: 'termsClose' });
      termsLevel--;
    } else if (r === '[') {
      out.push({ t: 'rangeOpen' });
      fetchRange();
    } else if (r === '?') {
      out.push({ t: 'single' });
    } else if (r === '*') {
      if (cs[pos] === '*') {
        pos++;
        out.push({ t: 'super' });
      } else out.push({ t: 'any' });
    } else {
      pos--;
      fetchText(termsLevel > 0 ? ['?', '*', '[', '{', '}', ','] : ['?', '*', '[', '{']);
    }
  }
}

function esc(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

function classCp(s: string): string {
  return `\\u{${s.codePointAt(0)!.toString(16)}}`;
}

/** Parses tokens into a RegExp source, following gobwas' parser (an unclosed `{` is accepted). */
function toRegExpSource(tokens: Token[]): string {
  // Each open group is a list of alternatives being built.
  const stack: string[][] = [['']];
  const append = (s: string): void => {
    const top = stack[stack.length - 1]!;
    top[top.length - 1] += s;
  };
  let i = 0;
  while (i < tokens.length) {
    const tok = tokens[i++]!;
    switch (tok.t) {
      case 'text':
        append(esc(tok.s));
        break;
      case 'any':
        append('[^/]*');
        break;
      case 'super':
        append('[\\s\\S]*');
        break;
      case 'single':
        append('[^/]');
        break;
      case 'termsOpen':
        stack.push(['']);
        break;
      case 'sep':
        stack[stack.length - 1]!.push('');
        break;
      case 'termsClose': {
        const alts = stack.pop()!;
        append(`(?:${alts.join('|')})`);
        break;
      }
      case 'rangeOpen': {
        let not = false;
        let lo: string | undefined;
        let hi: string | undefined;
        let chars = '';
        for (;;) {
          const r = tokens[i++];
          if (r === undefined) throw new GlobSyntaxError('unexpected end');
          if (r.t === 'not') not = true;
          else if (r.t === 'rangeLo') lo = r.s;
          else if (r.t === 'between') continue;
          else if (r.t === 'rangeHi') {
            hi = r.s;
            if (lo !== undefined && hi.codePointAt(0)! < lo.codePointAt(0)!) {
              throw new GlobSyntaxError(`hi character '${hi}' should be greater than lo '${lo}'`);
            }
          } else if (r.t === 'text') chars = r.s;
          else if (r.t === 'rangeClose') break;
          else throw new GlobSyntaxError('unexpected token');
        }
        const isRange = lo !== undefined && hi !== undefined && lo !== '\0' && hi !== '\0';
        const isChars = chars !== '';
        if (isRange === isChars) throw new GlobSyntaxError('could not parse range');
        const body = isRange ? `${classCp(lo!)}-${classCp(hi!)}` : Array.from(chars).map(classCp).join('');
        append(not ? `[^${body}]` : `[${body}]`);
        break;
      }
      default:
        throw new GlobSyntaxError('unexpected token');
    }
  }
  // Unclosed groups: gobwas leaves them open and matches as if they were closed.
  while (stack.length > 1) {
    const alts = stack.pop()!;
    append(`(?:${alts.join('|')})`);
  }
  return `^${stack[0]![0]}$`;
}

/** Compiles a glob; throws GlobSyntaxError where gobwas' Compile fails. */
export function compileGlob(pattern: string): RegExp {
  return new RegExp(toRegExpSource(lex(pattern)), 'su');
}

/** The matcher .Files.Glob uses: a pattern that does not compile matches everything (Helm's `**` fallback). */
export function globMatcher(pattern: string): (name: string) => boolean {
  try {
    const re = compileGlob(pattern);
    return (name) => re.test(name);
  } catch {
    return () => true;
  }
}
