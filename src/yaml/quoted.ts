// Quoted scalars whose continuation lines are indented no deeper than their parent.
//
// go-yaml v2 (libyaml's scanner) reads a single- or double-quoted scalar up to its closing quote whatever the
// indentation of the lines in between: `k: "a` followed by `b"` at column 0 is "a b" to helm. It stops only at the
// end of the text ("found unexpected end of stream") or at a `---` / `...` line ("found unexpected document
// indicator"). The `yaml` package follows the YAML spec instead: such a line ends the scalar, which then has no
// closing quote. The full reader (decode.ts) calls this when the `yaml` package reports a missing quote: the lines of
// such scalars are indented past the opening quote, which changes no value (folding drops a continuation line's
// leading white space) and keeps every line where it was, so later errors still name go-yaml's lines.
import { DataFormatError } from './errors.js';

/** The `yaml` package's lexer tokens, in order; source tokens concatenate to the text. */
export type Lex = (text: string) => Iterable<string>;

// The lexer's own markers, which are not source text (document start, flow end, scalar, BOM).
export const MARKERS: ReadonlySet<string> = new Set(['\x02', '\x18', '\x1f', '\ufeff']);

/**
 * `text` with the continuation lines of every quoted scalar the `yaml` package would end early indented past its
 * opening quote; `text` itself when there is none, or when such a scalar never closes (the caller reports the
 * original error). Throws go-yaml's DataFormatError where such a scalar meets a document indicator.
 */
export function indentQuotedContinuations(text: string, lex: Lex): string {
  let out = text;
  // Each round mends one scalar the lexer cuts short: there are fewer of them than lines.
  for (let rounds = text.split('\n').length; rounds > 0; rounds--) {
    const start = firstUnclosedQuote(out, lex);
    if (start < 0) return out;
    const end = closingQuote(out, start);
    if (end < 0) return out;
    const mended = indentLines(out, start, end);
    if (mended === out) return out;
    out = mended;
  }
  return out;
}

/** Offset of the first quoted-scalar token that has no closing quote, or -1. */
function firstUnclosedQuote(text: string, lex: Lex): number {
  let offset = 0;
  for (const token of lex(text)) {
    if (MARKERS.has(token)) continue;
    // A token is cut at a line no deeper than its parent, so it cannot hold a document indicator: the scan won't throw.
    if ((token[0] === '"' || token[0] === "'") && closingQuote(token, 0) < 0) return offset;
    offset += token.length;
  }
  return -1;
}

/**
 * libyaml's scan of the quoted scalar opening at `start`: the offset of its closing quote, or -1 at the end of the
 * text. A `---` or `...` line on the way is go-yaml's error.
 */
export function closingQuote(text: string, start: number): number {
  const q = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      if ((text.startsWith('---', i + 1) || text.startsWith('...', i + 1)) && /^\s?$/.test(text[i + 4] ?? '')) {
        const line = text.slice(0, i + 1).split('\n').length;
        throw new DataFormatError(`error converting YAML to JSON: yaml: line ${line}: found unexpected document indicator`);
      }
    } else if (q === '"' && c === '\\') {
      if (text[i + 1] !== '\n') i++; // an escaped line break still starts a line (checked above)
    } else if (c === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/**
 * Lines starting inside (start, end] indented by fewer spaces than the column of text[start] (an opening quote or
 * bracket) + 1 get spaces.
 */
export function indentLines(text: string, start: number, end: number): string {
  const want = start - (text.lastIndexOf('\n', start - 1) + 1) + 1;
  let out = '';
  let from = 0;
  for (let nl = text.indexOf('\n', start); nl >= 0 && nl < end; nl = text.indexOf('\n', nl + 1)) {
    let spaces = 0;
    while (text[nl + 1 + spaces] === ' ') spaces++;
    if (spaces >= want) continue;
    out += text.slice(from, nl + 1) + ' '.repeat(want - spaces);
    from = nl + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
