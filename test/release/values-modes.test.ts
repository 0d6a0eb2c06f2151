// Values modes against helm v4.1.4: install, then upgrades with --reuse-values, no values (reuse by default),
// --reset-then-reuse-values and --reset-values, on two clusters; every revision's computed values and manifest
// must be what helm stored.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bosun, haveTool, helm, sandboxEnv, SANDBOX_APP } from './helpers.js';

test('values modes match helm 4', { skip: !haveTool('helm4') && 'helm4 not in .tools' }, async () => {
  const e = await sandboxEnv({ clusters: ['h', 'b'], controllerDelayMs: 20 });
  try {
    const steps = [
      ['install', 'v', SANDBOX_APP, '--set', 'message=a', '--set', 'replicaCount=1'],
      ['upgrade', 'v', SANDBOX_APP, '--reuse-values', '--set', 'image.tag=9'],
      ['upgrade', 'v', SANDBOX_APP],
      ['upgrade', 'v', SANDBOX_APP, '--reset-then-reuse-values', '--set', 'x=1'],
      ['upgrade', 'v', SANDBOX_APP, '--reset-values', '--set', 'y=2'],
    ];
    for (const s of steps) {
      const h = await helm('helm4', e, ['--kube-context', 'h', ...s]);
      assert.equal(h.code, 0, h.stderr);
      const b = await bosun([s[0]!, '--kube-context', 'b', ...s.slice(1)], e);
      assert.equal(b.code, 0, b.stderr);
    }
    for (let rev = 1; rev <= steps.length; rev++) {
      for (const cmd of [['values', '--all'], ['values'], ['manifest']]) {
        const h = await helm('helm4', e, ['--kube-context', 'h', 'get', cmd[0]!, 'v', '--revision', String(rev), ...cmd.slice(1)]);
        const b = await bosun(['get', cmd[0]!, 'v', '--kube-context', 'b', '--revision', String(rev), ...cmd.slice(1)], e);
        assert.equal(b.stdout, h.stdout, `get ${cmd.join(' ')} --revision ${rev}`);
      }
    }
  } finally {
    await e.close();
  }
});
