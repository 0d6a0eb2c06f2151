// The linter's bookkeeping, as Helm's pkg/chart/v2/lint/support: each rule reports at most one message (a severity,
// the path it concerns and the text), and the linter remembers the highest severity seen.

export enum Severity {
  Unknown = 0,
  Info = 1,
  Warning = 2,
  Error = 3,
}

const NAMES = ['UNKNOWN', 'INFO', 'WARNING', 'ERROR'] as const;

export interface LintMessage {
  readonly severity: Severity;
  /** Chart-relative path (`Chart.yaml`, `templates/x.yaml`, `templates/`), the chart directory, or ''. */
  readonly path: string;
  readonly message: string;
}

/** `[SEVERITY] path: message`, as helm prints a message. */
export function formatMessage(m: LintMessage): string {
  return `[${NAMES[m.severity]}] ${m.path}: ${m.message}`;
}

export class Linter {
  readonly messages: LintMessage[] = [];
  highestSeverity: Severity = Severity.Unknown;

  constructor(
    /** Absolute chart directory (helm prints it as the path of dependency findings). */
    readonly chartDir: string,
  ) {}

  /**
   * Records `message` (when defined) under `path` and returns whether the rule passed (no message), as helm's
   * RunLinterRule does.
   */
  run(severity: Severity, path: string, message: string | undefined | null): boolean {
    if (message === undefined || message === null) return true;
    this.messages.push({ severity, path, message });
    if (severity > this.highestSeverity) this.highestSeverity = severity;
    return false;
  }
}
