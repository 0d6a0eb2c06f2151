// Structured chart errors. Each names the file it concerns (chart-relative, prefixed with the chart's path inside
// its parent when loading subcharts) and keeps Helm's own wording apart, so a caller can print exactly what
// `helm template` prints (`Error: <helmMessage>`) or the located form (`<file>: <helmMessage>`).

export class ChartError extends Error {
  override readonly name: string = 'ChartError';
  constructor(
    /** The message as helm prints it after `Error: `. */
    readonly helmMessage: string,
    /** The file concerned, relative to the chart being loaded (or a filesystem path for top-level sources). */
    readonly file?: string,
    /** A lower-level detail Helm hides (e.g. why an archive was rejected), kept for diagnostics. */
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(file !== undefined ? `${file}: ${helmMessage}${detail ? ` (${detail})` : ''}` : helmMessage, options);
  }
}

/** Chart.yaml metadata failed validation: helmMessage is `validation: ...` exactly as Helm prints it. */
export class ChartValidationError extends ChartError {
  override readonly name = 'ChartValidationError';
  constructor(
    message: string,
    file = 'Chart.yaml',
    /** The metadata field at fault, when one is (e.g. 'version', 'dependencies[1].alias'). */
    readonly field?: string,
  ) {
    super(`validation: ${message}`, file);
  }
}

/** A chart archive broke one of Helm's safety rules (path escapes, size limits, empty archive ...). */
export class ChartArchiveError extends ChartError {
  override readonly name = 'ChartArchiveError';
}
