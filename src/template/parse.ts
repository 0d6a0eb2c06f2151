// The parser of Go's text/template (text/template/parse/parse.go behaviour): recursive descent over the tokens the
// lexer hands out, with Go's three-token lookahead so that error positions and messages match Go's.
//
// parse() turns one text into a set of trees: the text's own tree plus one per {{define}} / {{block}}. Functions are
// checked for existence at parse time (`function "x" not defined`); variables must be declared before use.
import { ParseError } from './errors.js';
import { quote } from './fmt.js';
import { Lexer, Tok, tokenString, type Token } from './lex.js';
import { parseNumber, unquote } from './literal.js';
import {
  ActionNode,
  BoolNode,
  BreakNode,
  ChainNode,
  CommandNode,
  ContinueNode,
  DotNode,
  ElseNode,
  EndNode,
  FieldNode,
  IdentifierNode,
  IfNode,
  isEmptyTree,
  ListNode,
  NilNode,
  NodeType,
  NumberNode,
  PipeNode,
  RangeNode,
  StringNode,
  TemplateNode,
  TextNode,
  Tree,
  VariableNode,
  WithNode,
  type ArgNode,
  type Node,
} from './node.js';

/**
 * Maximum nesting of parenthesised pipelines, and of control structures. Go allows 10000 parentheses (and any depth of
 * if/range/with); both are capped lower here so that recursion never exhausts the JavaScript stack.
 */
export const MAX_PARSE_DEPTH = 1000;
/** Go's maxPipelineCmds. */
const MAX_PIPELINE_CMDS = 100000;

export interface ParseEnv {
  /** Whether a function of this name exists (template functions or builtins). */
  hasFunction(name: string): boolean;
}

/**
 * Parses `text` as the template `name`. Returns the trees it defines: `name` itself (even when empty) and every
 * {{define}} / {{block}}. Within one text a name may be defined only once (unless one definition is empty).
 * Throws ParseError.
 */
export function parse(name: string, text: string, env: ParseEnv): Map<string, Tree> {
  const p = new Parser(name, text, env);
  try {
    return p.parseAll();
  } catch (e) {
    if (e instanceof ParseError) throw e;
    if (e instanceof RangeError) throw new ParseError(name, p.currentLine(), 'max expression depth exceeded');
    throw e;
  }
}

/** The per-tree parse state that {{define}} and {{block}} swap out. */
interface TreeState {
  tree: Tree;
  vars: string[];
  rangeDepth: number;
}

class Parser {
  private readonly lex: Lexer;
  private readonly token: Token[] = [];
  private peekCount = 0;
  private st: TreeState;
  private readonly treeSet = new Map<string, Tree>();
  /** Offset of the `{{` starting the current action (-1 outside actions). */
  private actionPos = -1;
  private parenDepth = 0;
  private controlDepth = 0;

  constructor(
    private readonly name: string,
    private readonly text: string,
    private readonly env: ParseEnv,
  ) {
    this.lex = new Lexer(text, { breakOK: !env.hasFunction('break'), continueOK: !env.hasFunction('continue') });
    this.st = { tree: new Tree(name, name, text), vars: ['$'], rangeDepth: 0 };
  }

  // --- errors ---------------------------------------------------------------------------------------------------

  private lineAt(pos: number): number {
    let line = 1;
    for (let i = this.text.indexOf('\n'); i !== -1 && i < pos; i = this.text.indexOf('\n', i + 1)) line++;
    return line;
  }

  /** Line of the most recently scanned token (what Go reports). */
  currentLine(): number {
    const t = this.token[0];
    return t ? this.lineAt(t.pos) : 1;
  }

  private errorf(detail: string): never {
    throw new ParseError(this.name, this.currentLine(), detail);
  }

  private unexpected(token: Token, context: string): never {
    if (token.type === Tok.Error) {
      let extra = '';
      if (this.actionPos >= 0) {
        const actionLine = this.lineAt(this.actionPos);
        if (actionLine !== this.lineAt(token.pos)) {
          extra = ` in action started at ${this.name}:${actionLine}`;
          if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
        }
      }
      this.errorf(token.val + extra);
    }
    this.errorf(`unexpected ${tokenString(token)} in ${context}`);
  }

