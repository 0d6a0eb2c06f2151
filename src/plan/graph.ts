// The needs DAG of a deployment: nodes are target ids (`cluster/namespace/name`), an edge a → b means "a needs b"
// (b is installed before a, and deleted after it).
//
// It stays a graph rather than being flattened into depth groups: a scheduler asks `ready(done)` for every node whose
// own needs are all done and starts it at once, so a slow release in one region never holds back an unrelated one in
// another. `levels()` still gives helmfile-style groups for display (`show-dag`).
//
// The graph knows nothing of releases or clusters; ids are opaque strings and insertion order is kept everywhere, so
// every listing is deterministic.

/** The needs form a cycle. `cycle` lists the ids along it, the first repeated at the end: a → b → a. */
export class CycleError extends Error {
  override name = 'CycleError';
  constructor(readonly cycle: readonly string[]) {
    super(`needs cycle: ${cycle.join(' -> ')}`);
  }
}

/** An edge names a node the graph does not hold. */
export class UnknownNodeError extends Error {
  override name = 'UnknownNodeError';
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`${from} needs ${to}, which is not in the graph`);
  }
}

export interface GraphNode {
  readonly id: string;
  /** Ids this node needs (its prerequisites). Duplicates are ignored. */
  readonly needs: readonly string[];
}

export interface DotOptions {
  /** Graph name (default "bosun"). */
  name?: string;
  /** Node label (default: the id). */
  label?: (id: string) => string;
}

export class Graph {
  private readonly order: readonly string[];
  private readonly index: ReadonlyMap<string, number>;
  private readonly needsOf: ReadonlyMap<string, readonly string[]>;
  private readonly dependentsOf: ReadonlyMap<string, readonly string[]>;

  private constructor(order: string[], needsOf: Map<string, string[]>) {
    this.order = order;
    this.index = new Map(order.map((id, i) => [id, i]));
    this.needsOf = needsOf;
    const deps = new Map<string, string[]>(order.map((id) => [id, []]));
    for (const id of order) for (const n of needsOf.get(id)!) deps.get(n)!.push(id);
    this.dependentsOf = deps;
  }

  /**
   * Builds the graph from nodes and their needs. Throws UnknownNodeError when a need is not one of the nodes, and
   * CycleError (with the cycle's path) when the needs are not acyclic. A node listed twice keeps its first position
   * and the union of its needs.
   */
  static fromNodes(nodes: Iterable<GraphNode>): Graph {
    const order: string[] = [];
    const needsOf = new Map<string, string[]>();
    for (const n of nodes) {
      let list = needsOf.get(n.id);
      if (list === undefined) {
        list = [];
        needsOf.set(n.id, list);
        order.push(n.id);
      }
      for (const m of n.needs) if (!list.includes(m)) list.push(m);
    }
    for (const id of order) {
      for (const m of needsOf.get(id)!) if (!needsOf.has(m)) throw new UnknownNodeError(id, m);
    }
    const g = new Graph(order, needsOf);
    const cycle = g.findCycle();
    if (cycle) throw new CycleError(cycle);
    return g;
  }

  /** The empty graph. */
  static empty(): Graph {
    return new Graph([], new Map());
  }

  get size(): number {
    return this.order.length;
  }

  /** Every id, in insertion order. */
  ids(): string[] {
    return [...this.order];
  }

  has(id: string): boolean {
    return this.needsOf.has(id);
  }

  /** The direct needs (prerequisites) of `id`. */
  needs(id: string): readonly string[] {
    return this.needsOf.get(id) ?? [];
  }

  /** The nodes that directly need `id` (they may start once `id` is done). */
  dependents(id: string): readonly string[] {
    return this.dependentsOf.get(id) ?? [];
  }

  /** Nodes without needs. */
  roots(): string[] {
    return this.order.filter((id) => this.needsOf.get(id)!.length === 0);
  }

  /** Every edge as [node, need]. */
  edges(): [string, string][] {
    const out: [string, string][] = [];
    for (const id of this.order) for (const n of this.needsOf.get(id)!) out.push([id, n]);
    return out;
  }

  /**
   * The nodes that may start now: not done, not already started (`running`), and with every need in `done`.
   * A scheduler calls this again whenever a node finishes.
   */
  ready(done: ReadonlySet<string>, running: ReadonlySet<string> = new Set()): string[] {
    const out: string[] = [];
    for (const id of this.order) {
      if (done.has(id) || running.has(id)) continue;
      if (this.needsOf.get(id)!.every((n) => done.has(n))) out.push(id);
    }
    return out;
  }

