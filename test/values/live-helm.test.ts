// When the reference helm is unpacked (.tools/helm4, via scripts/fetch-tools.mjs), re-run a sample of the oracle
// cases live: bosun must agree with helm now, not only with the recorded fixture (and a stale fixture shows up).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES } from '../chart/support/root.js';
import { FLAG_CASES, CHART_CASES } from './support/cases.js';
import { DUMP_PATH, DUMP_TEMPLATE } from './support/dump.js';
import { addDumpTemplates, copyChart, helmAvailable, helmTemplate, parseDumps, removeTemp, writeChart } from './support/helm.js';
import { bosunOutcome, fixtureChart, flagChart } from './support/run.js';


const FLAG_SAMPLE = ['set/scalars', 'set/list-of-maps', 'set-json/scalars', 'set-literal/literal', 'coalesce/nil-deletes'];
const CHART_SAMPLE = ['deps/default', 'deps/enable-c-and-inner', 'deps/globals-user'];

test('live helm: --set family samples', { skip: !helmAvailable && 'no .tools/helm4 (node scripts/fetch-tools.mjs)' }, () => {
  for (const id of FLAG_SAMPLE) {
    const c = FLAG_CASES.find((x) => x.id === id)!;
    const dir = writeChart({ 'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n', 'values.yaml': c.valuesYaml ?? '', [DUMP_PATH]: DUMP_TEMPLATE });
    try {
      const r = helmTemplate(dir, c.flags);
      assert.ok(r.ok, r.stderr);
      assert.equal(bosunOutcome(flagChart(c.valuesYaml), c.flags, c.files).dumps?.c, parseDumps(r.stdout).get('c'), id);
    } finally {
      removeTemp(dir);
    }
  }
});

test('live helm: dependency samples', { skip: !helmAvailable && 'no .tools/helm4 (node scripts/fetch-tools.mjs)' }, () => {
  for (const id of CHART_SAMPLE) {
    const c = CHART_CASES.find((x) => x.id === id)!;
    const dir = copyChart(join(FIXTURES, c.chart));
    try {
      addDumpTemplates(dir);
      const r = helmTemplate(dir, c.flags);
      assert.ok(r.ok, r.stderr);
      const mine = bosunOutcome(fixtureChart(join(FIXTURES, c.chart)), c.flags).dumps ?? {};
      for (const [path, dump] of parseDumps(r.stdout)) assert.equal(mine[path], dump, `${id}: ${path}`);
    } finally {
      removeTemp(dir);
    }
  }
});