  // --- token stream with three-token lookahead --------------------------------------------------------------------

  private next(): Token {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.next();
    return this.token[this.peekCount]!;
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: Token): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: Token, t1: Token): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): Token {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.lex.next();
    return this.token[0];
  }

  private nextNonSpace(): Token {
    let t: Token;
    do t = this.next();
    while (t.type === Tok.Space);
    return t;
  }

  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  private expect(expected: Tok, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== expected) this.unexpected(t, context);
    return t;
  }

  // --- grammar ----------------------------------------------------------------------------------------------------

  parseAll(): Map<string, Tree> {
    const tree = this.st.tree;
    tree.root = new ListNode(tree, this.peek().pos);
    while (this.peek().type !== Tok.EOF) {
      if (this.peek().type === Tok.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().type === Tok.Define) {
          this.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === NodeType.End || n.type === NodeType.Else) this.errorf(`unexpected ${n.toString()}`);
      tree.root.nodes.push(n);
    }
    this.add(tree);
    return this.treeSet;
  }

  private add(tree: Tree): void {
    const old = this.treeSet.get(tree.name);
    if (old === undefined || isEmptyTree(old.root)) {
      this.treeSet.set(tree.name, tree);
      return;
    }
    if (!isEmptyTree(tree.root)) this.errorf(`template: multiple definition of template ${quoteName(tree.name)}`);
  }

  /** {{define "name"}} itemList {{end}}; the define keyword is past. */
  private parseDefinition(): void {
    const context = 'define clause';
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== Tok.String && nameTok.type !== Tok.RawString) this.unexpected(nameTok, context);
    const name = this.unquoteString(nameTok.val);
    this.expect(Tok.RightDelim, context);
    const saved = this.st;
    this.st = { tree: new Tree(name, this.name, this.text), vars: ['$'], rangeDepth: 0 };
    const [list, end] = this.itemList();
    if (end.type !== NodeType.End) this.errorf(`unexpected ${end.toString()} in ${context}`);
    this.st.tree.root = list;
    this.add(this.st.tree);
    this.st = saved;
  }

  /** textOrAction* up to {{end}} or {{else}}, which is returned separately. */
  private itemList(): [ListNode, EndNode | ElseNode] {
    const list = new ListNode(this.st.tree, this.peekNonSpace().pos);
    while (this.peekNonSpace().type !== Tok.EOF) {
      const n = this.textOrAction();
      if (n.type === NodeType.End || n.type === NodeType.Else) return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.type) {
      case Tok.Text:
        return new TextNode(this.st.tree, token.pos, token.val);
      case Tok.LeftDelim: {
        this.actionPos = token.pos;
        try {
          return this.action();
        } finally {
          this.actionPos = -1;
        }
      }
      default:
        this.unexpected(token, 'input');
    }
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.type) {
      case Tok.Block:
        return this.blockControl();
      case Tok.Break:
        return this.breakControl(token.pos, true);
      case Tok.Continue:
        return this.breakControl(token.pos, false);
      case Tok.Else:
        return this.elseControl();
      case Tok.End:
        return new EndNode(this.st.tree, this.expect(Tok.RightDelim, 'end').pos);
      case Tok.If:
        return this.control(NodeType.If, 'if');
      case Tok.Range:
        return this.control(NodeType.Range, 'range');
      case Tok.Template:
        return this.templateControl();
      case Tok.With:
        return this.control(NodeType.With, 'with');
    }
    this.backup();
    const pos = this.peek().pos;
    return new ActionNode(this.st.tree, pos, this.pipeline('command', Tok.RightDelim));
  }

  private breakControl(pos: number, isBreak: boolean): Node {
    const name = isBreak ? '{{break}}' : '{{continue}}';
    const token = this.nextNonSpace();
    if (token.type !== Tok.RightDelim) this.unexpected(token, name);
    if (this.st.rangeDepth === 0) this.errorf(`${name} outside {{range}}`);
    return isBreak ? new BreakNode(this.st.tree, pos) : new ContinueNode(this.st.tree, pos);
  }

  /** Pipeline: declarations? command ('|' command)* */
  private pipeline(context: string, end: Tok): PipeNode {
    const pipe = new PipeNode(this.st.tree, this.peekNonSpace().pos);
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== Tok.Variable) break;
      this.next();
      // "$x foo" versus "$x := foo": look past the variable, remembering the token adjacent to it.
      const afterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.type === Tok.Assign || next.type === Tok.Declare) {
        pipe.isAssign = next.type === Tok.Assign;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.st.vars.push(v.val);
      } else if (next.type === Tok.Char && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.st.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = this.peekNonSpace().type;
          if (t === Tok.Variable || t === Tok.RightDelim || t === Tok.RightParen) continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (afterVariable.type === Tok.Space) {
        this.backup3(v, afterVariable);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      if (token.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (token.type) {
        case Tok.Bool:
        case Tok.CharConstant:
        case Tok.Complex:
        case Tok.Dot:
        case Tok.Field:
        case Tok.Identifier:
        case Tok.Number:
        case Tok.Nil:
        case Tok.RawString:
        case Tok.String:
        case Tok.Variable:
        case Tok.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          if (pipe.cmds.length > MAX_PIPELINE_CMDS) this.errorf('pipeline too long');
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      switch (pipe.cmds[i]!.args[0]!.type) {
        case NodeType.Bool:
        case NodeType.Dot:
        case NodeType.Nil:
        case NodeType.Number:
        case NodeType.String:
          this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  /** if / range / with: pipeline itemList ({{else}} itemList)? {{end}}, with `else if` / `else with` chains. */
  private control(type: NodeType.If | NodeType.Range | NodeType.With, context: 'if' | 'range' | 'with'): Node {
    if (++this.controlDepth > MAX_PARSE_DEPTH) this.errorf('max nesting depth exceeded');
    const st = this.st;
    const varsMark = st.vars.length;
    const pipe = this.pipeline(context, Tok.RightDelim);
    if (type === NodeType.Range) st.rangeDepth++;
    let [list, next] = this.itemList();
    if (type === NodeType.Range) st.rangeDepth--;
    let elseList: ListNode | null = null;
    if (next.type === NodeType.Else) {
      // {{else if …}} and {{else with …}} are {{else}}{{if …}}…{{end}}{{end}} with the outer {{end}} implied.
      if (type === NodeType.If && this.peek().type === Tok.If) {
        this.next();
        elseList = new ListNode(st.tree, next.pos);
        elseList.nodes.push(this.control(NodeType.If, 'if'));
      } else if (type === NodeType.With && this.peek().type === Tok.With) {
        this.next();
        elseList = new ListNode(st.tree, next.pos);
        elseList.nodes.push(this.control(NodeType.With, 'with'));
      } else {
        [elseList, next] = this.itemList();
        if (next.type !== NodeType.End) this.errorf(`expected end; found ${next.toString()}`);
      }
    }
    st.vars.length = varsMark;
    this.controlDepth--;
    switch (type) {
      case NodeType.If:
        return new IfNode(st.tree, pipe.pos, pipe, list, elseList);
      case NodeType.Range:
        return new RangeNode(st.tree, pipe.pos, pipe, list, elseList);
      default:
        return new WithNode(st.tree, pipe.pos, pipe, list, elseList);
    }
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    // {{else if …}} / {{else with …}}: leave the keyword for the enclosing control.
    if (peek.type === Tok.If || peek.type === Tok.With) return new ElseNode(this.st.tree, peek.pos);
    return new ElseNode(this.st.tree, this.expect(Tok.RightDelim, 'else').pos);
  }

  /** {{block "name" pipeline}} itemList {{end}}: defines the template and invokes it in place. */
  private blockControl(): Node {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    const pipe = this.pipeline(context, Tok.RightDelim);
    const saved = this.st;
    this.st = { tree: new Tree(name, this.name, this.text), vars: ['$'], rangeDepth: 0 };
    const [list, end] = this.itemList();
    if (end.type !== NodeType.End) this.errorf(`unexpected ${end.toString()} in ${context}`);
    this.st.tree.root = list;
    this.add(this.st.tree);
    this.st = saved;
    return new TemplateNode(saved.tree, token.pos, name, pipe);
  }

  /** {{template "name" pipeline?}} */
  private templateControl(): Node {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== Tok.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, Tok.RightDelim);
    }
    return new TemplateNode(this.st.tree, token.pos, name, pipe);
  }

  private templateName(token: Token, context: string): string {
    if (token.type !== Tok.String && token.type !== Tok.RawString) this.unexpected(token, context);
    return this.unquoteString(token.val);
  }

  /** command: operand (space operand)*, up to a pipe (consumed) or the closing delimiter/paren (left). */
  private command(): CommandNode {
    const cmd = new CommandNode(this.st.tree, this.peekNonSpace().pos);
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const token = this.next();
      if (token.type === Tok.Space) continue;
      if (token.type === Tok.RightDelim || token.type === Tok.RightParen) this.backup();
      else if (token.type !== Tok.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  /** operand: term .Field* */
  private operand(): ArgNode | null {
    const node = this.term();
    if (node === null) return null;
    if (this.peek().type !== Tok.Field) return node;
    const chain = new ChainNode(this.st.tree, this.peek().pos, node);
    while (this.peek().type === Tok.Field) chain.field.push(this.next().val.slice(1));
    switch (node.type) {
      case NodeType.Field:
        return new FieldNode(this.st.tree, chain.pos, [...node.ident, ...chain.field]);
      case NodeType.Variable:
        return new VariableNode(this.st.tree, chain.pos, [...node.ident, ...chain.field]);
      case NodeType.Bool:
      case NodeType.String:
      case NodeType.Number:
      case NodeType.Nil:
      case NodeType.Dot:
        this.errorf(`unexpected . after term ${quoteName(node.toString())}`);
    }
    return chain;
  }

  /** term: literal | function | . | .Field | $var | '(' pipeline ')' */
  private term(): ArgNode | null {
    const token = this.nextNonSpace();
    const tree = this.st.tree;
    switch (token.type) {
      case Tok.Identifier:
        if (!this.env.hasFunction(token.val)) this.errorf(`function ${quoteName(token.val)} not defined`);
        return new IdentifierNode(tree, token.pos, token.val);
      case Tok.Dot:
        return new DotNode(tree, token.pos);
      case Tok.Nil:
        return new NilNode(tree, token.pos);
      case Tok.Variable:
        return this.useVar(token.pos, token.val);
      case Tok.Field:
        return new FieldNode(tree, token.pos, token.val.slice(1).split('.'));
      case Tok.Bool:
        return new BoolNode(tree, token.pos, token.val === 'true');
      case Tok.CharConstant:
      case Tok.Complex:
      case Tok.Number:
        return this.newNumber(token);
      case Tok.LeftParen: {
        if (this.parenDepth >= MAX_PARSE_DEPTH) this.errorf('max expression depth exceeded');
        this.parenDepth++;
        const p = this.pipeline('parenthesized pipeline', Tok.RightParen);
        this.parenDepth--;
        return p;
      }
      case Tok.String:
      case Tok.RawString:
        return new StringNode(tree, token.pos, token.val, this.unquoteString(token.val));
    }
    this.backup();
    return null;
  }

  private newVariable(pos: number, name: string): VariableNode {
    return new VariableNode(this.st.tree, pos, name.split('.'));
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    if (!this.st.vars.includes(v.ident[0]!)) this.errorf(`undefined variable ${quoteName(v.ident[0]!)}`);
    return v;
  }

  private unquoteString(lit: string): string {
    const s = unquote(lit);
    if (s === null) this.errorf('invalid syntax');
    return s;
  }

  private newNumber(token: Token): NumberNode {
    const r = numberNode(this.st.tree, token);
    if (typeof r === 'string') this.errorf(r);
    return r;
  }
}

/** Go's %q. */
function quoteName(s: string): string {
  return quote(s);
}

/** Go's newNumber: the node, or the error message. */
function numberNode(tree: Tree, token: Token): NumberNode | string {
  const kind = token.type === Tok.CharConstant ? 'char' : token.type === Tok.Complex ? 'complex' : 'number';
  const info = parseNumber(token.val, kind);
  if (typeof info === 'string') return info;
  return Object.assign(new NumberNode(tree, token.pos, token.val), info);
}
