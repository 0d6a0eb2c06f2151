// Shared helpers of the sandbox tests: a started sandbox with a kubeconfig in a temp dir, running the real
// kubectl/helm binaries from .tools against it, raw API calls and polling with a deadline.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('project root not found');
    dir = up;
  }
}

export const ROOT = findRoot();
export const TOOLS = join(ROOT, '.tools');
export const tool = (name: 'kubectl' | 'kubectl-v31' | 'helm4' | 'helm3'): string => join(TOOLS, name);
export const haveTool = (name: 'kubectl' | 'kubectl-v31' | 'helm4' | 'helm3'): boolean => existsSync(tool(name));
export const CHART = join(ROOT, 'test', 'fixtures', 'charts', 'sandbox-app');

export interface Env {
  sb: Sandbox;
  dir: string;
  kubeconfig: string;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function sandboxEnv(opts: Partial<SandboxOptions> & { clusters: string[] }): Promise<Env> {
  const sb = await startSandbox({ port: 0, ...opts });
  const dir = mkdtempSync(join(tmpdir(), 'bosun-sandbox-test-'));
  const kubeconfig = join(dir, 'kubeconfig');
  sb.writeKubeconfig(kubeconfig);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    KUBECONFIG: kubeconfig,
    KUBECACHEDIR: join(dir, 'kube-cache'),
    HELM_CACHE_HOME: join(dir, 'helm-cache'),
    HELM_CONFIG_HOME: join(dir, 'helm-config'),
    HELM_DATA_HOME: join(dir, 'helm-data'),
  };
  return {
    sb,
    dir,
    kubeconfig,
    env,
    async close() {
      await sb.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a binary with the test environment; never throws on a non-zero exit. */
export function run(bin: string, args: string[], env: NodeJS.ProcessEnv, input?: string, timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    p.stdin.end(input ?? '');
  });
}

/** Start a long-running process (kubectl get --watch) and collect its output. */
export function start(bin: string, args: string[], env: NodeJS.ProcessEnv): { output(): string; stop(): Promise<void> } {
  const p = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (out += d));
  const closed = new Promise<void>((r) => p.on('close', () => r()));
  return {
    output: () => out,
    async stop() {
      p.kill('SIGTERM');
      await closed;
    },
  };
}

export async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface ApiAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** One raw API request to a cluster of the sandbox. */
export function api(sb: Sandbox, cluster: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
  const url = new URL(sb.serverUrl(cluster) + path);
  const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      url,
      {
        method,
        ca: sb.caPem,
        headers: {
          Authorization: `Bearer ${sb.token}`,
          Accept: 'application/json',
          ...(data !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(data)) } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

export interface WatchStream {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  events: any[];
  status: Promise<number>;
  ended: Promise<void>;
  close(): void;
}

/** Open a watch and collect its events. */
export function watch(sb: Sandbox, cluster: string, path: string): WatchStream {
  const url = new URL(sb.serverUrl(cluster) + path);
  const mod = url.protocol === 'https:' ? https : http;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const events: any[] = [];
  let setStatus!: (n: number) => void;
  let setEnded!: () => void;
  const status = new Promise<number>((r) => (setStatus = r));
  const ended = new Promise<void>((r) => (setEnded = r));
  const req = mod.request(url, { method: 'GET', ca: sb.caPem, headers: { Authorization: `Bearer ${sb.token}` } }, (res) => {
    setStatus(res.statusCode ?? 0);
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => {
      buf += c;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.trim()) events.push(JSON.parse(line));
      }
      if (res.statusCode !== 200 && buf.trim()) {
        try {
          events.push(JSON.parse(buf));
          buf = '';
        } catch {
          /* partial */
        }
      }
    });
    res.on('end', () => setEnded());
    res.on('close', () => setEnded());
  });
  req.on('error', () => setEnded());
  req.end();
  return { events, status, ended, close: () => req.destroy() };
}
