// The HTTP(S) server: routes /clusters/<name>/... to a virtual cluster, applies its faults, dispatches discovery,
// OpenAPI and resource requests, and answers every failure with a Status object.
import { createHash } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import {
  createObject,
  deleteCollection,
  deleteObject,
  getObject,
  listJson,
  listObjects,
  patchObject,
  updateObject,
  type ApiCall,
  type ApiResult,
} from './api.js';
import { SERVER_VERSION, type Cluster } from './cluster.js';
import {
  AGGREGATED_V2,
  AGGREGATED_V2BETA1,
  aggregated,
  apiGroup,
  apiGroupList,
  apiVersions,
  hasGroupVersion,
  openapiGroupVersion,
  openapiRoot,
  openapiV2,
  resourceList,
  wantsAggregated,
} from './discovery.js';
import { ApiError, conflict, internalError, pathNotFound } from './errors.js';
import type { Verb } from './resources.js';
import { toTable, wantsTable } from './table.js';
import { sleep, type Obj } from './util.js';
import { serveWatch } from './watch.js';

export interface RequestInfo {
  cluster?: string;
  method: string;
  path: string;
  code: number;
  ms: number;
  /** Who asked: the bearer token's sha256 (hex; never the token) and the impersonation headers, when sent. */
  identity: { tokenSha256?: string; impersonateUser?: string; impersonateGroups?: string[] };
}

function identityOf(req: IncomingMessage): RequestInfo['identity'] {
  const id: RequestInfo['identity'] = {};
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) id.tokenSha256 = createHash('sha256').update(auth.slice(7)).digest('hex');
  const user = req.headers['impersonate-user'];
  if (typeof user === 'string') id.impersonateUser = user;
  const groups = req.headersDistinct['impersonate-group'];
  if (groups) id.impersonateGroups = groups;
  return id;
}

export interface ServerOptions {
  tls?: { key: string; cert: string };
  bookmarkIntervalMs?: number;
  onRequest?: (info: RequestInfo) => void;
}

