// --enable-dns (template, install) and a state file's `enableDNS`: getHostByName answers from the system resolver,
// compared with the real helm v4.1.4 where the answer is deterministic (an IP literal, a name that cannot resolve);
// without the flag it answers "", as helm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lookup } from 'node:dns/promises';
import { spawnSync } from 'node:child_process';
import { main } from '../../src/cli/index.js';
import { HostResolver } from '../../src/render/index.js';
import { helm4 } from '../support/paths.js';

const helmAvailable = existsSync(helm4);
const work = mkdtempSync(join(tmpdir(), 'bosun-dns-'));

function chart(name: string, template: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`);
  writeFileSync(join(dir, 'templates', 'cm.yaml'), template);
  return dir;
}

const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n${data}`;
const literal = chart('literal', cm('  ip: {{ getHostByName "10.1.2.3" | quote }}\n  again: {{ getHostByName "10.1.2.3" | quote }}\n'));
const unresolvable = chart('unresolvable', cm('  ip: {{ getHostByName "no-such-host.invalid" | quote }}\n'));
// `required` fails on the "" a name gets before it is resolved: the render must be done again, not fail.
const needed = chart('needed', cm('  ip: {{ required "an address" (getHostByName "10.9.8.7") | quote }}\n'));
const local = chart('local', cm('  ip: {{ getHostByName "localhost" | quote }}\n'));

async function bosun(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

const helm = (args: string[]) => spawnSync(helm4, args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent' } });

for (const [what, dir] of [['an IP literal', literal], ['a required address', needed]] as const) {
  for (const flags of [['--enable-dns'], []]) {
    test(`bosun template ${flags.join(' ') || '(no --enable-dns)'}: getHostByName of ${what} prints what helm prints`, { skip: !helmAvailable && 'needs .tools/helm4' }, async () => {
      const args = ['template', 'rel', dir, ...flags];
      const h = helm(args);
      const b = await bosun(args);
      assert.equal(b.code === 0, h.status === 0, `${b.err} / ${h.stderr}`);
      assert.equal(b.out, h.stdout);
      assert.equal(b.err.split('\n')[0], h.stderr.split('\n')[0]);
    });
  }
}

test('bosun template --enable-dns: a name that does not resolve fails as in helm (Go\'s rand.Intn on no addresses)', { skip: !helmAvailable && 'needs .tools/helm4' }, async () => {
  const args = ['template', 'rel', unresolvable, '--enable-dns'];
  const h = helm(args);
  const b = await bosun(args);
  assert.notEqual(h.status, 0);
  assert.equal(b.code, 1);
  assert.equal(b.err.split('\n')[0], h.stderr.split('\n')[0]);
  assert.match(b.err, /error calling getHostByName: invalid argument to Intn/);
});

test('bosun install --dry-run=client --enable-dns renders what helm renders', { skip: !helmAvailable && 'needs .tools/helm4' }, async () => {
  const args = ['install', 'rel', literal, '--dry-run=client', '--enable-dns'];
  const manifest = (s: string) => s.slice(s.indexOf('MANIFEST:'));
  const h = helm(args);
  const b = await bosun(args);
  assert.equal(h.status, 0, h.stderr);
  assert.equal(b.code, 0, b.err);
  assert.equal(manifest(b.out), manifest(h.stdout));
  assert.match(b.out, /ip: "10\.1\.2\.3"/);
});

test('a host name resolves to one of the addresses the system resolver gives', async () => {
  const addrs = (await lookup('localhost', { all: true })).map((a) => a.address);
  const r = await bosun(['template', 'rel', local, '--enable-dns']);
  assert.equal(r.code, 0, r.err);
  const got = /ip: "([^"]*)"/.exec(r.out)?.[1];
  assert.ok(got !== undefined && addrs.includes(got), `${got} among ${addrs.join(', ')}`);
});

test('a state file release with enableDNS: true resolves host names; without it they are ""', async () => {
  const state = join(work, 'bosun.yaml');
  writeFileSync(state, `releases:\n  - name: on\n    chart: ${literal}\n    enableDNS: true\n  - name: off\n    chart: ${literal}\n`);
  const r = await bosun(['template', '-f', state]);
  assert.equal(r.code, 0, r.err);
  const [on, off] = r.out.split(/^# Target: /m).slice(1);
  assert.match(on!, /^default\/\/on\n[\s\S]*ip: "10\.1\.2\.3"\n  again: "10\.1\.2\.3"/);
  assert.match(off!, /^default\/\/off\n[\s\S]*ip: ""\n  again: ""/);
});

test('HostResolver: renders again until no new name is asked for, and answers later renders without a round', async () => {
  const hosts = new HostResolver();
  let renders = 0;
  const out = await hosts.render((hostByName) => {
    renders++;
    const first = hostByName('10.0.0.1');
    // A second name only once the first is known: two rounds of resolution, three renders.
    return first === '' ? '' : `${first} ${hostByName('10.0.0.2')}`;
  });
  assert.equal(out, '10.0.0.1 10.0.0.2');
  assert.equal(renders, 3);
  assert.equal(hosts.hostByName('10.0.0.2'), '10.0.0.2');
  assert.equal(hosts.hostByName('10.0.0.3'), '', 'an unknown name outside render() is "" until a render resolves it');
  await assert.rejects(
    hosts.render((hostByName) => hostByName('no-such-host.invalid')),
    /invalid argument to Intn/,
  );
});

test.after(() => rmSync(work, { recursive: true, force: true }));
