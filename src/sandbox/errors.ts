// Kubernetes `Status` failure objects and the error type handlers throw to answer with one.
import type { Obj } from './util.js';

export interface Cause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: Cause[];
  retryAfterSeconds?: number;
}

/** An error answered as a `Status` object with `code` as HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  status(): Obj {
    const s: Obj = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure' };
    if (this.message) s.message = this.message;
    if (this.reason) s.reason = this.reason;
    // Go's StatusDetails and StatusCause fields are all omitempty; details itself is present whenever it was set
    // (NewGenericServerResponse always sets it, NewBadRequest never does).
    if (this.details) s.details = goDetails(this.details);
    s.code = this.code;
    return s;
  }
}

function goDetails(d: StatusDetails): Obj {
  const out: Obj = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.uid) out.uid = d.uid;
  if (d.causes?.length)
    out.causes = d.causes.map((c) => {
      const o: Obj = {};
      if (c.reason) o.reason = c.reason;
      if (c.message) o.message = c.message;
      if (c.field) o.field = c.field;
      return o;
    });
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return out;
}

/** What a resource is called in messages: `deployments.apps`, `configmaps`. */
export interface ResourceRef {
  group: string;
  plural: string;
}
export function qualified(r: ResourceRef): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

export const notFound = (r: ResourceRef, name: string): ApiError =>
  new ApiError(404, 'NotFound', `${qualified(r)} "${name}" not found`, { name, group: r.group, kind: r.plural });

export const alreadyExists = (r: ResourceRef, name: string): ApiError =>
  new ApiError(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, { name, group: r.group, kind: r.plural });

export const conflict = (r: ResourceRef, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, { name, group: r.group, kind: r.plural });

export const badRequest = (message: string, details?: StatusDetails): ApiError => new ApiError(400, 'BadRequest', message, details);

export function invalid(kind: string, group: string, name: string, causes: Cause[]): ApiError {
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message ?? ''));
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${kind}${group ? '.' + group : ''} "${name}" is invalid: ${summary}`, { name, group, kind, causes });
}

/** Field error helpers producing Invalid causes with Kubernetes' wording. */
export const fieldRequired = (field: string, detail = ''): Cause => ({ reason: 'FieldValueRequired', message: `Required value${detail ? ': ' + detail : ''}`, field });
export const fieldInvalid = (field: string, value: unknown, detail: string): Cause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
  field,
});
export const fieldImmutable = (field: string, value: unknown): Cause => fieldInvalid(field, value, 'field is immutable');
export const fieldForbidden = (field: string, detail: string): Cause => ({ reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field });
export const fieldNotSupported = (field: string, value: unknown, allowed: string[]): Cause => ({
  reason: 'FieldValueNotSupported',
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
  field,
});

export const gone = (message: string): ApiError => new ApiError(410, 'Expired', message);

/** go-restful's own 415 (a built-in route whose Consumes list does not include the request's Content-Type). */
export const restfulUnsupportedMediaType = (): ApiError => new ApiError(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {});

/** NegotiateInputSerializer's 415 (custom resources, and the patch handler's own check). */
export const unsupportedMediaType = (accepted: string[]): ApiError =>
  new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);

/** errors.NewInvalid for request options (CreateOptions, UpdateOptions, PatchOptions, DeleteOptions in meta.k8s.io). */
export function invalidOptions(kind: string, causes: Cause[]): ApiError {
  return invalid(kind, 'meta.k8s.io', '', causes);
}

export const unsupportedPatch = (strategic: boolean): ApiError =>
  new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json${strategic ? ', application/strategic-merge-patch+json' : ''}, application/apply-patch+yaml`,
  );

export const internalError = (message: string): ApiError => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });

/** The plain 404 the API server gives for paths it does not serve. */
export const pathNotFound = (): ApiError => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

export function successStatus(details: StatusDetails): Obj {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}
