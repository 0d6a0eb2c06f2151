// Hook order against the real helm v4.1.4: the same chart (hooks for every event, several weights and kinds, every
// delete policy) goes through install, upgrade, rollback, test and uninstall on two clusters of one sandbox, one
// driven by helm and one by bosun; the write requests each cluster receives (applies and deletes of hooks and
// objects, in order) must be the same. Then a failing pre-upgrade hook: same requests up to the failure, same
// record.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RequestInfo } from '../../src/sandbox/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { bosun, FIXTURES, haveTool, helm, sandboxEnv, writeChart, type Env } from './helpers.js';

const CHART = join(FIXTURES, 'hooks');

describe('hooks run in helm 4 order', { skip: !haveTool('helm4') && 'helm4 not in .tools' }, () => {
  let e: Env;
  const log: Record<string, string[]> = { h: [], b: [] };
  let recording = false;
  before(async () => {
    e = await sandboxEnv({
      clusters: ['h', 'b'],
      controllerDelayMs: 20,
      onRequest: (info: RequestInfo) => {
        if (!recording || !info.cluster || !(info.cluster in log)) return;
        if (info.method === 'GET') return;
        const path = info.path.replace(/\?.*$/, '').replace(/^\/clusters\/[^/]+/, '');
        // Release records and namespaces are storage and setup, not hook order.
        if (/sh\.helm\.release\.v1|\/namespaces$/.test(path) || (info.method === 'POST' && path.endsWith('/secrets'))) return;
        log[info.cluster]!.push(`${info.method} ${path}${info.method === 'DELETE' ? ` ${info.code}` : ''}`);
      },
    });
  });
  after(async () => e?.close());

  const both = async (helmArgs: string[], bosunArgs: string[] = helmArgs, expectOk = true): Promise<{ h: string[]; b: string[] }> => {
    log.h = [];
    log.b = [];
    recording = true;
    const hr = await helm('helm4', e, ['--kube-context', 'h', ...helmArgs]);
    const br = await bosun(bosunArgs, e);
    recording = false;
    if (expectOk) {
      assert.equal(hr.code, 0, `helm ${helmArgs.join(' ')}: ${hr.stderr}`);
      assert.equal(br.code, 0, `bosun ${bosunArgs.join(' ')}: ${br.stderr}`);
    } else {
      assert.notEqual(hr.code, 0);
      assert.notEqual(br.code, 0);
    }
    return { h: [...log.h!], b: [...log.b!] };
  };

  const cmd = (words: string[], rest: string[]) => [...words, ...rest];

  test('install, upgrade, rollback, test, uninstall', async () => {
    const phases: Array<[string, string[]]> = [
      ['install', cmd(['install'], ['web', CHART, '-n', 'hk', '--create-namespace'])],
      ['upgrade', cmd(['upgrade'], ['web', CHART, '-n', 'hk', '--set', 'x=2'])],
      ['rollback', cmd(['rollback'], ['web', '1', '-n', 'hk'])],
      ['test', cmd(['test'], ['web', '-n', 'hk'])],
      ['uninstall', cmd(['uninstall'], ['web', '-n', 'hk'])],
    ];
    for (const [phase, args] of phases) {
      const r = await bothOrdered(args);
      assert.deepEqual(r.b, r.h, `${phase}: bosun's requests follow helm's`);
      assert.ok(r.h.length > 0, `${phase} did something`);
    }
  });

  test('a failing pre-upgrade hook', async () => {
    let r = await bothOrdered(['install', 'fx', CHART, '-n', 'fx', '--create-namespace']);
    assert.deepEqual(r.b, r.h);
    r = await bothOrdered(['upgrade', 'fx', CHART, '-n', 'fx', '--set', 'failing=true'], false);
    assert.deepEqual(r.b, r.h, "failure: bosun's requests follow helm's");
    const hh = await helm('helm4', e, ['--kube-context', 'h', 'history', 'fx', '-n', 'fx']);
    const bh = await bosun(['history', 'fx', '-n', 'fx', '--kube-context', 'b'], e);
    const cut = (s: string) => s.split('\n').map((l) => l.split('\t').filter((_, i) => i !== 1).join('\t').trimEnd()).join('\n');
    assert.equal(cut(bh.stdout), cut(hh.stdout));
  });

  test('--rollback-on-failure after a failing hook: install uninstalls, upgrade rolls back (as helm)', async () => {
    const errorLine = (x: string) => x.split('\n').filter((l) => l.startsWith('Error: ')).join('\n');
    for (const [args, listArgs] of [
      [['install', 'rb', CHART, '-n', 'rb', '--create-namespace', '--set', 'failing=true', '--set', 'pre=pre-install', '--rollback-on-failure'], ['list', '-n', 'rb']],
      [['install', 'rb2', CHART, '-n', 'rb'], ['list', '-n', 'rb']],
      [['upgrade', 'rb2', CHART, '-n', 'rb', '--set', 'failing=true', '--rollback-on-failure', '--timeout', '60s'], ['history', 'rb2', '-n', 'rb']],
    ] as Array<[string[], string[]]>) {
      const hr = await helm('helm4', e, ['--kube-context', 'h', ...args]);
      const br = await bosun([args[0]!, '--kube-context', 'b', ...args.slice(1)], e);
      assert.equal(br.code === 0, hr.code === 0, `${args.join(' ')}: ${br.stderr} / ${hr.stderr}`);
      assert.equal(errorLine(br.stderr), errorLine(hr.stderr));
      const hl = await helm('helm4', e, ['--kube-context', 'h', ...listArgs]);
      assert.equal(hl.code, 0, hl.stderr);
      const bl = await bosun([listArgs[0]!, '--kube-context', 'b', ...listArgs.slice(1)], e);
      const cut = (x: string) => x.split('\n').map((l) => l.split('\t').filter((_, i) => i !== (listArgs[0] === 'list' ? 3 : 1)).join('\t').trimEnd()).join('\n');
      assert.equal(cut(bl.stdout), cut(hl.stdout));
    }
  });

  test('a hook written as a List: its items are created, waited on and deleted as helm does', async () => {
    const work = mkdtempSync(join(tmpdir(), 'bosun-list-hook-'));
    try {
      const chart = writeChart(join(work, 'lh'), {
        'Chart.yaml': 'apiVersion: v2\nname: lh\nversion: 0.1.0\n',
        'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
        'templates/hook.yaml':
          'apiVersion: v1\nkind: List\nmetadata:\n  annotations:\n    helm.sh/hook: post-install,post-upgrade\n    helm.sh/hook-delete-policy: before-hook-creation\n' +
          'items:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: {{ .Release.Name }}-one\n  - kind: ConfigMap\n    apiVersion: v1\n    metadata:\n      name: {{ .Release.Name }}-two\n',
      });
      for (const args of [
        ['install', 'lh', chart, '-n', 'lh', '--create-namespace'],
        ['upgrade', 'lh', chart, '-n', 'lh'],
      ]) {
        const r = await bothOrdered(args);
        // helm sends one request per item of the same kind at once (goroutines): the items' order within each run of
        // such requests varies from run to run, so each run is compared sorted.
        const canon = (xs: string[]) => {
          const out: string[] = [];
          let run: string[] = [];
          const flush = () => {
            out.push(...run.sort());
            run = [];
          };
          for (const x of xs) {
            const m = /^(\S+) .*\/configmaps\/lh-(one|two)\b/.exec(x);
            if (!m || (run.length > 0 && !run[0]!.startsWith(m[1]! + ' '))) flush();
            if (m) run.push(x);
            else out.push(x);
          }
          flush();
          return out;
        };
        assert.deepEqual(canon(r.b), canon(r.h), `${args[0]}: bosun's requests follow helm's`);
        assert.ok(r.h.some((l) => l.includes('/configmaps/lh-two')), 'the second item is applied');
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  async function bothOrdered(args: string[], ok = true) {
    // helm takes --kube-context anywhere; bosun after the command word.
    const words = args[0] === 'get' ? 2 : 1;
    return both(args, [...args.slice(0, words), '--kube-context', 'b', ...args.slice(words)], ok);
  }
});
