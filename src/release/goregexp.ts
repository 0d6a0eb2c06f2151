// helm list --filter takes a Go regular expression (RE2), matched anywhere in the name.
import { compile } from '../template/funcs/re2.js';

export function goRegexp(expr: string): { test(s: string): boolean } {
  const re = compile(expr);
  return { test: (s) => re.matchString(s) };
}
