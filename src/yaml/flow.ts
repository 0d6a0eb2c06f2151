// Flow collections whose lines are indented no deeper than their parent.
//
// go-yaml v2 (libyaml's scanner) ignores indentation inside a flow collection: `k: [1,` followed by `2]` at column
// 0 is {k: [1, 2]} to helm, and so is a `]` closing at any column. The `yaml` package follows the YAML spec instead
// (flow content must be indented past its parent block) and ends the collection at such a line. The full reader
// (decode.ts) calls this when the `yaml` package reports that indentation: the lines inside each flow collection
// that begins in block context are indented past its opening bracket. That changes no value (inside a flow
// collection, line breaks and leading white space only separate or fold) and keeps every line where it was, so
// later errors still name go-yaml's lines.
import { closingQuote, indentLines, MARKERS, type Lex } from './quoted.js';


/**
 * `text` with the under-indented lines of its flow collections indented past their opening bracket; `text` itself
 * when there is none, or when a collection never closes or holds a document indicator line (the caller reports the
 * original error then).
 */
export function indentFlowContinuations(text: string, lex: Lex): string {
  let out = text;
  // Each round mends the first collection that needs it, and lexes the mended text again: the lexer may have read
  // the rest of the text wrongly after a line it took as the collection's end.
  for (let rounds = text.split('\n').length; rounds > 0; rounds--) {
    const mended = mendFirst(out, lex);
    if (mended === undefined) return text;
    if (mended === out) return out;
    out = mended;
  }
  return out;
}

/** `text` with its first under-indented flow collection mended; `text` when none is; undefined when one can't be. */
function mendFirst(text: string, lex: Lex): string | undefined {
  let offset = 0;
  let depth = 0;
  for (const token of lex(text)) {
    if (MARKERS.has(token)) continue;
    const at = offset;
    offset += token.length;
    if (token === '[' || token === '{') {
      if (depth++ > 0) continue;
      const end = flowEnd(text, at);
      if (end < 0) return undefined;
      const mended = indentLines(text, at, end);
      if (mended !== text) return mended;
    } else if (token === ']' || token === '}') depth = Math.max(0, depth - 1);
  }
  return text;
}

/** Is `c` white space or a line break (libyaml's blank-or-break)? */
const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/**
 * libyaml's scan of the flow collection opening at `start`: the offset just past its closing bracket, or -1 when
 * it never closes or a document indicator line comes first. Quoted scalars are skipped whole (a quote opens one only
 * where a node starts), and so are comments.
 */
function flowEnd(text: string, start: number): number {
  let depth = 0;
  let nodeStart = true;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      if ((text.startsWith('---', i + 1) || text.startsWith('...', i + 1)) && (isBlank(text[i + 4]) || i + 4 >= text.length)) return -1;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if (c === '#' && (i === 0 || isBlank(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return -1;
      i = nl - 1;
      continue;
    }
    if (c === '[' || c === '{') {
      depth++;
      nodeStart = true;
    } else if (c === ']' || c === '}') {
      if (--depth === 0) return i + 1;
      nodeStart = false;
    } else if (c === ',' || c === '?' || (c === ':' && (isBlank(text[i + 1]) || /[,[\]{}]/.test(text[i + 1] ?? '')))) {
      nodeStart = true;
    } else if ((c === '"' || c === "'") && nodeStart) {
      const close = closingQuote(text, i);
      if (close < 0) return -1;
      i = close;
      nodeStart = false;
    } else if ((c === '!' || c === '&') && nodeStart) {
      // A tag or an anchor: the node starts after it.
      while (i + 1 < text.length && !isBlank(text[i + 1]) && !/[,[\]{}]/.test(text[i + 1]!)) i++;
    } else nodeStart = false;
  }
  return -1;
}
