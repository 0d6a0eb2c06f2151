// Go templates in state files, environment values and release values files (helmfile v1 semantics).
//
// Functions: Sprig (with `env` and `expandenv`, which Helm drops but helmfile keeps) and Helm's, then helmfile's own:
// env, requiredEnv, exec/envExec (only when allowed), readFile, readDir, readDirEntries, isFile, isDir, toYaml (not
// trimmed, failing on error), fromYaml (failing on error), setValueAtPath, get (Sprig's original is `sprigGet`),
// getOrNil, tpl, required and include, with `_*.tpl` partials of the state file's directory
// (helmfile docs/templating_funcs.md). Missing map keys are errors (helmfile renders with missingkey=error).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import {
  Template,
  ExecError,
  ParseError,
  GoStruct,
  gofn,
  newMap,
  newSlice,
  stringSlice,
  isMap,
  sprint,
  typeName,
  type GoFunc,
  type GoMap,
  type GoValue,
} from '../template/index.js';
import { helmFuncMap } from '../template/funcs/index.js';
import { toYaml, unmarshalYamlInto } from '../yaml/index.js';
import { StateError } from './errors.js';

export interface TemplateEnv {
  /** Lets `exec` and `envExec` run commands. */
  allowExec: boolean;
  /** The process environment `env` and `requiredEnv` read. */
  env: Readonly<Record<string, string | undefined>>;
  /** Shows a path the way errors print it. */
  display: (path: string) => string;
}

/** A failure a template function reports (the engine prints `error calling NAME: message`). */
class FuncError extends Error {}

/** os.DirEntry as readDirEntries returns it: `.Name`, `.IsDir`. */
class DirEntry extends GoStruct {
  constructor(
    private readonly entryName: string,
    private readonly dir: boolean,
  ) {
    super();
  }
  get typeName(): string {
    return 'os.DirEntry';
  }
  override method(name: string): GoFunc | undefined {
    switch (name) {
      case 'Name':
        return gofn([], () => this.entryName);
      case 'IsDir':
        return gofn([], () => this.dir);
    }
    return undefined;
  }
  override goString(): string {
    return `${this.dir ? 'd' : '-'} ${this.entryName}`;
  }
}

function goOpenError(op: string, path: string, e: unknown): FuncError {
  const code = (e as { code?: string }).code;
  const why =
    code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'not a directory' : (e as Error).message;
  return new FuncError(`${op} ${path}: ${why}`);
}