const MAX_BODY = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export class SandboxServer {
  readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private closing = false;

  constructor(
    readonly clusters: Map<string, Cluster>,
    private readonly opts: ServerOptions,
  ) {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.handle(req, res).catch((e) => {
        if (!res.headersSent) this.sendError(res, e instanceof ApiError ? e : internalError(String((e as Error)?.message ?? e)));
        else res.destroy();
      });
    };
    this.server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
    this.server.keepAliveTimeout = 30_000;
    this.server.headersTimeout = 60_000;
    this.server.requestTimeout = 0;
    this.server.on(opts.tls ? 'secureConnection' : 'connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    // Plain TCP sockets too (TLS handshakes that never finish).
    if (opts.tls)
      this.server.on('connection', (s: Socket) => {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
      });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    const done = new Promise<void>((r) => this.server.close(() => r()));
    for (const s of this.sockets) s.destroy();
    (this.server as http.Server).closeAllConnections?.();
    await done;
  }

  private send(res: ServerResponse, code: number, body: string, headers: Record<string, string> = {}, contentType = 'application/json'): void {
    res.writeHead(code, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(body), ...headers });
    res.end(body);
  }

  private sendJson(res: ServerResponse, code: number, body: Obj, headers: Record<string, string> = {}, contentType?: string): void {
    this.send(res, code, JSON.stringify(body), headers, contentType);
  }

  private sendError(res: ServerResponse, e: ApiError): void {
    this.sendJson(res, e.code, e.status(), e.headers);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    // The path and query as sent (a WHATWG URL parse per request costs more than the rest of the routing).
    const rawUrl = req.url ?? '/';
    const qi = rawUrl.indexOf('?');
    const url = { pathname: qi >= 0 ? rawUrl.slice(0, qi) : rawUrl, searchParams: new URLSearchParams(qi >= 0 ? rawUrl.slice(qi + 1) : '') };
    const method = (req.method ?? 'GET').toUpperCase();
    const m = /^\/clusters\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const clusterName = m ? decodeURIComponent(m[1]!) : undefined;
    const cluster = clusterName ? this.clusters.get(clusterName) : undefined;
    let reported = false;
    const report = (): void => {
      if (reported) return;
      reported = true;
      this.opts.onRequest?.({ cluster: clusterName, method, path: req.url ?? '', code: res.headersSent ? res.statusCode : 0, ms: Date.now() - started, identity: identityOf(req) });
    };
    if (this.opts.onRequest) {
      res.on('finish', report);
      res.on('close', report);
    }
    if (this.closing) {
      req.socket.destroy();
      return;
    }
    if (!cluster) {
      if (url.pathname === '/healthz' || url.pathname === '/livez' || url.pathname === '/readyz') return this.send(res, 200, 'ok', {}, 'text/plain; charset=utf-8');
      return this.sendError(res, new ApiError(404, 'NotFound', clusterName ? `cluster "${clusterName}" is not served by this sandbox` : 'the server could not find the requested resource; cluster URLs look like /clusters/<name>/...', {}));
    }
    // Faults.
    const decision = cluster.faults.decide(method);
    if (decision.kind === 'down') {
      try {
        req.socket.resetAndDestroy();
      } catch {
        req.socket.destroy();
      }
      return;
    }
    if (cluster.faults.latencyMs > 0) await sleep(cluster.faults.latencyMs);
    if (decision.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (decision.kind === 'error') {
      const reason = decision.code === 429 ? 'TooManyRequests' : decision.code === 503 ? 'ServiceUnavailable' : 'InternalError';
      const msg = decision.code === 429 ? 'Too many requests, please try again later.' : decision.code === 503 ? 'the server is currently unable to handle the request' : 'Internal error occurred: injected fault';
      const headers: Record<string, string> = decision.code === 500 ? {} : { 'Retry-After': String(decision.retryAfter) };
      return this.sendError(res, new ApiError(decision.code, reason, msg, decision.code === 500 ? {} : { retryAfterSeconds: decision.retryAfter }, headers));
    }
    if (decision.kind === 'conflict') {
      const parts = (m![2] ?? '').split('/').filter(Boolean);
      return this.sendError(res, conflict({ group: '', plural: parts[parts.length - 2] ?? 'objects' }, decodeURIComponent(parts[parts.length - 1] ?? ''), 'injected conflict (sandbox fault); please apply your changes to the latest version and try again'));
    }
    const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);
    try {
      await this.route(cluster, m![2] ?? '/', url.searchParams, method, req, res, body);
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof ApiError) this.sendError(res, e);
      else this.sendError(res, internalError(String((e as Error)?.stack ?? e)));
    }
  }

  private async route(cluster: Cluster, rawPath: string, query: URLSearchParams, method: string, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
    const accept = req.headers.accept;
    const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
    const getOnly = (): void => {
      if (method !== 'GET' && method !== 'HEAD') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
    };
    const cached = (key: string, make: () => Obj | undefined): string | undefined => {
      let s = cluster.cache.get(key);
      if (s === undefined) {
        const o = make();
        if (o === undefined) return undefined;
        s = JSON.stringify(o);
        cluster.cache.set(key, s);
      }
      return s;
    };
    if (segs.length === 0) {
      getOnly();
      return this.sendJson(res, 200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version'] });
    }
    switch (segs[0]) {
      case 'version':
        getOnly();
        return this.sendJson(res, 200, SERVER_VERSION);
      case 'healthz':
      case 'livez':
      case 'readyz':
        return this.send(res, 200, 'ok', {}, 'text/plain; charset=utf-8');
      case 'openapi':
        getOnly();
        if (segs[1] === 'v2' && segs.length === 2) {
          const v2 = openapiV2(String(accept ?? '').includes('protobuf'));
          res.writeHead(200, { 'Content-Type': v2.contentType, 'Content-Length': v2.body.length });
          res.end(v2.body);
          return;
        }
        if (segs[1] === 'v3') {
          if (segs.length === 2) return this.send(res, 200, cached('openapi/v3', () => openapiRoot(cluster))!);
          const group = segs[2] === 'api' ? '' : segs[3];
          const version = segs[2] === 'api' ? segs[3] : segs[4];
          const expected = segs[2] === 'api' ? 4 : 5;
          if (group !== undefined && version && segs.length === expected && (group === '' ? version === 'v1' : hasGroupVersion(cluster, group, version)))
            return this.send(res, 200, cached(`openapi/v3/${group}/${version}`, () => openapiGroupVersion(cluster, group, version))!, { Etag: `"${cluster.discoveryGeneration}"` });
        }
        throw pathNotFound();
      case 'api':
      case 'apis': {
        const legacy = segs[0] === 'api';
        if (segs.length === 1) {
          getOnly();
          const agg = wantsAggregated(accept);
          if (agg) return this.send(res, 200, cached(`agg/${segs[0]}/${agg}`, () => aggregated(cluster, legacy, agg))!, {}, agg === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1);
          return this.send(res, 200, cached(segs[0], () => (legacy ? apiVersions() : apiGroupList(cluster)))!);
        }
        const group = legacy ? '' : segs[1]!;
        if (!legacy && segs.length === 2) {
          getOnly();
          const doc = cached(`group/${group}`, () => apiGroup(cluster, group));
          if (!doc) throw pathNotFound();
          return this.send(res, 200, doc);
        }
        const version = legacy ? segs[1]! : segs[2]!;
        const rest = segs.slice(legacy ? 2 : 3);
        if (rest.length === 0) {
          getOnly();
          const doc = cached(`rl/${group}/${version}`, () => resourceList(cluster, group, version));
          if (!doc) throw pathNotFound();
          return this.send(res, 200, doc);
        }
        return this.resource(cluster, group, version, rest, query, method, req, res, body);
      }
      default:
        throw pathNotFound();
    }
  }

  private resource(
    cluster: Cluster,
    group: string,
    version: string,
    segsIn: string[],
    query: URLSearchParams,
    method: string,
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
  ): void {
    let segs = segsIn;
    let watchPath = false;
    if (segs[0] === 'watch') {
      watchPath = true;
      segs = segs.slice(1);
    }
    let namespace: string | undefined;
    if (segs[0] === 'namespaces' && segs.length >= 3 && !(group === '' && segs.length === 3 && (segs[2] === 'status' || segs[2] === 'finalize'))) {
      namespace = segs[1];
      segs = segs.slice(2);
    }
    const [plural, name, sub, ...extra] = segs;
    const t = cluster.typeFor(group, version, plural!);
    if (!t || extra.length) throw pathNotFound();
    if (t.namespaced === false && namespace !== undefined) throw pathNotFound();
    if (t.namespaced && namespace === undefined && name !== undefined) throw pathNotFound();
    if (sub !== undefined && !t.subresources.includes(sub)) throw pathNotFound();
    const call: ApiCall = {
      cluster,
      method,
      type: t,
      version,
      namespace,
      name,
      sub,
      query,
      body,
      contentType: String(req.headers['content-type'] ?? ''),
      userAgent: req.headers['user-agent'],
    };
    const need = (v: Verb): void => {
      if (!t.verbs.includes(v) && !sub) throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, {});
    };
    const accept = req.headers.accept;
    const isWatch = watchPath || query.get('watch') === 'true' || query.get('watch') === '1';
    let result: ApiResult;
    switch (method) {
      case 'GET':
      case 'HEAD':
        if (name === undefined) {
          need(isWatch ? 'watch' : 'list');
          if (isWatch) {
            const table = wantsTable(accept);
            const transform = table ? (o: Obj): Obj => toTable(t, [o], { resourceVersion: o.metadata?.resourceVersion }, query.get('includeObject')) : undefined;
            serveWatch(call, res, { bookmarkIntervalMs: this.opts.bookmarkIntervalMs ?? 15_000, transform });
            return;
          }
          const list = listObjects(call);
          if (wantsTable(accept)) {
            const meta: Obj = { resourceVersion: String(list.rv) };
            if (list.continue) meta.continue = list.continue;
            if (list.remaining !== undefined) meta.remainingItemCount = list.remaining;
            return this.sendJson(res, 200, toTable(t, list.items, meta, query.get('includeObject')));
          }
          return this.send(res, 200, listJson(t, version, list));
        }
        if (sub === 'log') {
          getObject({ ...call, sub: undefined });
          return this.send(res, 200, '', {}, 'text/plain');
        }
        if (sub && sub !== 'status' && sub !== 'scale') throw new ApiError(400, 'BadRequest', `${sub} is not supported by the bosun sandbox`);
        need('get');
        result = getObject(call);
        break;
      case 'POST':
        if (name !== undefined && !sub) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
        need('create');
        if (sub && sub !== 'eviction' && sub !== 'token' && sub !== 'binding') throw new ApiError(400, 'BadRequest', `${sub} is not supported by the bosun sandbox`);
        result = createObject(call);
        break;
      case 'PUT':
        if (name === undefined) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
        need('update');
        result = updateObject(call);
        break;
      case 'PATCH':
        if (name === undefined) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
        need('patch');
        result = patchObject(call);
        break;
      case 'DELETE':
        if (name === undefined) {
          need('deletecollection');
          result = deleteCollection(call);
        } else {
          need('delete');
          result = deleteObject(call);
        }
        break;
      default:
        throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
    }
    if (result.text !== undefined) return this.send(res, result.code, result.text, result.headers, 'text/plain');
    if (wantsTable(accept) && result.objects?.length === 1 && result.code < 300 && method === 'GET') {
      return this.sendJson(res, result.code, toTable(t, result.objects, { resourceVersion: result.objects[0]!.metadata?.resourceVersion }, query.get('includeObject')), result.headers);
    }
    if (result.json !== undefined) return this.send(res, result.code, result.json, result.headers);
    return this.send(res, result.code, result.body ? JSON.stringify(result.body) : "{}", result.headers);
  }
}