  /** A topological order: every node after all of its needs; ties keep insertion order. */
  topoOrder(): string[] {
    const pending = new Map<string, number>();
    for (const id of this.order) pending.set(id, this.needsOf.get(id)!.length);
    // A min-heap on insertion index keeps the order stable and deterministic.
    const heap: number[] = [];
    const push = (i: number) => {
      heap.push(i);
      let c = heap.length - 1;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (heap[p]! <= heap[c]!) break;
        [heap[p], heap[c]] = [heap[c]!, heap[p]!];
        c = p;
      }
    };
    const pop = (): number => {
      const top = heap[0]!;
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        let p = 0;
        for (;;) {
          const l = 2 * p + 1;
          const r = l + 1;
          let m = p;
          if (l < heap.length && heap[l]! < heap[m]!) m = l;
          if (r < heap.length && heap[r]! < heap[m]!) m = r;
          if (m === p) break;
          [heap[p], heap[m]] = [heap[m]!, heap[p]!];
          p = m;
        }
      }
      return top;
    };
    this.order.forEach((id, i) => {
      if (pending.get(id) === 0) push(i);
    });
    const out: string[] = [];
    while (heap.length > 0) {
      const id = this.order[pop()]!;
      out.push(id);
      for (const d of this.dependentsOf.get(id)!) {
        const left = pending.get(d)! - 1;
        pending.set(d, left);
        if (left === 0) push(this.index.get(d)!);
      }
    }
    return out;
  }

  /**
   * Helmfile-style groups: group 1 holds the nodes without needs, group k the nodes whose deepest need is in group
   * k-1. For display only; schedule with `ready`.
   */
  levels(): string[][] {
    const depth = new Map<string, number>();
    for (const id of this.topoOrder()) {
      let d = 0;
      for (const n of this.needsOf.get(id)!) d = Math.max(d, depth.get(n)! + 1);
      depth.set(id, d);
    }
    const out: string[][] = [];
    for (const id of this.order) {
      const d = depth.get(id)!;
      (out[d] ??= []).push(id);
    }
    return out;
  }

  /**
   * The graph with every edge turned around: the order for destroying. A node's needs in the reversed graph are the
   * nodes that needed it, so they are deleted first.
   */
  reverse(): Graph {
    const needsOf = new Map<string, string[]>();
    for (const id of this.order) needsOf.set(id, [...this.dependentsOf.get(id)!]);
    return new Graph([...this.order], needsOf);
  }

  /** The graph restricted to `keep` (edges to dropped nodes disappear). */
  subgraph(keep: Iterable<string>): Graph {
    const set = new Set(keep);
    const order = this.order.filter((id) => set.has(id));
    const needsOf = new Map<string, string[]>();
    for (const id of order) needsOf.set(id, this.needsOf.get(id)!.filter((n) => set.has(n)));
    return new Graph(order, needsOf);
  }

  /** Every node reachable through needs from `ids` (the ids themselves excluded unless reached again). */
  transitiveNeeds(ids: Iterable<string>): Set<string> {
    return this.walk(ids, this.needsOf);
  }

  /** Every node that needs one of `ids`, directly or not. */
  transitiveDependents(ids: Iterable<string>): Set<string> {
    return this.walk(ids, this.dependentsOf);
  }

  private walk(ids: Iterable<string>, next: ReadonlyMap<string, readonly string[]>): Set<string> {
    const seen = new Set<string>();
    const stack = [...ids];
    while (stack.length > 0) {
      const id = stack.pop()!;
      for (const n of next.get(id) ?? []) {
        if (!seen.has(n)) {
          seen.add(n);
          stack.push(n);
        }
      }
    }
    return seen;
  }

  /** A cycle as [a, b, ..., a], or undefined. Found by depth-first search in insertion order. */
  findCycle(): string[] | undefined {
    const state = new Map<string, 1 | 2>(); // 1 on the stack, 2 finished
    const stack: string[] = [];
    const visit = (id: string): string[] | undefined => {
      state.set(id, 1);
      stack.push(id);
      for (const n of this.needsOf.get(id) ?? []) {
        const s = state.get(n);
        if (s === 1) return [...stack.slice(stack.indexOf(n)), n];
        if (s === undefined) {
          const c = visit(n);
          if (c) return c;
        }
      }
      stack.pop();
      state.set(id, 2);
      return undefined;
    };
    for (const id of this.order) {
      if (state.has(id)) continue;
      const c = visit(id);
      if (c) return c;
    }
    return undefined;
  }

  /** Graphviz DOT: one node per id, an edge from each node to each of its needs. */
  toDot(options: DotOptions = {}): string {
    const q = (s: string) => JSON.stringify(s);
    const label = options.label ?? ((id: string) => id);
    const lines = [`digraph ${q(options.name ?? 'bosun')} {`, '  rankdir=RL;'];
    for (const id of this.order) lines.push(`  ${q(id)} [label=${q(label(id))}];`);
    for (const [a, b] of this.edges()) lines.push(`  ${q(a)} -> ${q(b)};`);
    lines.push('}');
    return lines.join('\n') + '\n';
  }
}
