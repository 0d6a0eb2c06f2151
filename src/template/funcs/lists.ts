// Sprig's list functions (list.go and numeric.go's until/untilStep/seq). Most accept any slice or array kind
// through reflection and return a fresh []interface{}; the must* variants return the error that the plain ones
// panic with, so both fail the same way here.
import { type GoFunc, type GoValue, type GoSlice, GO_TYPE, GoInt, gofn, newSlice } from '../value.js';
import { sliceElems, reflectKind, toInt, nilDereference } from './cast.js';
import { deepEqual } from './reflect.js';
import { isEmpty } from './defaults.js';

/** The elements of a slice/array argument, or the error Sprig returns for another kind. */
function elemsOr(v: GoValue, message: (kind: string) => string): GoValue[] {
  if (v === null) throw nilDereference();
  const e = sliceElems(v);
  if (e === undefined) throw new Error(message(reflectKind(v)));
  return e;
}

function push(list: GoValue, v: GoValue): GoValue {
  return newSlice([...elemsOr(list, (k) => `Cannot push on type ${k}`), v]);
}

function prepend(list: GoValue, v: GoValue): GoValue {
  return newSlice([v, ...elemsOr(list, (k) => `Cannot prepend on type ${k}`)]);
}

function first(list: GoValue): GoValue {
  const e = elemsOr(list, (k) => `Cannot find first on type ${k}`);
  return e.length === 0 ? null : e[0]!;
}

function last(list: GoValue): GoValue {
  const e = elemsOr(list, (k) => `Cannot find last on type ${k}`);
  return e.length === 0 ? null : e[e.length - 1]!;
}

function rest(list: GoValue): GoValue {
  const e = elemsOr(list, (k) => `Cannot find rest on type ${k}`);
  return newSlice(e.slice(1));
}

function initial(list: GoValue): GoValue {
  const e = elemsOr(list, (k) => `Cannot find initial on type ${k}`);
  return newSlice(e.slice(0, Math.max(0, e.length - 1)));
}

function reverse(list: GoValue): GoValue {
  return newSlice([...elemsOr(list, (k) => `Cannot find reverse on type ${k}`)].reverse());
}

function compact(list: GoValue): GoValue {
  return newSlice(elemsOr(list, (k) => `Cannot compact on type ${k}`).filter((x) => !isEmpty(x)));
}

function inList(haystack: readonly GoValue[], needle: GoValue): boolean {
  return haystack.some((h) => deepEqual(needle, h));
}

function uniq(list: GoValue): GoValue {
  const dest: GoValue[] = [];
  for (const item of elemsOr(list, (k) => `Cannot find uniq on type ${k}`)) if (!inList(dest, item)) dest.push(item);
  return newSlice(dest);
}

function without(list: GoValue, ...omit: GoValue[]): GoValue {
  return newSlice(elemsOr(list, (k) => `Cannot find without on type ${k}`).filter((x) => !inList(omit, x)));
}

function has(needle: GoValue, haystack: GoValue): boolean {
  if (haystack === null) return false;
  return inList(
    elemsOr(haystack, (k) => `Cannot find has on type ${k}`),
    needle,
  );
}

/** Sprig's slice: list[start:end] keeping the list's own slice type; nil for an empty list. */
function slice(list: GoValue, ...indices: GoValue[]): GoValue {
  if (list === null) throw nilDereference();
  const kind = reflectKind(list);
  if (kind !== 'slice') throw new Error(`list should be type of slice or array but ${kind}`);
  const l = (list as GoValue[] | Uint8Array).length;
  if (l === 0) return null;
  const start = indices.length > 0 ? Number(toInt(indices[0]!)) : 0;
  const end = indices.length < 2 ? l : Number(toInt(indices[1]!));
  if (start < 0 || end < start || end > l) throw new Error('reflect.Value.Slice: slice index out of bounds');
  if (list instanceof Uint8Array) return list.slice(start, end);
  return newSlice((list as GoSlice).slice(start, end), (list as GoSlice)[GO_TYPE]);
}

function concat(...lists: GoValue[]): GoValue {
  const res: GoValue[] = [];
  for (const l of lists) {
    if (l === null) throw nilDereference();
    const e = sliceElems(l);
    if (e === undefined) throw new Error(`Cannot concat type ${reflectKind(l)} as list`);
    res.push(...e);
  }
  return newSlice(res);
}

