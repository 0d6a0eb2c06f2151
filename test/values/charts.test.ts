// Dependency processing, coalescing across subcharts, globals, warnings and schema validation on the fixture
// charts (test/fixtures/charts/{deps,legacy,schema}), each compared with what the real helm v4.1.4 printed
// (test/fixtures/charts/values-oracle.json, made by support/gen-values-oracle.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../chart/support/root.js';
import { CHART_CASES } from './support/cases.js';
import { bosunOutcome, fixtureChart, normalizeHelmLog, fmtAvailable, type Outcome } from './support/run.js';
import { loadChartSync } from '../../src/chart/index.js';
import { processDependencies, checkDependencies, missingDependencies, toRenderValues } from '../../src/values/index.js';
import { newMap } from '../../src/template/value.js';

const oracle = JSON.parse(readFileSync(join(FIXTURES, 'values-oracle.json'), 'utf8')) as { charts: Record<string, Outcome> };
const fmtReady = fmtAvailable();

/**
 * jsonschema v6 reports sibling failures in Go map order (random from run to run): sort the entries (a `- at` line
 * with its indented causes) at every level, so the comparison checks the tree's content, not that order.
 */
function normalizeSchemaError(text: string): string {
  interface Node {
    line: string;
    kids: Node[];
  }
  const render = (n: Node): string => [n.line, ...n.kids.map(render).sort()].join('\n');
  const out: string[] = [];
  let roots: Node[] = [];
  const stack: Array<{ indent: number; node: Node }> = [];
  const flush = (): void => {
    out.push(...roots.map(render).sort());
    roots = [];
    stack.length = 0;
  };
  for (const l of text.split('\n')) {
    const m = /^( *)- /.exec(l);
    if (!m) {
      flush();
      out.push(l);
      continue;
    }
    const indent = m[1]!.length;
    const node: Node = { line: l, kids: [] };
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    if (stack.length === 0) roots.push(node);
    else stack[stack.length - 1]!.node.kids.push(node);
    stack.push({ indent, node });
  }
  flush();
  return out.join('\n');
}

for (const c of CHART_CASES) {
  test(`chart values: ${c.id}`, () => {
    const want = oracle.charts[c.id];
    assert.ok(want, `no oracle entry for ${c.id}: run support/gen-values-oracle.ts`);
    const got = bosunOutcome(fixtureChart(join(FIXTURES, c.chart)), c.flags);
    if (!want.ok) {
      assert.equal(got.ok, false, `helm failed with: ${want.error}`);
      assert.equal(normalizeSchemaError(got.error!), normalizeSchemaError(want.error!));
    } else {
      assert.equal(got.error, undefined);
      // The .tgz subchart cannot carry the dump template, so helm has no dump for it: compare the charts helm rendered.
      const gotDumps = Object.fromEntries(Object.entries(got.dumps ?? {}).filter(([k]) => k in (want.dumps ?? {})));
      assert.deepEqual(Object.keys(gotDumps).sort(), Object.keys(want.dumps ?? {}).sort(), 'rendered charts differ');
      for (const [path, dump] of Object.entries(want.dumps ?? {})) assert.equal(gotDumps[path], dump, `.Values of ${path}`);
    }
    if (fmtReady) {
      const helmWarnings = (want.warnings ?? []).filter((l) => !l.startsWith('level=ERROR')).map(normalizeHelmLog).sort();
      assert.deepEqual([...(got.warnings ?? [])].sort(), helmWarnings, 'warnings');
    }
  });
}

test('processDependencies leaves the loaded chart untouched and is repeatable', () => {
  const chart = loadChartSync(join(FIXTURES, 'deps'));
  const before = JSON.stringify(chart.metadata) + [...chart.walk()].map((c) => `${c.fullPath}:${c.dependencies.length}`).join(',');
  const user = newMap();
  const a = processDependencies(chart, user);
  const b = processDependencies(chart, user);
  const after = JSON.stringify(chart.metadata) + [...chart.walk()].map((c) => `${c.fullPath}:${c.dependencies.length}`).join(',');
  assert.equal(after, before);
  assert.deepEqual([...a.walk()].map((c) => c.fullPath), [...b.walk()].map((c) => c.fullPath));
  assert.deepEqual(
    [...a.walk()].map((c) => c.fullPath).sort(),
    ['deps', 'deps/charts/beta', 'deps/charts/extra', 'deps/charts/gamma', 'deps/charts/lib', 'deps/charts/sub-a', 'deps/charts/sub-d'].sort(),
  );
  // Aliases rename the copies and the metadata entries; import-values are normalized to child/parent pairs.
  const deps = a.metadata.dependencies!.map((d) => d!.name);
  assert.deepEqual(deps, ['sub-a', 'beta', 'gamma', 'lib', 'sub-d']);
  assert.equal(a.digest, chart.digest);
});

test('checkDependencies reports charts missing from charts/ with helm template\'s message', () => {
  const chart = loadChartSync(join(FIXTURES, 'deps'));
  assert.deepEqual(missingDependencies(chart), []);
  checkDependencies(chart);
  const broken = chart.shallowCopy();
  broken.setDependencies(chart.dependencies.filter((d) => d.name !== 'sub-c' && d.name !== 'lib'));
  assert.throws(
    () => checkDependencies(broken),
    (e: Error) =>
      e.message ===
      'an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: sub-c, lib',
  );
});

test('toRenderValues: subchart .Values are typed common.Values views of the parent map', () => {
  const chart = loadChartSync(join(FIXTURES, 'deps'));
  const r = toRenderValues(chart, newMap());
  const sub = [...r.chartValues.entries()].find(([c]) => c.fullPath === 'deps/charts/sub-a')![1];
  const GO_TYPE = Symbol.for('bosun.goType');
  assert.equal((r.values as Record<symbol, unknown>)[GO_TYPE], 'common.Values');
  assert.equal((sub as Record<symbol, unknown>)[GO_TYPE], 'common.Values');
  // The parent's own view of the same map stays a plain map[string]interface {}.
  assert.equal(((r.values['sub-a'] as object) as Record<symbol, unknown>)[GO_TYPE], undefined);
  sub.added = 'x';
  assert.equal((r.values['sub-a'] as Record<string, unknown>).added, 'x');
});
