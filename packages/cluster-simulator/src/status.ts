/** `metav1.Status` failure bodies, shaped as the API server sends them. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string };
  status: 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string };
  code: number;
}

export class ApiError extends Error {
  constructor(readonly status: StatusBody) {
    super(status.message);
  }
}

export function statusBody(
  code: number,
  reason: string,
  message: string,
  details?: StatusBody['details'],
): StatusBody {
  const body: StatusBody = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  // The API server sends `details: {}` for routes it does not know and omits it for 401.
  if (details) body.details = details;
  return body;
}

/**
 * A path no API group serves. The real server answers these from its fallback mux with a plain-text
 * body, not a Status, so clients that only parse JSON bodies must cope with both.
 */
export class PageNotFound extends Error {
  constructor() {
    super('404 page not found');
  }
}

export const unauthorized = () =>
  new ApiError(statusBody(401, 'Unauthorized', 'Unauthorized'));

export const routeNotFound = () =>
  new ApiError(
    statusBody(
      404,
      'NotFound',
      'the server could not find the requested resource',
      {},
    ),
  );

export const badRequest = (message: string) =>
  new ApiError(statusBody(400, 'BadRequest', message));

export const methodNotAllowed = () =>
  new ApiError(
    statusBody(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    ),
  );

/** `services "x" not found`; the group appears in both the message and details for non-core types. */
export function objectNotFound(
  group: string,
  plural: string,
  name: string,
): ApiError {
  const qualified = group ? `${plural}.${group}` : plural;
  const details: StatusBody['details'] = { name, kind: plural };
  if (group) details.group = group;
  return new ApiError(
    statusBody(404, 'NotFound', `${qualified} "${name}" not found`, details),
  );
}
