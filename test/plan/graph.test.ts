import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph, CycleError, UnknownNodeError } from '../../src/plan/graph.js';

// The helmfile docs' DAG example (docs/index.md, "DAG-aware installation/deletion ordering with needs"):
// logging first, then servicemesh, then myapp1 and myapp2; deletion in the reverse order.
const helmfileExample = () =>
  Graph.fromNodes([
    { id: 'myapp1', needs: ['servicemesh', 'logging'] },
    { id: 'myapp2', needs: ['servicemesh', 'logging'] },
    { id: 'servicemesh', needs: ['logging'] },
    { id: 'logging', needs: [] },
  ]);

test('graph keeps insertion order, needs and dependents', () => {
  const g = helmfileExample();
  assert.deepEqual(g.ids(), ['myapp1', 'myapp2', 'servicemesh', 'logging']);
  assert.equal(g.size, 4);
  assert.deepEqual(g.needs('myapp1'), ['servicemesh', 'logging']);
  assert.deepEqual(g.dependents('logging'), ['myapp1', 'myapp2', 'servicemesh']);
  assert.deepEqual(g.roots(), ['logging']);
  assert.deepEqual(g.edges().length, 5);
  assert.equal(g.has('logging'), true);
  assert.equal(g.has('nope'), false);
});

test('ready() starts each node as soon as its own needs are done', () => {
  const g = Graph.fromNodes([
    { id: 'eu/certs', needs: [] },
    { id: 'eu/edge', needs: ['eu/certs'] },
    { id: 'us/certs', needs: [] },
    { id: 'us/edge', needs: ['us/certs'] },
    { id: 'eu/app', needs: ['eu/edge'] },
  ]);
  assert.deepEqual(g.ready(new Set()), ['eu/certs', 'us/certs']);
  // A slow us/certs does not hold back eu/edge (no depth groups).
  assert.deepEqual(g.ready(new Set(['eu/certs']), new Set(['us/certs'])), ['eu/edge']);
  assert.deepEqual(g.ready(new Set(['eu/certs', 'eu/edge']), new Set(['us/certs'])), ['eu/app']);
  assert.deepEqual(g.ready(new Set(g.ids())), []);
});

test('topoOrder puts needs first and keeps ties in insertion order', () => {
  assert.deepEqual(helmfileExample().topoOrder(), ['logging', 'servicemesh', 'myapp1', 'myapp2']);
});

test('levels gives helmfile-style groups for display', () => {
  assert.deepEqual(helmfileExample().levels(), [['logging'], ['servicemesh'], ['myapp1', 'myapp2']]);
});

test('reverse() orders deletion: dependents before their needs', () => {
  const r = helmfileExample().reverse();
  assert.deepEqual(r.needs('logging'), ['myapp1', 'myapp2', 'servicemesh']);
  assert.deepEqual(r.topoOrder(), ['myapp1', 'myapp2', 'servicemesh', 'logging']);
  assert.deepEqual(r.ready(new Set()), ['myapp1', 'myapp2']);
});

test('a cycle is reported with its path', () => {
  assert.throws(
    () =>
      Graph.fromNodes([
        { id: 'a', needs: ['b'] },
        { id: 'b', needs: ['c'] },
        { id: 'c', needs: ['a'] },
      ]),
    (e: unknown) => e instanceof CycleError && e.message === 'needs cycle: a -> b -> c -> a' && e.cycle.join(',') === 'a,b,c,a',
  );
  assert.throws(() => Graph.fromNodes([{ id: 'x', needs: ['x'] }]), /needs cycle: x -> x/);
});

test('an edge to an unknown node is an error', () => {
  assert.throws(() => Graph.fromNodes([{ id: 'a', needs: ['ghost'] }]), (e: unknown) => e instanceof UnknownNodeError && /a needs ghost/.test(String(e)));
});

test('duplicate nodes merge their needs; duplicate needs are ignored', () => {
  const g = Graph.fromNodes([
    { id: 'a', needs: ['b', 'b'] },
    { id: 'b', needs: [] },
    { id: 'a', needs: ['c'] },
    { id: 'c', needs: [] },
  ]);
  assert.deepEqual(g.ids(), ['a', 'b', 'c']);
  assert.deepEqual(g.needs('a'), ['b', 'c']);
});

test('subgraph, transitive needs and dependents', () => {
  const g = helmfileExample();
  const s = g.subgraph(['myapp1', 'logging']);
  assert.deepEqual(s.ids(), ['myapp1', 'logging']);
  assert.deepEqual(s.needs('myapp1'), ['logging']);
  assert.deepEqual([...g.transitiveNeeds(['myapp1'])].sort(), ['logging', 'servicemesh']);
  assert.deepEqual([...g.transitiveDependents(['servicemesh'])].sort(), ['myapp1', 'myapp2']);
  assert.equal(Graph.empty().size, 0);
});

test('toDot draws each node and an edge to each need', () => {
  const dot = Graph.fromNodes([
    { id: 'a', needs: ['b'] },
    { id: 'b', needs: [] },
  ]).toDot({ label: (id) => id.toUpperCase() });
  assert.equal(dot, 'digraph "bosun" {\n  rankdir=RL;\n  "a" [label="A"];\n  "b" [label="B"];\n  "a" -> "b";\n}\n');
});
