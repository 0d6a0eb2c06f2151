// Parse-tree nodes of Go's text/template: one class per construct, each with its kind, source offset, owning tree,
// a canonical toString() (the text Go prints in error contexts) and copy().
//
// Offsets (`pos`) are indices into the tree's source text (JavaScript string indices); errors turn them into Go's
// 1-based line and 0-based UTF-8 byte column when needed (see Tree.location). Trees are immutable once parsed and are
// shared between template sets (Template.clone).
import { quote } from './fmt.js';

export const enum NodeType {
  Text,
  Action,
  Bool,
  Chain,
  Command,
  Dot,
  Else, // only while parsing
  End, // only while parsing
  Field,
  Identifier,
  If,
  List,
  Nil,
  Number,
  Pipe,
  Range,
  String,
  Template,
  Variable,
  With,
  Comment,
  Break,
  Continue,
}

/** One parsed template: a name, the parse unit it came from, and its body. */
export class Tree {
  /** Root list; set when parsing succeeds. */
  root!: ListNode;
  constructor(
    /** Template name (the define name, or the name given to Template.parse). */
    readonly name: string,
    /** Name of the text it was parsed from (the file name in Helm), used in error locations. */
    readonly parseName: string,
    /** The whole source text of the parse unit. */
    readonly text: string,
  ) {}

  /** Go's ErrorContext location: 1-based line and 0-based byte column of `pos` in the source. */
  location(pos: number): { line: number; col: number } {
    const text = this.text;
    let line = 1;
    let lineStart = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return { line, col: utf8Length(text, lineStart, pos) };
  }
}

