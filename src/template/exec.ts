// The executor of Go's text/template (text/template exec.go behaviour): walks a parsed tree over Go values
// (value.ts), writing text and printed action results to an output buffer of string parts joined once.
//
// `walk*` methods write output, `eval*` methods compute values. Before each step the executor records the node it
// is on, so that every error names the node exactly like Go: `template: FILE:LINE:COL: executing "NAME" at <NODE>: …`.
//
// Go distinguishes an invalid value (no value at all: nil data, the result of a pipeline that produced nil, a missing
// key under missingkey=default) from a nil interface{} held in a map entry, slice element or struct field (a missing
// key under missingkey=zero, a null value). Field access on the first yields no value; on the second it fails with
// `nil pointer evaluating interface {}.x`; functions with typed parameters reject the second. Internally the executor
// represents the first as null and the second as undefined; a pipeline stage turns undefined into null (as Go's
// evalPipeline digs into interface values), and nothing else ever sees undefined.
import {
  builtins,
  callFunction,
  GoComplex,
  isAssignable,
  isGoFunc,
  isInterfaceEntry,
  isSignedKind,
  isUnsignedKind,
  mapElemTypeOf,
  paramTypeString,
  truth,
  valueTypeName,
  zeroValue,
} from './builtins.js';
import { ExecError, TemplateError } from './errors.js';
import { quote, sprint } from './fmt.js';
import {
  NodeType,
  type ActionNode,
  type ArgNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type IfNode,
  type Node,
  type NumberNode,
  type PipeNode,
  type RangeNode,
  type TemplateNode,
  type Tree,
  type VariableNode,
  type WithNode,
} from './node.js';
import { GO_TYPE, GoInt, GoStruct, lookupMethod, sortedKeys, type GoFunc, type GoMap, type GoParamType, type GoValue } from './value.js';

/**
 * Maximum nesting of {{template}} calls in one execution. Go allows 100000; that would exhaust the JavaScript stack,
 * so the limit is lower (a template recursing without end fails with `exceeded maximum template depth (N)`).
 */
export const MAX_TEMPLATE_DEPTH = 1500;

export type MissingKey = 'default' | 'zero' | 'error';

/** What the executor needs from a template set. */
export interface ExecContext {
  /** Name of the set, for the "no template" error. */
  readonly name: string;
  lookup(name: string): Tree | undefined;
  /** Functions by name; they win over the builtins. Looked up at each call. */
  readonly funcs: Readonly<Record<string, GoFunc>>;
  readonly missingKey: MissingKey;
}

/** Executes template `name` of the set with `data` as dot and `$`. Throws ExecError. */
export function executeTemplate(ctx: ExecContext, name: string, data: GoValue, tree: Tree | undefined = ctx.lookup(name)): string {
  if (tree === undefined) {
    throw new ExecError(ctx.name, undefined, `no template ${quote(name)} associated with template ${quote(ctx.name)}`);
  }
  const dot = data ?? null;
  const s = new State(ctx, name);
  s.push('$', dot);
  try {
    s.walk(dot, tree.root);
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    throw s.wrapUnexpected(e);
  }
  return s.out.join('');
}

/** A value inside the executor; undefined is a nil interface{} (see the file comment). */
type Val = GoValue | undefined;

const MISSING: unique symbol = Symbol('missing');
/** The previous pipeline stage's value, passed as the final argument; MISSING in the first stage. */
type Final = Val | typeof MISSING;

const enum Flow {
  Normal,
  Break,
  Continue,
}

function isHexInt(s: string): boolean {
  return s.length > 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X') && !/[pP]/.test(s);
}

const FLOAT_SYNTAX = /[.eEpP]/;

