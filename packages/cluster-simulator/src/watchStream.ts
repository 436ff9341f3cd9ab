import { IncomingMessage, ServerResponse } from 'node:http';
import type { SimulatedCluster } from './cluster';
import { ResourceType } from './resources';
import type { RouterHost } from './router';
import { methodNotAllowed, statusBody } from './status';
import { KubeObject } from './types';
import { WatchRecord } from './watchHub';

/**
 * One watch response: newline-delimited watch events over a chunked response, like the watch
 * cache serves them. An object that starts or stops matching the selectors is sent as ADDED or
 * DELETED (the latter with its previous state), as the cacher does.
 */
export function startWatch(
  cluster: SimulatedCluster,
  host: RouterHost,
  req: IncomingMessage,
  res: ServerResponse,
  type: ResourceType,
  query: URLSearchParams,
  matches: (o: KubeObject) => boolean,
  view: (o: KubeObject) => KubeObject,
): void {
  if (!type.watchable) throw methodNotAllowed();
  const store = cluster.store;
  const rvParam = query.get('resourceVersion');
  const rv = rvParam && rvParam !== '0' ? Number(rvParam) : undefined;
  let backlog: WatchRecord[] | undefined = [];
  if (rv !== undefined) {
    backlog = Number.isFinite(rv) ? store.hub.since(rv) : undefined;
  }
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  // Clients (fetch, client-go) wait for the headers before they start reading the stream.
  res.flushHeaders();
  const send = (type_: string, object: unknown) =>
    res.write(`${JSON.stringify({ type: type_, object })}\n`);
  const deliver = (r: WatchRecord) => {
    if (r.storageKey !== type.storageKey) return;
    const now = matches(r.object);
    const was = r.type === 'MODIFIED' && r.previous ? matches(r.previous) : now;
    if (now && was) {
      send(r.type, view(r.object));
    } else if (now) {
      send('ADDED', view(r.object));
    } else if (was && r.previous) {
      // Leaving the selector: DELETED with the previous state at the new resourceVersion.
      const newRv = r.object.metadata.resourceVersion;
      send(
        'DELETED',
        view({
          ...r.previous,
          metadata: { ...r.previous.metadata, resourceVersion: newRv },
        }),
      );
    }
  };
  if (backlog === undefined) {
    // As the watch cache does for a compacted version: one ERROR event carrying a 410 Status.
    send(
      'ERROR',
      statusBody(
        410,
        'Expired',
        `too old resource version: ${rvParam} (${store.hub.compactedRv + 1})`,
      ),
    );
    res.end();
    return;
  }
  if (rv === undefined) {
    for (const o of store.listSorted(type.storageKey))
      if (matches(o)) send('ADDED', view(o));
  } else {
    for (const r of backlog) {
      deliver(r);
    }
  }
  // Declared before `end` so the cleanup below never refers to bindings that do not exist yet.
  let unsubscribe: () => void = () => undefined;
  let untrack: () => void = () => undefined;
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    untrack();
    if (timer) clearTimeout(timer);
    res.end();
  };
  unsubscribe = store.hub.subscribe(r => {
    deliver(r);
  });
  untrack = host.trackWatch(end);
  const timeout = Number(query.get('timeoutSeconds') ?? '0');
  if (timeout > 0) {
    timer = setTimeout(end, timeout * 1000);
    timer.unref();
  }
  req.on('close', end);
  res.on('close', end);
}
