// helm's global --kube-* connection flags on the release commands, against the sandbox: they override the
// kubeconfig's context (server, token, CA, TLS checks, impersonation), and with --kube-apiserver no kubeconfig cluster
// is needed. The sandbox reports, per request, the sha256 of the bearer token and the impersonation headers it got.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bosun, sandboxEnv, writeTree, type Env } from '../plan/helpers.js';
import { Cluster } from '../../src/kube/index.js';
import type { RequestInfo } from '../../src/sandbox/server.js';
import { parseYaml } from '../../src/yaml/index.js';

let env: Env;
let dir: string;
let server: string;
const requests: RequestInfo[] = [];
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

before(async () => {
  env = await sandboxEnv({ clusters: ['k1'], controllerDelayMs: 20, onRequest: (i) => requests.push(i) });
  dir = mkdtempSync(join(tmpdir(), 'bosun-kube-flags-'));
  const cfg = parseYaml(readFileSync(env.kubeconfig, 'utf8')) as { clusters: { cluster: { server: string; 'certificate-authority-data': string } }[] };
  server = cfg.clusters[0]!.cluster.server;
  writeFileSync(join(dir, 'ca.pem'), Buffer.from(cfg.clusters[0]!.cluster['certificate-authority-data'], 'base64'));
  writeFileSync(join(dir, 'empty-kubeconfig'), 'apiVersion: v1\nkind: Config\n');
  writeTree(join(dir, 'chart'), {
    'Chart.yaml': 'apiVersion: v2\nname: tiny\nversion: 0.1.0\n',
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  n: {{ .Release.Revision | quote }}\n',
  });
});

after(async () => {
  await Cluster.closeAll();
  await env.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs bosun and returns its result with the sandbox requests it made. */
async function traced(args: string[]) {
  const from = requests.length;
  const r = await bosun(args);
  return { ...r, sent: requests.slice(from).filter((i) => i.cluster === 'k1') };
}

const chart = () => join(dir, 'chart');
const bare = () => ['--kubeconfig', join(dir, 'empty-kubeconfig'), '--kube-apiserver', server];

test('--kube-apiserver with --kube-ca-file and --kube-token needs no kubeconfig cluster; impersonation headers go with every request', async () => {
  const r = await traced(['install', 'kf', chart(), '-n', 'kf', '--create-namespace', ...bare(), '--kube-ca-file', join(dir, 'ca.pem'), '--kube-token', 'token-one', '--kube-as-user', 'alice', '--kube-as-group', 'dev', '--kube-as-group', 'ops']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.sent.length > 0);
  for (const i of r.sent) assert.deepEqual(i.identity, { tokenSha256: sha('token-one'), impersonateUser: 'alice', impersonateGroups: ['dev', 'ops'] }, `${i.method} ${i.path}`);
  const status = await bosun(['status', 'kf', '-n', 'kf', '--kubeconfig', env.kubeconfig]);
  assert.match(status.stdout, /STATUS: deployed/);
});

test("without the server's CA the TLS check fails; --kube-insecure-skip-tls-verify skips it", async () => {
  const refused = await bosun(['upgrade', 'kf', chart(), '-n', 'kf', ...bare(), '--kube-token', 'token-one']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /Kubernetes cluster unreachable: 127\.0\.0\.1:\d+: .*certificate/, 'the server names the cluster when no context does');
  const skipped = await bosun(['upgrade', 'kf', chart(), '-n', 'kf', ...bare(), '--kube-token', 'token-one', '--kube-insecure-skip-tls-verify']);
  assert.equal(skipped.code, 0, skipped.stderr);
  const wrongName = await bosun(['status', 'kf', '-n', 'kf', ...bare(), '--kube-ca-file', join(dir, 'ca.pem'), '--kube-tls-server-name', 'not-the-sandbox.example']);
  assert.equal(wrongName.code, 1, '--kube-tls-server-name is the name the certificate is checked against');
  assert.match(wrongName.stderr, /not-the-sandbox\.example/);
});

test("--kube-token replaces the kubeconfig user's token; a missing --kube-ca-file is an error naming the flag", async () => {
  const r = await traced(['history', 'kf', '-n', 'kf', '--kubeconfig', env.kubeconfig, '--kube-token', 'token-two']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.sent.length > 0 && r.sent.every((i) => i.identity.tokenSha256 === sha('token-two') && i.identity.impersonateUser === undefined));
  const missing = await bosun(['status', 'kf', '-n', 'kf', ...bare(), '--kube-ca-file', join(dir, 'nope.pem')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /--kube-ca-file: .*nope\.pem/);
});
