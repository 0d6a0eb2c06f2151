// Errors of the cluster layer. An API answer that is not 2xx becomes a KubeApiError carrying the Status fields the
// server sent (reason, message, details); a transport failure that outlived the retries becomes a KubeTransportError.
// Neither ever carries request headers or bodies, so credentials and Secret data cannot leak into messages.

export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly causes: readonly StatusCause[] = [],
  ) {
    super(message);
  }

  get notFound(): boolean {
    return this.status === 404;
  }
  get alreadyExists(): boolean {
    return this.status === 409 && this.reason === 'AlreadyExists';
  }
  get conflict(): boolean {
    return this.status === 409 && this.reason !== 'AlreadyExists';
  }
}

export class KubeTransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** No connection was established (refused, DNS, unreachable, connect timeout, TLS handshake): nothing was sent. */
    readonly connect = false,
    /** The network error alone (without the request line), e.g. "connect ECONNREFUSED 127.0.0.1:6443". */
    readonly reason = message,
  ) {
    super(message);
  }
}

/**
 * The cluster is unreachable: a connection to it could not be made (refused, DNS failure, no route, connect
 * timeout, TLS handshake failure) and the client's retries of that connection ran out. The verdict holds for the
 * life of the client: every later request to the cluster fails at once with this error, without connecting. A live
 * server that answers with an error (5xx, 429, 4xx) never gives this verdict.
 */
export class KubeUnreachableError extends KubeTransportError {
  constructor(
    /** The kubeconfig context (or server) that could not be reached. */
    readonly cluster: string,
    /** Why, e.g. "connect ECONNREFUSED 127.0.0.1:6443". */
    reason: string,
    code: string,
  ) {
    super(`Kubernetes cluster unreachable: ${cluster}: ${reason}`, code, true, reason);
  }
}

/** The cluster could not be reached or the kubeconfig is unusable (helm: "Kubernetes cluster unreachable"). */
export class KubeConfigError extends Error {}

/** A wait ran out of time or a watched object failed. */
export class WaitError extends Error {}

/** Builds the error for a non-2xx answer from its (JSON Status) body. */
export function apiError(status: number, text: string, what: string): KubeApiError {
  let reason = '';
  let message = '';
  let causes: StatusCause[] = [];
  try {
    const s = JSON.parse(text) as { kind?: string; reason?: string; message?: string; details?: { causes?: StatusCause[] } };
    if (s && s.kind === 'Status') {
      reason = s.reason ?? '';
      message = s.message ?? '';
      causes = s.details?.causes ?? [];
    }
  } catch {
    // not JSON: fall through to a generic message
  }
  if (!message) message = `the server responded with status ${status} to ${what}`;
  if (!reason) reason = defaultReason(status);
  return new KubeApiError(status, reason, message, causes);
}

function defaultReason(status: number): string {
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 409:
      return 'Conflict';
    case 410:
      return 'Expired';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    default:
      return status >= 500 ? 'InternalError' : 'Unknown';
  }
}
