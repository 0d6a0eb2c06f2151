// A set of named templates sharing one function map, like Go's *template.Template and its associated templates.
//
// parse() adds the trees of one text (the text itself under the given name, plus its {{define}}s and {{block}}s);
// a later definition of a name replaces the earlier one, except that an empty one (only white space and comments)
// never replaces a non-empty one. Trees are immutable and shared between clones.
import { executeTemplate, type ExecContext, type MissingKey } from './exec.js';
import { builtins } from './builtins.js';
import { isEmptyTree, type Tree } from './node.js';
import { parse } from './parse.js';
import type { GoFunc, GoValue } from './value.js';

export interface TemplateOptions {
  /** Template functions; they win over the builtins of the same name. */
  funcs?: Record<string, GoFunc>;
  /**
   * What a missing map key yields: 'default' (Go's default: no value, printed `<no value>`), 'zero' (the zero value of
   * the map's element type; Helm's choice) or 'error'.
   */
  missingKey?: MissingKey;
}

export class Template implements ExecContext {
  /**
   * The function map: consulted at parse time for existence and at execution time for the implementation, so a caller
   * may rebind a function (e.g. `include`) on a clone before executing.
   */
  funcs: Record<string, GoFunc>;
  readonly missingKey: MissingKey;
  /** This set's own definitions. */
  private trees: Map<string, Tree>;
  /**
   * Definitions seen through, as they were when this set was cloned from another (read-only here). A clone costs
   * no copy of the whole set: Helm's tpl clones the set for every call, and a large chart makes hundreds per render.
   */
  private base: ReadonlyMap<string, Tree> | undefined;
  /** `trees` is some clone's base: copy it before changing it, so that the clone keeps its snapshot. */
  private lent = false;

  constructor(
    readonly name: string,
    options: TemplateOptions = {},
  ) {
    this.funcs = options.funcs ?? {};
    this.missingKey = options.missingKey ?? 'default';
    this.trees = new Map();
  }

  /** Parses `text` as template `name`; its definitions join the set. Throws ParseError (and then changes nothing). */
  parse(name: string, text: string): Tree | undefined {
    const funcs = this.funcs;
    const trees = parse(name, text, {
      hasFunction: (f) => (Object.hasOwn(funcs, f) && funcs[f] !== undefined) || builtins[f] !== undefined,
    });
    for (const [n, tree] of trees) {
      if (isEmptyTree(tree.root) && this.lookup(n) !== undefined) continue;
      if (this.lent) {
        this.trees = new Map(this.trees);
        this.lent = false;
      }
      this.trees.set(n, tree);
    }
    return trees.get(name);
  }

  /**
   * Executes a tree that parse() returned, under its name. Like Go's t.New(name).Parse(text) then t.Execute, it runs
   * that tree even when an empty text left an earlier template of the same name in the set (Helm's tpl relies on it).
   */
  executeParsed(name: string, tree: Tree, data: GoValue): string {
    return executeTemplate(this, name, data, tree);
  }

  /** Executes template `name` with `data` as dot and `$`; returns the output. Throws ExecError. */
  execute(name: string, data: GoValue): string {
    return executeTemplate(this, name, data);
  }

  has(name: string): boolean {
    return this.lookup(name) !== undefined;
  }

  /** Names of the templates in the set, sorted. */
  names(): string[] {
    const names = new Set(this.trees.keys());
    if (this.base !== undefined) for (const n of this.base.keys()) names.add(n);
    return [...names].sort();
  }

  /** The parsed tree of a template (for tools and tests). */
  lookup(name: string): Tree | undefined {
    return this.trees.get(name) ?? this.base?.get(name);
  }

  /**
   * A copy with its own name map and function map: later definitions in either are not seen by the other. The parsed
   * trees are shared; so is the original's name map, until either changes it.
   */
  clone(): Template {
    const t = new Template(this.name, { funcs: { ...this.funcs }, missingKey: this.missingKey });
    if (this.base === undefined) {
      t.base = this.trees;
      this.lent = true;
    } else {
      // a clone of a clone (tpl inside tpl): the common base, and a copy of the few own definitions
      t.base = this.base;
      t.trees = new Map(this.trees);
    }
    return t;
  }
}
