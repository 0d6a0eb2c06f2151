// Helm's template engine in lint mode (engine.Engine{LintMode: true}), for `bosun lint`: the shared rendering core
// with three differences —
//   - `required` with a missing value logs a warning and yields "" instead of failing;
//   - `fail` logs its message and yields "" instead of failing;
//   - the release is `test-release`, not installed yet: .Release.IsInstall false, .Release.Revision 0.
// Errors are worded as the core words them (Helm 4's parse-error and execution-trace layouts).
import type { Chart } from '../chart/index.js';
import { gofn, goInt, type GoMap, type GoValue } from '../template/value.js';
import { goQuote } from '../chart/metadata.js';
import { chartNode, releaseMap, renderTree, RenderError, type Capabilities } from '../render/index.js';

export { traceExecError } from '../render/index.js';

/** A slog text-handler value: quoted when it needs to be. */
function slogValue(v: string): string {
  return v === '' || /[\s"=\\]|[^\x21-\x7e]/u.test(v) ? goQuote(v) : v;
}

export interface LintRenderOptions {
  readonly namespace: string;
  readonly capabilities: Capabilities;
  /** The coalesced values of every chart of the processed tree. */
  readonly values: Map<Chart, GoMap>;
  /** Receives helm's log lines (`level=WARN msg=...`) for required/fail in lint mode. */
  readonly log?: (line: string) => void;
}

/** A template failure, already worded as helm lint prints it after `[ERROR] templates/: `. */
export class LintRenderError extends Error {}

/**
 * Renders every template of the processed chart tree in lint mode. Returns the rendered text per template key
 * (`chart/templates/x.yaml`, partials excluded, `<no value>` removed); throws LintRenderError.
 */
export function renderForLint(root: Chart, opts: LintRenderOptions): Map<string, string> {
  const release = releaseMap({ name: 'test-release', namespace: opts.namespace, revision: 0 });
  release.IsInstall = false;
  release.Revision = goInt(0);
  const log = opts.log ?? (() => {});
  try {
    return renderTree(chartNode(root, opts.values), {
      release,
      capabilities: opts.capabilities as unknown as GoValue,
      bind: (set) => {
        set.funcs.required = gofn(['string', 'any'], (warn: string, v: GoValue) => {
          // helm logs a nil value and an empty string with slightly different words.
          if (v === null || v === '') {
            log(`level=WARN msg="missing required ${v === null ? 'value' : 'values'}" message=${slogValue(warn)}`);
            return '';
          }
          return v;
        });
        set.funcs.fail = gofn(['string'], (msg: string): GoValue => {
          log(`level=INFO msg="funcMap fail" message=${slogValue(msg)}`);
          return '';
        });
      },
    });
  } catch (e) {
    if (e instanceof RenderError) throw new LintRenderError(e.message, { cause: e });
    throw new LintRenderError(`rendering template failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