/** Sprig's chunk, including the float arithmetic that decides the number of chunks. */
function chunk(size0: GoInt, list: GoValue): GoValue {
  const e = elemsOr(list, (k) => `Cannot chunk type ${k}`);
  const size = Number(size0.value);
  const l = e.length;
  const csF = Math.floor((l - 1) / size) + 1;
  // Go converts the float to int (MinInt64 when not finite) and makeslice rejects a negative length.
  if (!Number.isFinite(csF) || csF < 0) throw new Error('runtime error: makeslice: len out of range');
  const cs = Math.trunc(csF);
  const out: GoValue[] = [];
  for (let i = 0; i < cs; i++) {
    let clen = size;
    if (i === cs - 1) {
      clen = Math.floor(l % size);
      if (clen === 0) clen = size;
    }
    if (clen < 0) throw new Error('runtime error: makeslice: len out of range');
    const c: GoValue[] = [];
    for (let j = 0; j < clen; j++) {
      const ix = i * size + j;
      if (ix < 0 || ix >= l) throw new Error(`reflect: slice index out of range`);
      c.push(e[ix]!);
    }
    out.push(newSlice(c));
  }
  return newSlice(out, '[][]interface {}');
}

/** Sprig's untilStep over Go ints. */
export function untilStep(start: number, stop: number, step: number): number[] {
  const v: number[] = [];
  if (stop < start) {
    if (step >= 0) return v;
    for (let i = start; i > stop; i += step) v.push(i);
    return v;
  }
  if (step <= 0) return v;
  for (let i = start; i < stop; i += step) v.push(i);
  return v;
}

function intSlice(v: number[]): GoValue {
  return newSlice(
    v.map((x) => new GoInt(x, 'int')),
    '[]int',
  );
}

/** Sprig's seq: like the Unix command, numbers separated by spaces. */
function seq(...params: GoInt[]): string {
  const p = params.map((x) => Number(x.value));
  let out: number[];
  switch (p.length) {
    case 1: {
      const start = 1;
      const end = p[0]!;
      const inc = end < start ? -1 : 1;
      out = untilStep(start, end + inc, inc);
      break;
    }
    case 2: {
      const [start, end] = p as [number, number];
      const step = end < start ? -1 : 1;
      out = untilStep(start, end + step, step);
      break;
    }
    case 3: {
      const [start, step, end] = p as [number, number, number];
      let inc = 1;
      if (end < start) {
        inc = -1;
        if (step > 0) return '';
      }
      out = untilStep(start, end + inc, step);
      break;
    }
    default:
      return '';
  }
  return out.join(' ');
}

export const listsFuncs: Record<string, GoFunc> = {
  list: gofn([], (...v: GoValue[]) => newSlice([...v]), 'any', '[]interface {}'),
  tuple: gofn([], (...v: GoValue[]) => newSlice([...v]), 'any', '[]interface {}'),
  append: gofn(['any', 'any'], push),
  push: gofn(['any', 'any'], push),
  mustAppend: gofn(['any', 'any'], push),
  mustPush: gofn(['any', 'any'], push),
  prepend: gofn(['any', 'any'], prepend),
  mustPrepend: gofn(['any', 'any'], prepend),
  first: gofn(['any'], first),
  mustFirst: gofn(['any'], first),
  rest: gofn(['any'], rest),
  mustRest: gofn(['any'], rest),
  last: gofn(['any'], last),
  mustLast: gofn(['any'], last),
  initial: gofn(['any'], initial),
  mustInitial: gofn(['any'], initial),
  reverse: gofn(['any'], reverse),
  mustReverse: gofn(['any'], reverse),
  uniq: gofn(['any'], uniq),
  mustUniq: gofn(['any'], uniq),
  without: gofn(['any'], without, 'any'),
  mustWithout: gofn(['any'], without, 'any'),
  has: gofn(['any', 'any'], has),
  mustHas: gofn(['any', 'any'], has),
  slice: gofn(['any'], slice, 'any'),
  mustSlice: gofn(['any'], slice, 'any'),
  concat: gofn([], concat, 'any'),
  compact: gofn(['any'], compact),
  mustCompact: gofn(['any'], compact),
  chunk: gofn(['int', 'any'], chunk),
  mustChunk: gofn(['int', 'any'], chunk),
  until: gofn(['int'], (count: GoInt) => {
    const c = Number(count.value);
    return intSlice(untilStep(0, c, c < 0 ? -1 : 1));
  }),
  untilStep: gofn(['int', 'int', 'int'], (start: GoInt, stop: GoInt, step: GoInt) =>
    intSlice(untilStep(Number(start.value), Number(stop.value), Number(step.value))),
  ),
  seq: gofn([], seq, 'int'),
};
