// Sprig's regular expression functions (regex.go). Patterns are Go RE2 syntax, compiled by ./re2.ts.
//
// Sprig's split of behaviours: regexMatch swallows a bad pattern (false); the other plain functions use
// regexp.MustCompile, whose panic text the engine reports (`regexp: Compile(`[`): error parsing regexp: ...`); the
// must* variants return the parse error itself (`error parsing regexp: ...`).
import { type GoFunc, type GoSlice, type GoValue, GoInt, gofn, stringSlice, nilSlice } from '../value.js';
import { compile, mustCompile, quoteMeta } from './re2.js';

/** A []string result; null (Go's nil slice) becomes a typed nil []string. */
export function goStrings(items: string[] | null): GoSlice {
  return items === null ? nilSlice('[]string') : stringSlice(items);
}

function toInt(n: GoValue): number {
  return n instanceof GoInt ? Number(n.value) : Number(n);
}

export const regexFuncs: Record<string, GoFunc> = {
  regexMatch: gofn(['string', 'string'], (re: string, s: string) => {
    try {
      return compile(re).matchString(s);
    } catch {
      return false;
    }
  }, undefined, 'bool'),
  mustRegexMatch: gofn(['string', 'string'], (re: string, s: string) => compile(re).matchString(s), undefined, 'bool'),

  regexFindAll: gofn(['string', 'string', 'int'], (re: string, s: string, n: GoValue) => goStrings(mustCompile(re).findAllString(s, toInt(n))), undefined, '[]string'),
  mustRegexFindAll: gofn(['string', 'string', 'int'], (re: string, s: string, n: GoValue) => goStrings(compile(re).findAllString(s, toInt(n))), undefined, '[]string'),

  regexFind: gofn(['string', 'string'], (re: string, s: string) => mustCompile(re).findString(s), undefined, 'string'),
  mustRegexFind: gofn(['string', 'string'], (re: string, s: string) => compile(re).findString(s), undefined, 'string'),

  regexReplaceAll: gofn(['string', 'string', 'string'], (re: string, s: string, repl: string) => mustCompile(re).replaceAllString(s, repl), undefined, 'string'),
  mustRegexReplaceAll: gofn(['string', 'string', 'string'], (re: string, s: string, repl: string) => compile(re).replaceAllString(s, repl), undefined, 'string'),

  regexReplaceAllLiteral: gofn(['string', 'string', 'string'], (re: string, s: string, repl: string) => mustCompile(re).replaceAllLiteralString(s, repl), undefined, 'string'),
  mustRegexReplaceAllLiteral: gofn(['string', 'string', 'string'], (re: string, s: string, repl: string) => compile(re).replaceAllLiteralString(s, repl), undefined, 'string'),

  regexSplit: gofn(['string', 'string', 'int'], (re: string, s: string, n: GoValue) => goStrings(mustCompile(re).split(s, toInt(n))), undefined, '[]string'),
  mustRegexSplit: gofn(['string', 'string', 'int'], (re: string, s: string, n: GoValue) => goStrings(compile(re).split(s, toInt(n))), undefined, '[]string'),

  regexQuoteMeta: gofn(['string'], (s: string) => quoteMeta(s), undefined, 'string'),
};
