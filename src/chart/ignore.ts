// .helmignore rules (Helm's pkg/ignore): one pattern per line, checked in order against chart-relative paths.
//
//   - blank lines and lines starting with '#' are skipped; each line is trimmed
//   - `**` anywhere is rejected ("double-star (**) syntax is not supported")
//   - a trailing '/' makes the rule apply to directories only
//   - a leading '/' anchors the rule: it is matched against the whole relative path
//   - a rule containing '/' is matched against the whole relative path, otherwise against the base name
//   - `!rule` inverts: anything NOT matching is ignored (a directory-only `!rule` ignores every file)
//   - the first positive match ignores; a non-matching negative rule ignores
// Helm always appends the rule `templates/.?*` (dotfiles under templates/).
import { compileGoPattern } from './match.js';
import { ChartError } from './errors.js';

export const HELMIGNORE = '.helmignore';

interface Pattern {
  readonly raw: string;
  readonly negate: boolean;
  readonly mustDir: boolean;
  readonly match: (path: string) => boolean;
}

/** Go's strings.TrimSpace: Unicode white space at both ends. */
function trimSpace(s: string): string {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '');
}

function baseName(p: string): string {
  const t = p.replace(/\/+$/, '');
  if (t === '') return p === '' ? '.' : '/';
  const i = t.lastIndexOf('/');
  return i < 0 ? t : t.slice(i + 1);
}

export class IgnoreRules {
  private readonly patterns: Pattern[] = [];

  /** Parses .helmignore text. Errors carry Helm's text and name the file. */
  static parse(text: string, file = HELMIGNORE): IgnoreRules {
    const r = new IgnoreRules();
    // bufio.Scanner lines: split on \n, a trailing \r dropped (TrimSpace removes it anyway).
    const lines = text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    lines.forEach((line, idx) => {
      try {
        r.addRule(line);
      } catch (e) {
        throw new ChartError((e as Error).message, `${file}:${idx + 1}`);
      }
    });
    return r;
  }

  static empty(): IgnoreRules {
    return new IgnoreRules();
  }

  /** Adds Helm's built-in rule: dotfiles in templates/. */
  addDefaults(): this {
    this.addRule('templates/.?*');
    return this;
  }

  get length(): number {
    return this.patterns.length;
  }

  addRule(line: string): void {
    let rule = trimSpace(line);
    if (rule === '' || rule.startsWith('#')) return;
    if (rule.includes('**')) throw new Error('double-star (**) syntax is not supported');
    compileGoPattern(rule); // Helm checks that the whole rule compiles before stripping ! and /.
    const raw = rule;
    let negate = false;
    let mustDir = false;
    if (rule.startsWith('!')) {
      negate = true;
      rule = rule.slice(1);
    }
    if (rule.endsWith('/')) {
      mustDir = true;
      rule = rule.slice(0, -1);
    }
    let match: (path: string) => boolean;
    if (rule.startsWith('/')) {
      const re = safeCompile(rule.slice(1));
      match = (p) => re !== null && re.test(p);
    } else if (rule.includes('/')) {
      const re = safeCompile(rule);
      match = (p) => re !== null && re.test(p);
    } else {
      const re = safeCompile(rule);
      match = (p) => re !== null && re.test(baseName(p));
    }
    this.patterns.push({ raw, negate, mustDir, match });
  }

  /** True when the chart-relative path (a file, or a directory when isDir) is ignored. */
  ignores(path: string, isDir: boolean): boolean {
    if (path === '' || path === '.' || path === './') return false;
    for (const p of this.patterns) {
      if (p.negate) {
        if (p.mustDir && !isDir) return true;
        if (!p.match(path)) return true;
        continue;
      }
      if (p.mustDir && !isDir) continue;
      if (p.match(path)) return true;
    }
    return false;
  }
}

/** After stripping ! and / a rule may no longer compile (e.g. `\/`); Helm then logs and treats it as no match. */
function safeCompile(pattern: string): RegExp | null {
  try {
    return compileGoPattern(pattern);
  } catch {
    return null;
  }
}
