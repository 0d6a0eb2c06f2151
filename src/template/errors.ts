// Errors of the template engine, structured so that callers never re-parse message strings.
//
// Messages read exactly like Go's text/template:
//   parse  `template: NAME:LINE: message`
//   exec   `template: FILE:LINE:COL: executing "NAME" at <CONTEXT>: message`
//          (FILE is the name the node was parsed under, NAME the template being executed; COL counts UTF-8 bytes
//           from the start of the line, starting at 0, as Go's ErrorContext does)
//          `template: NAME: message` when no node is known.
import { quote } from './fmt.js';

/** Base of every error the engine raises on purpose. */
export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(
    message: string,
    /** The name the text was parsed as (the file, for Helm): where `line` counts. */
    readonly templateName: string,
    /** 1-based line (0 when unknown). */
    readonly line: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The text could not be parsed. `detail` is the message without the `template: NAME:LINE: ` prefix. */
export class ParseError extends TemplateError {
  override name = 'ParseError';
  constructor(
    templateName: string,
    line: number,
    readonly detail: string,
  ) {
    super(`template: ${templateName}:${line}: ${detail}`, templateName, line);
  }
}

/** Where an exec error happened: the node's source location and its canonical text. */
export interface ExecErrorLocation {
  /** Name of the parse unit (file) holding the node, e.g. `chart/templates/_helpers.tpl`. */
  readonly parseName: string;
  readonly line: number;
  /** Byte offset within the line, as Go prints it. */
  readonly col: number;
  /** The node as Go prints it (`.Values.x`, `include "a" .`, `{{template "x" .}}`). */
  readonly context: string;
}

/**
 * Executing a template failed. `templateName`, `line` and `col` locate the node in the text it was parsed from (the
 * file, for Helm); `executing` names the template being executed (a define's name, or the file's). `detail` is the
 * bare message (`nil pointer evaluating interface {}.x`, `error calling include: …`); when the failure came from a
 * function, `funcName` names it and `cause` holds what the function threw (possibly a nested ExecError, e.g. from
 * include).
 */
export class ExecError extends TemplateError {
  override name = 'ExecError';
  readonly col: number;
  readonly context: string;
  /** Set when the error is `error calling NAME: …`. */
  readonly funcName: string | undefined;
  constructor(
    readonly executing: string,
    location: ExecErrorLocation | undefined,
    readonly detail: string,
    options?: { cause?: unknown; funcName?: string },
  ) {
    const message = location
      ? `template: ${location.parseName}:${location.line}:${location.col}: executing ${quote(executing)} at <${location.context}>: ${detail}`
      : `template: ${executing}: ${detail}`;
    super(message, location?.parseName ?? executing, location?.line ?? 0, options?.cause === undefined ? undefined : { cause: options.cause });
    this.col = location?.col ?? 0;
    this.context = location?.context ?? '';
    this.funcName = options?.funcName;
  }
}
