// Errors of the state layer: every one names the file, the line and the field it is about, and prints as
// `file:line: field: message` (parts that are unknown are left out).

export type FieldPath = readonly (string | number)[];

/** `releases[2].values[0]` from ['releases', 2, 'values', 0]. */
export function formatField(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export class StateError extends Error {
  override name = 'StateError';
  constructor(
    /** The state or values file (relative to the working directory when it lies below it). */
    readonly file: string,
    /** 1-based line, 0 when unknown. */
    readonly line: number,
    /** The field path, e.g. `releases[2].needs[0]`; empty when the error is about the file as a whole. */
    readonly field: string,
    /** The message without location. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(formatLocation(file, line, field) + detail, options);
  }
}

function formatLocation(file: string, line: number, field: string): string {
  let out = file;
  if (line > 0) out += `:${line}`;
  out += ': ';
  if (field !== '') out += `${field}: `;
  return out;
}