/** os.ExpandEnv: $VAR and ${VAR}. */
function expandEnv(s: string, env: TemplateEnv['env']): string {
  return s.replace(/\$(\{([^}]*)\}|[A-Za-z0-9_]+|[*#$@!?\-0-9])/g, (_m, all: string, braced: string | undefined) => env[braced ?? all] ?? '');
}

class NoValueError extends FuncError {}

/** helmfile's get: a dotted path into maps and structs, with an optional default. */
function getPath(path: string, args: GoValue[]): GoValue {
  let defSet: boolean;
  let def: GoValue = null;
  let obj: GoValue;
  if (args.length === 1) {
    defSet = false;
    obj = args[0]!;
  } else if (args.length === 2) {
    defSet = true;
    def = args[0]!;
    obj = args[1]!;
  } else {
    throw new FuncError(
      `unexpected number of args passed to the template function get(path, [def, ]obj): expected 1 or 2, got ${args.length}, args was ${sprint([newSlice(args)])}`,
    );
  }
  for (;;) {
    if (path === '') return obj;
    const dot = path.indexOf('.');
    const key = dot < 0 ? path : path.slice(0, dot);
    path = dot < 0 ? '' : path.slice(dot + 1);
    let v: GoValue | undefined;
    if (isMap(obj)) {
      v = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key]! : undefined;
      if (v === undefined) {
        if (defSet) return def;
        throw new NoValueError(`no value exist for key "${key}" in ${sprint([obj])}`);
      }
    } else if (obj instanceof GoStruct) {
      const f = obj.field(key);
      if (f === undefined) {
        if (defSet) return def;
        throw new NoValueError(`no field named "${key}" exist in ${sprint([obj])}`);
      }
      v = f;
    } else {
      throw new NoValueError(`unexpected type(${obj === null ? '<nil>' : typeName(obj)}) of value for key "${key}": it must be either map[string]any or any struct`);
    }
    obj = v;
  }
}

function setValueAtPath(path: string, value: GoValue, values: GoMap): GoMap {
  const parts = path.split('.');
  const key = parts.pop()!;
  let cur: GoValue = values;
  for (const k of parts) {
    if (!isMap(cur)) throw new FuncError(`failed to set value at path "${path}": value for key "${k}" was not a map`);
    if (!Object.prototype.hasOwnProperty.call(cur, k)) throw new FuncError(`failed to set value at path "${path}": value for key "${k}" does not exist`);
    const next: GoValue = cur[k]!;
    if (!isMap(next)) throw new FuncError(`failed to set value at path "${path}": value for key "${k}" was not a map`);
    cur = next;
  }
  if (!isMap(cur)) throw new FuncError(`failed to set value at path "${path}": value for key "${key}" was not a map`);
  cur[key] = value;
  return values;
}

/** The functions that do not depend on the template set being executed; `dir` is the base of relative paths. */
function stateFuncs(dir: string, tenv: TemplateEnv): Record<string, GoFunc> {
  const abs = (p: string) => (isAbsolute(p) ? p : join(dir, p));
  const runExec = (envs: GoMap | null, command: string, args: GoValue[], inputs: string[]): string => {
    if (!tenv.allowExec) {
      throw new FuncError(`running "${command}" is not allowed: state templates may run commands only when exec is allowed (--allow-exec)`);
    }
    const strArgs = args.map((a, i) => {
      if (typeof a !== 'string') throw new FuncError(`unexpected type of arg "${a === null ? '<nil>' : typeName(a)}" in args ${sprint([newSlice(args)])} at index ${i}`);
      return a;
    });
    let env: NodeJS.ProcessEnv | undefined;
    if (envs !== null) {
      env = { ...process.env };
      for (const [k, v] of Object.entries(tenv.env)) if (v !== undefined) env[k] = v;
      for (const k of Object.keys(envs)) {
        const v = envs[k]!;
        if (typeof v !== 'string') throw new FuncError(`unexpected type of env "${v === null ? '<nil>' : typeName(v)}" in envs ${sprint([envs])} at index ${k}`);
        env[k] = v;
      }
    }
    try {
      return execFileSync(command, strArgs, { cwd: dir, input: inputs[0] ?? '', env, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { status?: number; stderr?: string; message: string };
      const detail = err.stderr ? `: ${err.stderr.trim()}` : '';
      throw new FuncError(err.status !== undefined && err.status !== null ? `command "${command}" exited with status ${err.status}${detail}` : `${err.message}${detail}`);
    }
  };
  const readDirEntries = (path: string): { name: string; dir: boolean }[] => {
    const p = abs(path);
    try {
      return readdirSync(p, { withFileTypes: true })
        .map((d) => ({ name: d.name, dir: d.isDirectory() }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      throw new FuncError(`ReadDir ${JSON.stringify(p)}: ${goOpenError('open', p, e).message}`);
    }
  };
  const unsupported = (name: string) =>
    gofn([], () => {
      throw new FuncError(`${name} is not supported by bosun yet`);
    }, 'any');
  return {
    env: gofn(['string'], (name: string) => tenv.env[name] ?? ''),
    expandenv: gofn(['string'], (s: string) => expandEnv(s, tenv.env)),
    requiredEnv: gofn(['string'], (name: string) => {
      const v = tenv.env[name];
      if (v === undefined || v === '') throw new FuncError(`required env var \`${name}\` is not set`);
      return v;
    }),
    exec: gofn(['string', '[]any'], (command: string, args: GoValue[] | null, ...inputs: string[]) => runExec(null, command, args ?? [], inputs), 'string'),
    envExec: gofn(['map', 'string', '[]any'], (envs: GoMap | null, command: string, args: GoValue[] | null, ...inputs: string[]) => runExec(envs ?? newMap(), command, args ?? [], inputs), 'string'),
    isFile: gofn(['string'], (p: string) => {
      try {
        return !statSync(abs(p)).isDirectory();
      } catch {
        return false;
      }
    }),
    isDir: gofn(['string'], (p: string) => {
      try {
        return statSync(abs(p)).isDirectory();
      } catch {
        return false;
      }
    }),
    readFile: gofn(['string'], (p: string) => {
      const path = abs(p);
      try {
        return readFileSync(path, 'utf8');
      } catch (e) {
        throw goOpenError('open', path, e);
      }
    }),
    readDir: gofn(['string'], (p: string) => stringSlice(readDirEntries(p).filter((e) => !e.dir).map((e) => join(p, e.name)))),
    listDir: gofn(['string'], (p: string) => stringSlice(readDirEntries(p).map((e) => join(p, e.name)))),
    readDirEntries: gofn(['string'], (p: string) => newSlice(readDirEntries(p).map((e) => new DirEntry(e.name, e.dir)), '[]fs.DirEntry')),
    toYaml: gofn(['any'], (v: GoValue) => toYaml(v)),
    fromYaml: gofn(['string'], (s: string) => {
      try {
        return (unmarshalYamlInto(s, 'map') as GoMap | undefined) ?? newMap();
      } catch (e) {
        throw new FuncError(`${(e as Error).message}, offending yaml: ${s}`);
      }
    }),
    setValueAtPath: gofn(['string', 'any', 'map'], (path: string, value: GoValue, values: GoMap | null) => setValueAtPath(path, value, values ?? newMap())),
    get: gofn(['string'], (path: string, ...args: GoValue[]) => getPath(path, args), 'any'),
    getOrNil: gofn(['string', 'any'], (path: string, obj: GoValue) => {
      try {
        return getPath(path, [obj]);
      } catch (e) {
        if (e instanceof NoValueError) return null;
        throw e;
      }
    }),
    required: gofn(['string', 'any'], (warn: string, v: GoValue) => {
      if (v === null || v === '') throw new FuncError(warn);
      return v;
    }),
    fetchSecretValue: unsupported('fetchSecretValue'),
    expandSecretRefs: unsupported('expandSecretRefs'),
  };
}

export interface RenderRequest {
  /** The template text. */
  text: string;
  /** The file it came from (absolute). */
  file: string;
  /** Directory that relative paths (readFile, exec, partials) are based on. */
  dir: string;
  /** Line of the file on which `text` starts, minus one. */
  lineOffset?: number;
  /** Field the text belongs to, for errors (e.g. `releases[0].chart`). */
  field?: string;
  data: GoValue;
}

/** Renders state templates; caches each directory's `_*.tpl` partials. */
export class StateRenderer {
  private readonly bases = new Map<string, Template>();
  /** Parsed texts by directory and file: each text is parsed once and executed for every target. */
  private readonly parsed = new Map<string, Map<string, Template>>();

  constructor(readonly tenv: TemplateEnv) {}

  private base(dir: string): Template {
    let t = this.bases.get(dir);
    if (t) return t;
    const funcs: Record<string, GoFunc> = { ...helmFuncMap() };
    const sprigGet = funcs.get;
    Object.assign(funcs, stateFuncs(dir, this.tenv));
    if (sprigGet) funcs.sprigGet = sprigGet;
    // Placeholders so that texts using them parse; bound per render.
    funcs.include = gofn(['string', 'any'], () => '');
    funcs.tpl = gofn(['string', 'any'], () => '');
    t = new Template('state', { funcs, missingKey: 'error' });
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => n.startsWith('_') && n.endsWith('.tpl')).sort();
    } catch {
      names = [];
    }
    for (const n of names) {
      const path = join(dir, n);
      const text = readFileSync(path, 'utf8');
      try {
        t.parse(path, text);
      } catch (e) {
        throw this.toStateError(e, path, 0, '', path);
      }
    }
    this.bases.set(dir, t);
    return t;
  }

  /** Executes `req.text`; throws StateError naming the file and line of a parse or execution error. */
  render(req: RenderRequest): string {
    const name = req.file;
    let byText = this.parsed.get(`${req.dir}\0${name}`);
    if (!byText) this.parsed.set(`${req.dir}\0${name}`, (byText = new Map()));
    let set = byText.get(req.text);
    try {
      if (!set) {
        const s = this.base(req.dir).clone();
        this.bind(s);
        s.parse(name, req.text);
        byText.set(req.text, s);
        set = s;
      }
      return set.execute(name, req.data);
    } catch (e) {
      throw this.toStateError(e, req.file, req.lineOffset ?? 0, req.field ?? '', name);
    }
  }

  private bind(set: Template): void {
    set.funcs.include = gofn(['string', 'any'], (tname: string, data: GoValue) => set.execute(tname, data));
    set.funcs.tpl = gofn(['string', 'any'], (text: string, data: GoValue) => {
      const t = set.clone();
      this.bind(t);
      t.parse('tpl', text);
      return t.execute('tpl', data);
    });
  }

  private toStateError(e: unknown, file: string, lineOffset: number, field: string, name: string): Error {
    const shown = this.tenv.display(file);
    // Messages may cite other places of the same text (`unclosed action started at NAME:LINE`): show them as file lines.
    const fix = (text: string) => text.split(`${name}:`).map((chunk, i) => (i === 0 ? chunk : chunk.replace(/^(\d+)/, (n) => String(Number(n) + lineOffset)))).join(`${shown}:`);
    if (e instanceof ParseError) {
      const here = e.templateName === name;
      return new StateError(here ? shown : this.tenv.display(e.templateName), here ? lineOffset + e.line : e.line, field, `template: ${fix(e.detail)}`, { cause: e });
    }
    if (e instanceof ExecError) {
      const here = e.templateName === name;
      const where = e.context ? `at <${e.context}>: ` : '';
      return new StateError(here ? shown : this.tenv.display(e.templateName), here ? lineOffset + e.line : e.line, field, `template: ${where}${fix(e.detail)}`, { cause: e });
    }
    if (e instanceof StateError) return e;
    return new StateError(shown, lineOffset, field, `template: ${(e as Error).message ?? String(e)}`, { cause: e });
  }
}
