// kubectl's printing of server-side Tables, as helm 4's status uses it. The expected texts are what the real
// helm v4.1.4 printed for a release of two ConfigMaps on the sandbox (whose Tables these are): one header for
// both (same columns), each table aligned on its own, the minimum column width 6 and padding 3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TablePrinter, type ServerTable } from '../../src/kube/printer.js';

const columns = [
  { name: 'Name', type: 'string', format: 'name', priority: 0 },
  { name: 'Data', type: 'integer', priority: 0 },
  { name: 'Age', type: 'string', priority: 0 },
];
const cm = (name: string, data: number): ServerTable => ({ columnDefinitions: columns, rows: [{ cells: [name, data, '0s'] }] });

test('tables with the same columns share one header; each is aligned on its own', () => {
  const p = new TablePrinter();
  assert.equal(p.print(cm('a-two', 1)) + p.print(cm('bb-longer-two', 2)), 'NAME    DATA   AGE\na-two   1      0s\nbb-longer-two   2     0s\n');
});

test('other columns print their header again (as the real helm does for a Deployment and its pods); columns of a priority above 0 are left out and a cell ends at its first line break, as kubectl get prints them', () => {
  const p = new TablePrinter();
  p.print(cm('a', 1));
  const pods: ServerTable = {
    columnDefinitions: [...columns.slice(0, 1), { name: 'Status', type: 'string' }, { name: 'IP', type: 'string', priority: 1 }],
    rows: [{ cells: ['web-1', 'Running\nsince long', '10.0.0.1'] }],
  };
  assert.equal(p.print(pods), 'NAME    STATUS\nweb-1   Running...\n');
  assert.equal(p.print({ columnDefinitions: columns, rows: [] }), '');
});
