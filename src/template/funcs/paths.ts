// Sprig's path functions: Go's path package (slash-separated) and path/filepath, which on the Linux build Helm
// ships behaves identically for these five functions.
import { type GoFunc, gofn } from '../value.js';

/** path.Clean: the shortest equivalent path by purely lexical processing. */
export function clean(path: string): string {
  if (path === '') return '.';
  const rooted = path[0] === '/';
  const n = path.length;
  const buf: string[] = [];
  let w = 0;
  const append = (c: string) => {
    buf[w++] = c;
  };
  let r = 0;
  let dotdot = 0;
  if (rooted) {
    append('/');
    r = 1;
    dotdot = 1;
  }
  while (r < n) {
    if (path[r] === '/') {
      r++;
    } else if (path[r] === '.' && (r + 1 === n || path[r + 1] === '/')) {
      r++;
    } else if (path[r] === '.' && path[r + 1] === '.' && (r + 2 === n || path[r + 2] === '/')) {
      r += 2;
      if (w > dotdot) {
        w--;
        while (w > dotdot && buf[w] !== '/') w--;
      } else if (!rooted) {
        if (w > 0) append('/');
        append('.');
        append('.');
        dotdot = w;
      }
    } else {
      if ((rooted && w !== 1) || (!rooted && w !== 0)) append('/');
      for (; r < n && path[r] !== '/'; r++) append(path[r]!);
    }
  }
  if (w === 0) return '.';
  return buf.slice(0, w).join('');
}

/** path.Base: the last element, trailing slashes removed. */
export function base(path0: string): string {
  if (path0 === '') return '.';
  let path = path0;
  while (path.length > 0 && path[path.length - 1] === '/') path = path.slice(0, -1);
  const i = path.lastIndexOf('/');
  if (i >= 0) path = path.slice(i + 1);
  return path === '' ? '/' : path;
}

/** path.Dir: everything but the last element, cleaned. */
export function dir(path: string): string {
  return clean(path.slice(0, path.lastIndexOf('/') + 1));
}

/** path.Ext: the suffix from the final dot of the last element. */
export function ext(path: string): string {
  for (let i = path.length - 1; i >= 0 && path[i] !== '/'; i--) {
    if (path[i] === '.') return path.slice(i);
  }
  return '';
}

export function isAbs(path: string): boolean {
  return path.length > 0 && path[0] === '/';
}

export const pathsFuncs: Record<string, GoFunc> = {
  base: gofn(['string'], base),
  dir: gofn(['string'], dir),
  clean: gofn(['string'], clean),
  ext: gofn(['string'], ext),
  isAbs: gofn(['string'], isAbs),
  osBase: gofn(['string'], base),
  osClean: gofn(['string'], clean),
  osDir: gofn(['string'], dir),
  osExt: gofn(['string'], ext),
  osIsAbs: gofn(['string'], isAbs),
};