function utf8Length(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export type Node =
  | TextNode
  | ActionNode
  | BoolNode
  | ChainNode
  | CommandNode
  | DotNode
  | ElseNode
  | EndNode
  | FieldNode
  | IdentifierNode
  | IfNode
  | ListNode
  | NilNode
  | NumberNode
  | PipeNode
  | RangeNode
  | StringNode
  | TemplateNode
  | VariableNode
  | WithNode
  | CommentNode
  | BreakNode
  | ContinueNode;

/** The node kinds that may be the first word or an argument of a command. */
export type ArgNode =
  | BoolNode
  | ChainNode
  | DotNode
  | FieldNode
  | IdentifierNode
  | NilNode
  | NumberNode
  | PipeNode
  | StringNode
  | VariableNode;

// Node classes assign their properties in constructors and declare them with `declare` (no class-field syntax):
// class fields have define semantics, which V8 runs slowly when many node classes share a constructor.
abstract class BaseNode {
  declare readonly tree: Tree;
  declare readonly pos: number;
  constructor(tree: Tree, pos: number) {
    this.tree = tree;
    this.pos = pos;
  }
  abstract toString(): string;
}

export class ListNode extends BaseNode {
  declare readonly type: NodeType.List;
  constructor(tree: Tree, pos: number) {
    super(tree, pos);
    this.type = NodeType.List;
    this.nodes = [];
  }
  declare readonly nodes: Node[];
  toString(): string {
    return this.nodes.map((n) => n.toString()).join('');
  }
  copy(): ListNode {
    const l = new ListNode(this.tree, this.pos);
    for (const n of this.nodes) l.nodes.push(n.copy() as Node);
    return l;
  }
}

export class TextNode extends BaseNode {
  declare readonly type: NodeType.Text;
  declare readonly text: string;
  constructor(tree: Tree, pos: number, text: string) {
    super(tree, pos);
    this.type = NodeType.Text;
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
  copy(): TextNode {
    return new TextNode(this.tree, this.pos, this.text);
  }
}

export class CommentNode extends BaseNode {
  declare readonly type: NodeType.Comment;
  declare readonly text: string;
  constructor(tree: Tree, pos: number, text: string) {
    super(tree, pos);
    this.type = NodeType.Comment;
    this.text = text;
  }
  toString(): string {
    return `{{${this.text}}}`;
  }
  copy(): CommentNode {
    return new CommentNode(this.tree, this.pos, this.text);
  }
}

/** A pipeline with optional declarations (`$x := …`) or assignments (`$x = …`). */
export class PipeNode extends BaseNode {
  declare readonly type: NodeType.Pipe;
  constructor(tree: Tree, pos: number) {
    super(tree, pos);
    this.type = NodeType.Pipe;
    this.isAssign = false;
    this.decl = [];
    this.cmds = [];
  }
  declare isAssign: boolean;
  declare readonly decl: VariableNode[];
  declare readonly cmds: CommandNode[];
  toString(): string {
    let s = '';
    if (this.decl.length > 0) {
      s = this.decl.map((v) => v.toString()).join(', ') + (this.isAssign ? ' = ' : ' := ');
    }
    return s + this.cmds.map((c) => c.toString()).join(' | ');
  }
  copy(): PipeNode {
    const p = new PipeNode(this.tree, this.pos);
    p.isAssign = this.isAssign;
    for (const d of this.decl) p.decl.push(d.copy());
    for (const c of this.cmds) p.cmds.push(c.copy());
    return p;
  }
}

/** A non-control action such as a field evaluation or a function call. */
export class ActionNode extends BaseNode {
  declare readonly type: NodeType.Action;
  declare readonly pipe: PipeNode;
  constructor(tree: Tree, pos: number, pipe: PipeNode) {
    super(tree, pos);
    this.type = NodeType.Action;
    this.pipe = pipe;
  }
  toString(): string {
    return `{{${this.pipe.toString()}}}`;
  }
  copy(): ActionNode {
    return new ActionNode(this.tree, this.pos, this.pipe.copy());
  }
}

/** One stage of a pipeline: a function, field, variable or constant and its arguments. */
export class CommandNode extends BaseNode {
  declare readonly type: NodeType.Command;
  constructor(tree: Tree, pos: number) {
    super(tree, pos);
    this.type = NodeType.Command;
    this.args = [];
  }
  declare readonly args: ArgNode[];
  toString(): string {
    let s = '';
    for (let i = 0; i < this.args.length; i++) {
      if (i > 0) s += ' ';
      const a = this.args[i]!;
      s += a.type === NodeType.Pipe ? `(${a.toString()})` : a.toString();
    }
    return s;
  }
  copy(): CommandNode {
    const c = new CommandNode(this.tree, this.pos);
    for (const a of this.args) c.args.push(a.copy() as ArgNode);
    return c;
  }
}

/** A function name. */
export class IdentifierNode extends BaseNode {
  declare readonly type: NodeType.Identifier;
  declare readonly ident: string;
  constructor(tree: Tree, pos: number, ident: string) {
    super(tree, pos);
    this.type = NodeType.Identifier;
    this.ident = ident;
  }
  toString(): string {
    return this.ident;
  }
  copy(): IdentifierNode {
    return new IdentifierNode(this.tree, this.pos, this.ident);
  }
}

/** `$x` or `$x.f.g`: ident[0] is the variable name (with its `$`), the rest are field names. */
export class VariableNode extends BaseNode {
  declare readonly type: NodeType.Variable;
  declare readonly ident: readonly string[];
  constructor(tree: Tree, pos: number, ident: readonly string[]) {
    super(tree, pos);
    this.type = NodeType.Variable;
    this.ident = ident;
  }
  toString(): string {
    return this.ident.join('.');
  }
  copy(): VariableNode {
    return new VariableNode(this.tree, this.pos, this.ident.slice());
  }
}

export class DotNode extends BaseNode {
  declare readonly type: NodeType.Dot;
  constructor(tree: Tree, pos: number) {
    super(tree, pos);
    this.type = NodeType.Dot;
  }
  toString(): string {
    return '.';
  }
  copy(): DotNode {
    return new DotNode(this.tree, this.pos);
  }
}

export class NilNode extends BaseNode {
  declare readonly type: NodeType.Nil;
  constructor(tree: Tree, pos: number) {
    super(tree, pos);
    this.type = NodeType.Nil;
  }
  toString(): string {
    return 'nil';
  }
  copy(): NilNode {
    return new NilNode(this.tree, this.pos);
  }
}

/** `.f.g`: the field names without their dots. */
export class FieldNode extends BaseNode {
  declare readonly type: NodeType.Field;
  declare readonly ident: readonly string[];
  constructor(tree: Tree, pos: number, ident: readonly string[]) {
    super(tree, pos);
    this.type = NodeType.Field;
    this.ident = ident;
  }
  toString(): string {
    let s = '';
    for (const id of this.ident) s += '.' + id;
    return s;
  }
  copy(): FieldNode {
    return new FieldNode(this.tree, this.pos, this.ident.slice());
  }
}

/** A term followed by field accesses: `(pipeline).f.g`. */
export class ChainNode extends BaseNode {
  declare readonly type: NodeType.Chain;
  declare readonly field: string[];
  declare readonly node: ArgNode;
  constructor(tree: Tree, pos: number, node: ArgNode) {
    super(tree, pos);
    this.type = NodeType.Chain;
    this.node = node;
    this.field = [];
  }
  toString(): string {
    let s = this.node.type === NodeType.Pipe ? `(${this.node.toString()})` : this.node.toString();
    for (const f of this.field) s += '.' + f;
    return s;
  }
  copy(): ChainNode {
    const c = new ChainNode(this.tree, this.pos, this.node);
    c.field.push(...this.field);
    return c;
  }
}

export class BoolNode extends BaseNode {
  declare readonly type: NodeType.Bool;
  declare readonly value: boolean;
  constructor(tree: Tree, pos: number, value: boolean) {
    super(tree, pos);
    this.type = NodeType.Bool;
    this.value = value;
  }
  toString(): string {
    return this.value ? 'true' : 'false';
  }
  copy(): BoolNode {
    return new BoolNode(this.tree, this.pos, this.value);
  }
}

/**
 * A numeric constant, stored under every Go type that can represent it (Go's "ideal constants"): a constant is an
 * int if it has an integral value within int64, a uint within uint64, a float if it converts to float64.
 */
export class NumberNode extends BaseNode {
  declare readonly type: NodeType.Number;
  declare isInt: boolean;
  declare isUint: boolean;
  declare isFloat: boolean;
  declare isComplex: boolean;
  declare int64: bigint;
  declare uint64: bigint;
  declare float64: number;
  /** Real and imaginary parts when isComplex. */
  declare complex: readonly [number, number];
  declare readonly text: string;
  constructor(tree: Tree, pos: number, text: string) {
    super(tree, pos);
    this.type = NodeType.Number;
    this.text = text;
    this.isInt = this.isUint = this.isFloat = this.isComplex = false;
    this.int64 = this.uint64 = 0n;
    this.float64 = 0;
    this.complex = [0, 0];
  }
  toString(): string {
    return this.text;
  }
  copy(): NumberNode {
    return Object.assign(new NumberNode(this.tree, this.pos, this.text), this);
  }
}

export class StringNode extends BaseNode {
  declare readonly type: NodeType.String;
  declare readonly quoted: string;
  declare readonly text: string;
  constructor(tree: Tree, pos: number, quoted: string, text: string) {
    super(tree, pos);
    this.type = NodeType.String;
    this.quoted = quoted;
    this.text = text;
  }
  toString(): string {
    return this.quoted;
  }
  copy(): StringNode {
    return new StringNode(this.tree, this.pos, this.quoted, this.text);
  }
}

export class EndNode extends BaseNode {
  declare readonly type: NodeType.End;
  constructor(tree: Tree, pos: number) {
    super(tree, pos);
    this.type = NodeType.End;
  }
  toString(): string {
    return '{{end}}';
  }
  copy(): EndNode {
    return new EndNode(this.tree, this.pos);
  }
}

export class ElseNode extends BaseNode {
  declare readonly type: NodeType.Else;
  constructor(tree: Tree, pos: number) {
    super(tree, pos);
    this.type = NodeType.Else;
  }
  toString(): string {
    return '{{else}}';
  }
  copy(): ElseNode {
    return new ElseNode(this.tree, this.pos);
  }
}

abstract class BranchNode extends BaseNode {
  declare readonly pipe: PipeNode;
  declare readonly list: ListNode;
  declare readonly elseList: ListNode | null;
  constructor(tree: Tree, pos: number, pipe: PipeNode, list: ListNode, elseList: ListNode | null) {
    super(tree, pos);
    this.pipe = pipe;
    this.list = list;
    this.elseList = elseList;
  }
  protected abstract keyword(): string;
  toString(): string {
    let s = `{{${this.keyword()} ${this.pipe.toString()}}}${this.list.toString()}`;
    if (this.elseList) s += `{{else}}${this.elseList.toString()}`;
    return s + '{{end}}';
  }
}

export class IfNode extends BranchNode {
  declare readonly type: NodeType.If;
  constructor(tree: Tree, pos: number, pipe: PipeNode, list: ListNode, elseList: ListNode | null) {
    super(tree, pos, pipe, list, elseList);
    this.type = NodeType.If;
  }
  protected keyword(): string {
    return 'if';
  }
  copy(): IfNode {
    return new IfNode(this.tree, this.pos, this.pipe.copy(), this.list.copy(), this.elseList?.copy() ?? null);
  }
}

export class RangeNode extends BranchNode {
  declare readonly type: NodeType.Range;
  constructor(tree: Tree, pos: number, pipe: PipeNode, list: ListNode, elseList: ListNode | null) {
    super(tree, pos, pipe, list, elseList);
    this.type = NodeType.Range;
  }
  protected keyword(): string {
    return 'range';
  }
  copy(): RangeNode {
    return new RangeNode(this.tree, this.pos, this.pipe.copy(), this.list.copy(), this.elseList?.copy() ?? null);
  }
}

export class WithNode extends BranchNode {
  declare readonly type: NodeType.With;
  constructor(tree: Tree, pos: number, pipe: PipeNode, list: ListNode, elseList: ListNode | null) {
    super(tree, pos, pipe, list, elseList);
    this.type = NodeType.With;
  }
  protected keyword(): string {
    return 'with';
  }
  copy(): WithNode {
    return new WithNode(this.tree, this.pos, this.pipe.copy(), this.list.copy(), this.elseList?.copy() ?? null);
  }
}

/** `{{template "name" pipeline}}` (also what `{{block}}` leaves in place). */
export class TemplateNode extends BaseNode {
  declare readonly type: NodeType.Template;
  declare readonly name: string;
  declare readonly pipe: PipeNode | null;
  constructor(tree: Tree, pos: number, name: string, pipe: PipeNode | null) {
    super(tree, pos);
    this.type = NodeType.Template;
    this.name = name;
    this.pipe = pipe;
  }
  toString(): string {
    return `{{template ${quote(this.name)}${this.pipe ? ' ' + this.pipe.toString() : ''}}}`;
  }
  copy(): TemplateNode {
    return new TemplateNode(this.tree, this.pos, this.name, this.pipe?.copy() ?? null);
  }
}

export class BreakNode extends BaseNode {
  declare readonly type: NodeType.Break;
  constructor(tree: Tree, pos: number) {
    super(tree, pos);
    this.type = NodeType.Break;
  }
  toString(): string {
    return '{{break}}';
  }
  copy(): BreakNode {
    return new BreakNode(this.tree, this.pos);
  }
}

export class ContinueNode extends BaseNode {
  declare readonly type: NodeType.Continue;
  constructor(tree: Tree, pos: number) {
    super(tree, pos);
    this.type = NodeType.Continue;
  }
  toString(): string {
    return '{{continue}}';
  }
  copy(): ContinueNode {
    return new ContinueNode(this.tree, this.pos);
  }
}

/** Go's IsEmptyTree: true when the list holds nothing but white-space text and comments. */
export function isEmptyTree(n: Node | null): boolean {
  if (n === null) return true;
  switch (n.type) {
    case NodeType.Comment:
      return true;
    case NodeType.List:
      return n.nodes.every(isEmptyTree);
    case NodeType.Text:
      return isGoSpaceOnly(n.text);
    default:
      return false;
  }
}

/** bytes.TrimSpace semantics: Unicode white space (Go's unicode.IsSpace). */
function isGoSpaceOnly(s: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/.test(s);
}
