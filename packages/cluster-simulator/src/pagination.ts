import { ApiError, badRequest, statusBody } from './status';

/**
 * Continue tokens: opaque base64 JSON holding the snapshot resourceVersion and the last key
 * returned, like the etcd3 store's `{"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}`.
 */
interface ContinueKey {
  v: string;
  rv: number;
  start: string;
}

const VERSION = 'meta.k8s.io/v1';

export function encodeContinue(rv: number, lastKey: string): string {
  const key: ContinueKey = { v: VERSION, rv, start: `${lastKey}\u0000` };
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeContinue(token: string): { rv: number; start: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('invalid continue token: continue key is not valid');
  }
  const key = parsed as Partial<ContinueKey> | null;
  if (!key || typeof key !== 'object' || key.v !== VERSION) {
    throw badRequest(
      'invalid continue token: continue key is not valid: server does not recognize this encoded key',
    );
  }
  if (typeof key.rv !== 'number' || key.rv <= 0) {
    throw badRequest(
      'invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
  if (typeof key.start !== 'string' || key.start === '') {
    throw badRequest(
      'invalid continue token: continue key is not valid: encoded start key empty',
    );
  }
  return { rv: key.rv, start: key.start };
}

/** 410 Gone for a token whose snapshot was compacted; carries a fresh token to go on inconsistently. */
export function continueExpired(freshToken: string | undefined): ApiError {
  const body = statusBody(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );
  if (freshToken) body.metadata.continue = freshToken;
  return new ApiError(body);
}

export interface Page<T> {
  items: T[];
  continueToken?: string;
  remaining?: number;
}

/** Pages `sorted` items (keyed by `keyOf`) after `start`, at most `limit` of them. */
export function paginate<T>(
  sorted: T[],
  keyOf: (item: T) => string,
  limit: number | undefined,
  start: string | undefined,
  snapshotRv: number,
): Page<T> {
  const from =
    start === undefined ? 0 : firstIndexAtOrAfter(sorted, keyOf, start);
  if (!limit || limit <= 0 || from + limit >= sorted.length) {
    return { items: sorted.slice(from) };
  }
  const items = sorted.slice(from, from + limit);
  return {
    items,
    continueToken: encodeContinue(snapshotRv, keyOf(items[items.length - 1])),
    remaining: sorted.length - from - limit,
  };
}

function firstIndexAtOrAfter<T>(
  sorted: T[],
  keyOf: (item: T) => string,
  start: string,
): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keyOf(sorted[mid]) < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