function canBeNil(t: GoParamType): boolean {
  return t === 'any' || t === 'map' || t.startsWith('[]') || t.startsWith('*') || t.startsWith('map[') || t.startsWith('func');
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const constCache = new WeakMap<NumberNode, GoValue>();

/**
 * The struct a pointer points to, for printing: Go prints an action's pointer result as the value it points to
 * (`{…}`, not `&{…}`). A view over the pointer with the pointer-ness removed.
 */
function printPointee(p: GoStruct): string {
  const view = Object.create(p, { typeName: { value: p.typeName.slice(1) }, isPointer: { value: false } }) as GoStruct;
  try {
    return sprint([view]);
  } catch {
    // A struct whose methods need the real receiver (private fields): print the pointer as fmt does.
    return sprint([p]);
  }
}

/** Map keys in Go's order (byte order of UTF-8): the default sort agrees unless a key holds U+D800 or above. */
function goSortedKeys(m: GoMap): string[] {
  const keys = Object.keys(m);
  for (const k of keys) {
    for (let i = 0; i < k.length; i++) if (k.charCodeAt(i) >= 0xd800) return sortedKeys(m);
  }
  return keys.sort();
}

class State {
  readonly out: string[] = [];
  private node: Node | null = null;
  private readonly names: string[] = [];
  private readonly vals: Val[] = [];
  /** First variable slot of the executing template (templates see only their own variables). */
  private base = 0;
  private depth = 0;
  /** Whether the value evalField just returned came out of an interface{} slot (for error messages). */
  private ifaceResult = false;

  constructor(
    private readonly ctx: ExecContext,
    private tmplName: string,
  ) {}

  // --- errors -----------------------------------------------------------------------------------------------------

  private at(node: Node): void {
    this.node = node;
  }

  private errorf(detail: string, options?: { cause?: unknown; funcName?: string }): never {
    const n = this.node;
    if (n === null) throw new ExecError(this.tmplName, undefined, detail, options);
    const { line, col } = n.tree.location(n.pos);
    throw new ExecError(this.tmplName, { parseName: n.tree.parseName, line, col, context: n.toString() }, detail, options);
  }

  /** An unexpected JavaScript error (such as stack exhaustion) as an ExecError at the current node. */
  wrapUnexpected(e: unknown): ExecError {
    const detail = e instanceof RangeError ? `exceeded maximum template depth (stack exhausted)` : `internal error: ${errorMessage(e)}`;
    try {
      this.errorf(detail, { cause: e });
    } catch (err) {
      return err as ExecError;
    }
  }

  // --- variables ----------------------------------------------------------------------------------------------------

  push(name: string, value: Val): void {
    this.names.push(name);
    this.vals.push(value);
  }

  private mark(): number {
    return this.names.length;
  }

  private pop(mark: number): void {
    if (this.names.length !== mark) {
      this.names.length = mark;
      this.vals.length = mark;
    }
  }

  private setVar(name: string, value: Val): void {
    for (let i = this.names.length - 1; i >= this.base; i--) {
      if (this.names[i] === name) {
        this.vals[i] = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: Val): void {
    this.vals[this.vals.length - n] = value;
  }

  private varValue(name: string): Val {
    for (let i = this.names.length - 1; i >= this.base; i--) {
      if (this.names[i] === name) return this.vals[i];
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // --- walking ----------------------------------------------------------------------------------------------------

  walk(dot: Val, node: Node): Flow {
    this.node = node;
    switch (node.type) {
      case NodeType.Text:
        this.out.push(node.text);
        return Flow.Normal;
      case NodeType.Action: {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, v);
        return Flow.Normal;
      }
      case NodeType.List: {
        const nodes = node.nodes;
        for (let i = 0; i < nodes.length; i++) {
          const f = this.walk(dot, nodes[i]!);
          if (f !== Flow.Normal) return f;
        }
        return Flow.Normal;
      }
      case NodeType.If:
      case NodeType.With:
        return this.walkIfOrWith(dot, node);
      case NodeType.Range:
        return this.walkRange(dot, node);
      case NodeType.Template:
        this.walkTemplate(dot, node);
        return Flow.Normal;
      case NodeType.Break:
        return Flow.Break;
      case NodeType.Continue:
        return Flow.Continue;
      case NodeType.Comment:
        return Flow.Normal;
    }
    this.errorf(`unknown node: ${node.toString()}`);
  }

  private walkIfOrWith(dot: Val, node: IfNode | WithNode): Flow {
    const mark = this.mark();
    const val = this.evalPipeline(dot, node.pipe);
    let f = Flow.Normal;
    if (truth(val)) f = this.walk(node.type === NodeType.With ? val : dot, node.list);
    else if (node.elseList !== null) f = this.walk(dot, node.elseList);
    this.pop(mark);
    return f;
  }

  /** One iteration of a range body: sets the range variables, walks the body, drops the body's variables. */
  private rangeStep(r: RangeNode, mark: number, index: Val, elem: Val): Flow {
    const decl = r.pipe.decl;
    if (decl.length > 0) {
      if (r.pipe.isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
      else this.setTopVar(1, elem);
    }
    if (decl.length > 1) {
      if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
      else this.setTopVar(2, index);
    }
    const f = this.walk(elem, r.list);
    this.pop(mark);
    return f;
  }

  private walkRange(dot: Val, r: RangeNode): Flow {
    this.at(r);
    const outer = this.mark();
    const val = this.evalPipeline(dot, r.pipe);
    const mark = this.mark();
    let ran = false;
    if (val === null) {
      // Nothing to iterate: like an empty map.
    } else if (Array.isArray(val)) {
      // The index (a Go int) is only ever read when the range declares two variables.
      const wantIndex = r.pipe.decl.length > 1;
      for (let i = 0; i < val.length; i++) {
        ran = true;
        const e = val[i];
        if (this.rangeStep(r, mark, wantIndex ? new GoInt(i) : null, e === null ? undefined : e) === Flow.Break) break;
      }
    } else if (val instanceof Uint8Array) {
      for (let i = 0; i < val.length; i++) {
        ran = true;
        if (this.rangeStep(r, mark, new GoInt(i), new GoInt(val[i]!, 'uint8')) === Flow.Break) break;
      }
    } else if (val instanceof GoInt) {
      if (r.pipe.decl.length > 1) this.errorf(`can't use ${sprint([val])} to iterate over more than one variable`);
      for (let i = 0n; i < val.value; i++) {
        ran = true;
        const v = new GoInt(i, val.kind, val.named);
        if (this.rangeStep(r, mark, v, v) === Flow.Break) break;
      }
    } else if (typeof val === 'object' && !(val instanceof GoStruct) && !isGoFunc(val)) {
      const m = val as GoMap;
      for (const k of goSortedKeys(m)) {
        ran = true;
        const e = m[k];
        if (this.rangeStep(r, mark, k, e === null ? undefined : e) === Flow.Break) break;
      }
    } else {
      this.errorf(`range can't iterate over ${sprint([val])}`);
    }
    let f = Flow.Normal;
    if (!ran && r.elseList !== null) f = this.walk(dot, r.elseList);
    this.pop(outer);
    return f;
  }

  private walkTemplate(dot: Val, t: TemplateNode): void {
    this.at(t);
    const tree = this.ctx.lookup(t.name);
    if (tree === undefined) this.errorf(`template ${quote(t.name)} not defined`);
    if (this.depth >= MAX_TEMPLATE_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
    // Variables declared by the pipeline persist in the caller.
    const newDot = this.evalPipeline(dot, t.pipe);
    const savedBase = this.base;
    const savedName = this.tmplName;
    const mark = this.mark();
    // No dynamic scoping: the called template sees only its own $.
    this.base = mark;
    this.push('$', newDot);
    this.tmplName = t.name;
    this.depth++;
    this.walk(newDot, tree.root);
    this.depth--;
    this.tmplName = savedName;
    this.pop(mark);
    this.base = savedBase;
  }

  private printValue(node: ActionNode, v: GoValue): void {
    this.at(node);
    if (v === null) this.out.push('<no value>');
    else if (typeof v === 'string') this.out.push(v);
    else if (typeof v === 'boolean') this.out.push(v ? 'true' : 'false');
    else if (v instanceof GoInt && v.named === undefined) this.out.push(v.value.toString());
    else if (isGoFunc(v)) this.errorf(`can't print ${node.toString()} of type ${valueTypeName(v)}`);
    else if (v instanceof GoStruct && v.isPointer && v.goString === undefined) this.out.push(printPointee(v));
    else if (v instanceof GoStruct && v.pointerString !== undefined && reachedThroughPointer(node)) this.out.push(v.pointerString());
    else this.out.push(sprint([v]));
  }

  // --- evaluation -------------------------------------------------------------------------------------------------

  private evalPipeline(dot: Val, pipe: PipeNode | null): GoValue {
    if (pipe === null) return null;
    this.at(pipe);
    let value: Final = MISSING;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) {
      value = this.evalCommand(dot, cmds[i]!, value);
      // A nil interface{} result becomes no value (Go digs into interface values here).
      if (value === undefined) value = null;
    }
    const v = value as GoValue;
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.setVar(d.ident[0]!, v);
      else this.push(d.ident[0]!, v);
    }
    return v;
  }

  private notAFunction(args: readonly ArgNode[] | null, final: Final): void {
    if ((args !== null && args.length > 1) || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${args![0]!.toString()}`);
    }
  }

  private evalCommand(dot: Val, cmd: CommandNode, final: Final): Val {
    const first = cmd.args[0]!;
    switch (first.type) {
      case NodeType.Field:
        return this.evalFieldNode(dot, first, cmd.args, final);
      case NodeType.Chain:
        return this.evalChainNode(dot, first, cmd.args, final);
      case NodeType.Identifier:
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case NodeType.Pipe:
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case NodeType.Variable:
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case NodeType.Bool:
        return first.value;
      case NodeType.Dot:
        return dot;
      case NodeType.Nil:
        this.errorf('nil is not a command');
      case NodeType.Number:
        return this.idealConstant(first);
      case NodeType.String:
        return first.text;
    }
  }

  /** A number constant where no type is known: the syntax decides (float if it looks like one, else int). */
  private idealConstant(n: NumberNode): GoValue {
    this.at(n);
    const cached = constCache.get(n);
    if (cached !== undefined) return cached;
    let v: GoValue;
    if (n.isComplex) v = new GoComplex(n.complex[0], n.complex[1]);
    else if (n.isFloat && !isHexInt(n.text) && n.text[0] !== "'" && FLOAT_SYNTAX.test(n.text)) v = n.float64;
    else if (n.isInt) v = new GoInt(n.int64, 'int');
    else if (n.isUint) this.errorf(`${n.text} overflows int`);
    else v = null;
    constCache.set(n, v);
    return v;
  }

  private evalFieldNode(dot: Val, field: FieldNode, args: readonly ArgNode[] | null, final: Final): Val {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, 0, args, final);
  }

  private evalChainNode(dot: Val, chain: ChainNode, args: readonly ArgNode[] | null, final: Final): Val {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === NodeType.Nil) this.errorf(`indirection through explicit nil in ${chain.toString()}`);
    // The receiver, like an argument of no particular type (a parenthesised pipeline's value, a variable …).
    const recv = this.evalArgAny(dot, chain.node);
    return this.evalFieldChain(dot, recv, chain, chain.field, 0, args, final);
  }

  private evalVariableNode(dot: Val, v: VariableNode, args: readonly ArgNode[] | null, final: Final): Val {
    this.at(v);
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident, 1, args, final);
  }

  /** .X.Y.Z possibly followed by arguments: dot is where arguments are evaluated, receiver what the chain walks. */
  private evalFieldChain(
    dot: Val,
    receiver: Val,
    node: FieldNode | ChainNode | VariableNode,
    ident: readonly string[],
    start: number,
    args: readonly ArgNode[] | null,
    final: Final,
  ): Val {
    const n = ident.length;
    let iface = false;
    for (let i = start; i < n - 1; i++) {
      receiver = this.evalField(dot, ident[i]!, node, null, MISSING, receiver, iface);
      iface = this.ifaceResult;
    }
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver, iface);
  }

  private evalFunction(dot: Val, node: IdentifierNode, cmd: ArgNode | CommandNode, args: readonly ArgNode[] | null, final: Final): Val {
    this.at(node);
    const name = node.ident;
    const funcs = this.ctx.funcs;
    let fn = Object.hasOwn(funcs, name) ? funcs[name] : undefined;
    let isBuiltin = false;
    if (fn === undefined) {
      fn = builtins[name];
      isBuiltin = true;
    }
    if (fn === undefined) this.errorf(`${quote(name)} is not a defined function`);
    return this.evalCall(dot, fn, isBuiltin, cmd, name, args, final);
  }

  /** (.Field) or (.Field arg1 arg2): a method call, a struct field, or a map entry. */
  private evalField(
    dot: Val,
    fieldName: string,
    node: FieldNode | ChainNode | VariableNode,
    args: readonly ArgNode[] | null,
    final: Final,
    receiver: Val,
    receiverIface: boolean,
  ): Val {
    this.ifaceResult = false;
    if (receiver === null) {
      if (this.ctx.missingKey === 'error') this.errorf(`nil data; no entry for key ${quote(fieldName)}`);
      return null;
    }
    if (receiver === undefined) this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    // The common case first: a map (a null-prototype object) of interface {} elements without a method of this
    // name: values, dicts and .Values (map[string]interface {} or common.Values). One symbol lookup instead of the
    // three of the general path below.
    if (typeof receiver === 'object' && Object.getPrototypeOf(receiver) === null && isInterfaceEntry((receiver as GoMap)[GO_TYPE], fieldName)) {
      if ((args !== null && args.length > 1) || final !== MISSING) this.errorf(`${fieldName} is not a method but has arguments`);
      this.ifaceResult = true;
      const v = (receiver as GoMap)[fieldName];
      if (v !== undefined) return v === null ? undefined : v;
      if (Object.hasOwn(receiver, fieldName) || this.ctx.missingKey === 'zero') return undefined;
      if (this.ctx.missingKey === 'default') return null;
      this.errorf(`map has no entry for key ${quote(fieldName)}`);
    }
    const method = lookupMethod(receiver, fieldName);
    if (method !== undefined) {
      const r = this.evalCall(dot, method, false, node, fieldName, args, final);
      return r === null ? undefined : r;
    }
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    if (receiver instanceof GoStruct) {
      const f = receiver.field(fieldName);
      if (f !== undefined) {
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        return f === null ? undefined : f;
      }
    } else if (typeof receiver === 'object' && !Array.isArray(receiver) && !(receiver instanceof GoInt) && !(receiver instanceof Uint8Array) && !isGoFunc(receiver)) {
      const m = receiver as GoMap;
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const elemType = mapElemTypeOf(m);
      this.ifaceResult = elemType === 'interface {}';
      if (Object.hasOwn(m, fieldName)) {
        const v = m[fieldName];
        return v === null || v === undefined ? undefined : v;
      }
      switch (this.ctx.missingKey) {
        case 'default':
          return null;
        case 'zero':
          return this.ifaceResult ? undefined : zeroValue(elemType) ?? undefined;
        case 'error':
          this.errorf(`map has no entry for key ${quote(fieldName)}`);
      }
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${receiverIface ? 'interface {}' : valueTypeName(receiver)}`);
  }

  /** Calls a function or method, converting the argument nodes to its parameter types as Go does. */
  private evalCall(
    dot: Val,
    fn: GoFunc,
    isBuiltin: boolean,
    node: Node,
    name: string,
    args: readonly ArgNode[] | null,
    final: Final,
  ): Val {
    const nargs = args === null ? 0 : args.length - 1;
    const numIn = final !== MISSING ? nargs + 1 : nargs;
    const params = fn.params;
    const variadic = fn.variadic;
    let numFixed = nargs;
    if (variadic !== undefined) {
      numFixed = params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${params.length} got ${nargs}`);
    } else if (numIn !== params.length) {
      this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
    }

    if (isBuiltin && (name === 'and' || name === 'or')) {
      // Short-circuit: evaluate arguments only until one decides.
      const isOr = name === 'or';
      let v: Val = null;
      for (let i = 1; i <= nargs; i++) {
        v = this.evalArgAny(dot, args![i]!);
        if (truth(v) === isOr) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }

    const argv: GoValue[] = new Array(numIn);
    let i = 0;
    for (; i < numFixed && i < nargs; i++) argv[i] = this.evalArg(dot, params[i]!, args![i + 1]!);
    if (variadic !== undefined) for (; i < nargs; i++) argv[i] = this.evalArg(dot, variadic, args![i + 1]!);
    if (final !== MISSING) {
      let t = params[params.length - 1]!;
      if (variadic !== undefined) t = numIn - 1 < numFixed ? params[numIn - 1]! : variadic;
      argv[i] = this.validateType(final, t);
    }

    let v: GoValue | undefined;
    try {
      if (isBuiltin && name === 'call') {
        const callee = nargs > 0 ? args![1]!.toString() : '<pipeline>';
        v = callFunction(callee, argv[0]!, argv.slice(1));
      } else {
        v = fn.fn(...argv);
      }
    } catch (e) {
      this.at(node);
      this.errorf(`error calling ${name}: ${errorMessage(e)}`, { cause: e, funcName: name });
    }
    return v === undefined ? null : v;
  }

  /** Go's validateType: a computed value must be assignable to the parameter type. */
  private validateType(value: Val, t: GoParamType): GoValue {
    if (value === null) {
      if (canBeNil(t)) return null;
      this.errorf(`invalid value; expected ${paramTypeString(t)}`);
    }
    if (value === undefined) {
      if (t === 'any') return null;
      this.errorf(`wrong type for value; expected ${paramTypeString(t)}; got interface {}`);
    }
    if (t === 'any' || isAssignable(value, t)) return value;
    this.errorf(`wrong type for value; expected ${paramTypeString(t)}; got ${valueTypeName(value)}`);
  }

  /** Evaluates an argument node for a parameter of type t. Constants convert to t; other values must be assignable. */
  private evalArg(dot: Val, t: GoParamType, n: ArgNode): GoValue {
    this.at(n);
    switch (n.type) {
      case NodeType.Dot:
        return this.validateType(dot, t);
      case NodeType.Nil:
        if (canBeNil(t)) return null;
        this.errorf(`cannot assign nil to ${paramTypeString(t)}`);
      case NodeType.Field:
        return this.validateType(this.evalFieldNode(dot, n, null, MISSING), t);
      case NodeType.Variable:
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), t);
      case NodeType.Pipe:
        return this.validateType(this.evalPipeline(dot, n), t);
      case NodeType.Identifier:
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), t);
      case NodeType.Chain:
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), t);
    }
    switch (t) {
      case 'any':
        return this.evalEmptyInterface(n);
      case 'bool':
        if (n.type === NodeType.Bool) return n.value;
        this.errorf(`expected bool; found ${n.toString()}`);
      case 'string':
        if (n.type === NodeType.String) return n.text;
        this.errorf(`expected string; found ${n.toString()}`);
      case 'float64':
      case 'float32':
        if (n.type === NodeType.Number && n.isFloat) return n.float64;
        this.errorf(`expected float; found ${n.toString()}`);
    }
    if (isSignedKind(t)) {
      if (n.type === NodeType.Number && n.isInt) return new GoInt(n.int64, t);
      this.errorf(`expected integer; found ${n.toString()}`);
    }
    if (isUnsignedKind(t)) {
      if (n.type === NodeType.Number && n.isUint) return new GoInt(n.uint64, t);
      this.errorf(`expected unsigned integer; found ${n.toString()}`);
    }
    if (t === 'complex128') {
      if (n.type === NodeType.Number && n.isComplex) return new GoComplex(n.complex[0], n.complex[1]);
      this.errorf(`expected complex; found ${n.toString()}`);
    }
    this.errorf(`can't handle ${n.toString()} for arg of type ${paramTypeString(t)}`);
  }

  /** An argument for a parameter Go declares as reflect.Value (and, or) or a chain receiver: nil interfaces kept. */
  private evalArgAny(dot: Val, n: ArgNode): Val {
    this.at(n);
    switch (n.type) {
      case NodeType.Dot:
        return dot;
      case NodeType.Nil:
        return null;
      case NodeType.Field:
        return this.evalFieldNode(dot, n, null, MISSING);
      case NodeType.Variable:
        return this.evalVariableNode(dot, n, null, MISSING);
      case NodeType.Pipe:
        return this.evalPipeline(dot, n);
      case NodeType.Identifier:
        return this.evalFunction(dot, n, n, null, MISSING);
      case NodeType.Chain:
        return this.evalChainNode(dot, n, null, MISSING);
    }
    return this.evalEmptyInterface(n);
  }

  /** A constant for an interface{} parameter. */
  private evalEmptyInterface(n: ArgNode): GoValue {
    this.at(n);
    switch (n.type) {
      case NodeType.Bool:
        return n.value;
      case NodeType.Number:
        return this.idealConstant(n);
      case NodeType.String:
        return n.text;
      case NodeType.Nil:
        this.errorf('evalEmptyInterface: nil (can\'t happen)');
    }
    this.errorf(`can't handle assignment of ${n.toString()} to empty interface argument`);
  }
}

/**
 * Whether an action's value is addressable to text/template's printer: its last command is a field, chain, variable
 * or dot (a function's result is a copy, which is not).
 */
function reachedThroughPointer(node: ActionNode): boolean {
  const cmds = node.pipe.cmds;
  const last = cmds[cmds.length - 1];
  if (!last || last.args.length !== 1) return false;
  const t = last.args[0]!.type;
  return t === NodeType.Field || t === NodeType.Chain || t === NodeType.Variable || t === NodeType.Dot;
}
