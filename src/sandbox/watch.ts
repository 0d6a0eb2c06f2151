// Watches: a chunked stream of newline-terminated JSON events (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR) from a
// resourceVersion, with synthetic initial events, sendInitialEvents + the initial-events-end bookmark, label/field
// selector transitions, bookmarks, timeoutSeconds and 410 Expired for versions no longer in the history.
import type { ServerResponse } from 'node:http';
import { parseRV, present, type ApiCall } from './api.js';
import { ApiError, badRequest } from './errors.js';
import { groupVersion, keyOf } from './resources.js';
import { both, fieldMatcher, labelMatcher } from './selectors.js';
import { toJson, type StoreEvent } from './store.js';
import type { Obj } from './util.js';

export interface WatchOptions {
  /** How often bookmarks are sent to watchers that allow them. */
  bookmarkIntervalMs: number;
  /** Converts an event object for the client (Table rendering); identity when undefined. */
  transform?: (o: Obj) => Obj;
  /** Called when the stream ends. */
  onEnd?: () => void;
}

function invalidWatch(message: string, field: string): ApiError {
  return new ApiError(422, 'Invalid', `ListOptions.meta.k8s.io "" is invalid: ${field}: Forbidden: ${message}`, {
    group: 'meta.k8s.io',
    kind: 'ListOptions',
    causes: [{ reason: 'FieldValueForbidden', message: `Forbidden: ${message}`, field }],
  });
}

/** Validates the request and starts streaming; throws ApiError before anything is written. */
export function serveWatch(call: ApiCall, res: ServerResponse, opts: WatchOptions): void {
  const { cluster, type: t, query: q } = call;
  const store = cluster.store;
  const rk = keyOf(t);
  const ns = t.namespaced ? call.namespace : undefined;
  const match = both(labelMatcher(q.get('labelSelector') ?? undefined), fieldMatcher(q.get('fieldSelector') ?? undefined, t.kind, t.plural));
  const rv = parseRV(q.get('resourceVersion'));
  const rvm = q.get('resourceVersionMatch');
  const sie = q.get('sendInitialEvents');
  const sendInitial = sie === 'true';
  if (sie !== null && sie !== 'true' && sie !== 'false') throw badRequest(`sendInitialEvents: Invalid value: "${sie}"`);
  if (sie !== null && rvm !== 'NotOlderThan') throw invalidWatch('sendInitialEvents requires setting resourceVersionMatch to NotOlderThan', 'sendInitialEvents');
  if (rvm && sie === null) throw invalidWatch('resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided', 'resourceVersionMatch');
  if (rvm && rvm !== 'NotOlderThan') throw invalidWatch(`resourceVersionMatch ${rvm} is not supported for watch`, 'resourceVersionMatch');
  const bookmarks = q.get('allowWatchBookmarks') === 'true' || q.get('allowWatchBookmarks') === '1';
  const timeoutSeconds = q.get('timeoutSeconds') ? Number(q.get('timeoutSeconds')) : 0;
  const gv = groupVersion(t.group, call.version);
  const transform = opts.transform ?? ((o: Obj) => o);

  let replay: StoreEvent[] | undefined;
  let initial: Obj[] | undefined;
  if (sendInitial || rv === undefined || (rv === 0 && sie === null)) {
    initial = store.list(rk, ns).filter((o) => !match || match(o));
  } else {
    replay = store.eventsSince(rv);
  }

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  if (!initial && !replay) {
    const status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `too old resource version: ${rv} (${store.compactedRv + 1})`,
      reason: 'Expired',
      code: 410,
    };
    res.end(JSON.stringify({ type: 'ERROR', object: status }) + '\n');
    opts.onEnd?.();
    return;
  }

  let open = true;
  const send = (type: string, o: Obj): void => {
    if (!open) return;
    const obj = type === 'BOOKMARK' ? o : transform(present(t, call.version, o));
    const body = obj === o && type !== 'BOOKMARK' ? toJson(o) : JSON.stringify(obj);
    res.write(`{"type":"${type}","object":${body}}\n`);
  };
  const bookmark = (extra?: Obj): void => {
    send('BOOKMARK', { kind: t.kind, apiVersion: gv, metadata: { resourceVersion: String(store.rv), ...(extra ?? {}) } });
  };
  const inScope = (ev: StoreEvent): boolean => ev.rk === rk && (!ns || ev.key.startsWith(ns + '/'));
  const deliver = (ev: StoreEvent): void => {
    if (!inScope(ev)) return;
    if (!match) {
      send(ev.type, ev.obj);
      return;
    }
    const now = match(ev.obj);
    const before = ev.prev !== undefined && match(ev.prev);
    if (ev.type === 'ADDED') {
      if (now) send('ADDED', ev.obj);
    } else if (ev.type === 'DELETED') {
      if (before || now) send('DELETED', ev.obj);
    } else if (now && before) send('MODIFIED', ev.obj);
    else if (now) send('ADDED', ev.obj);
    else if (before) send('DELETED', ev.obj);
  };

  const unsubscribe = store.subscribe(deliver);
  if (initial) {
    for (const o of initial) send('ADDED', o);
    if (sendInitial) bookmark({ annotations: { 'k8s.io/initial-events-end': 'true' } });
  } else for (const ev of replay!) deliver(ev);

  const timers: NodeJS.Timeout[] = [];
  const finish = (): void => {
    if (!open) return;
    open = false;
    unsubscribe();
    for (const x of timers) clearTimeout(x);
    opts.onEnd?.();
  };
  if (bookmarks) {
    const iv = setInterval(() => bookmark(), opts.bookmarkIntervalMs);
    iv.unref();
    timers.push(iv);
  }
  if (timeoutSeconds > 0) {
    const to = setTimeout(() => {
      if (bookmarks) bookmark();
      finish();
      res.end();
    }, timeoutSeconds * 1000);
    to.unref();
    timers.push(to);
  }
  res.on('close', finish);
  res.on('error', finish);
}

