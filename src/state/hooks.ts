// helmfile's hooks: commands a state file runs at fixed points of a command, per release (here: per target) or
// globally (prepare and cleanup only). Which command fires which event:
//
//   template, diff         prepare, cleanup
//   apply                  prepare, preapply (every target, changed or not, after its diff), presync and postsync
//                          around each install/upgrade, preuninstall and postuninstall around each uninstall, cleanup
//   sync                   as apply, without preapply
//   destroy                prepare, preuninstall, postuninstall, cleanup
//
// A hook's command and args are Go templates rendered when it fires, with .Environment, .Values (the target's state
// values), .Release, .Cluster, .Namespace, .Event.Name, .Event.Error (postsync after a failed sync) and
// .HelmfileCommand. The command runs in the state file's directory with bosun's environment, without a shell, as
// helmfile runs it. Hooks run commands, so like the exec template function they need --allow-exec: a command that
// would fire one without it fails before doing anything.
import { execFile } from 'node:child_process';
import { newMap, type GoMap } from '../template/value.js';
import { StateError, type FieldPath } from './errors.js';
import { isPlainObject, str, toPlain } from './source.js';
import type { StateRenderer } from './templates.js';

export const HOOK_EVENTS = ['prepare', 'preapply', 'presync', 'preuninstall', 'postuninstall', 'postsync', 'cleanup'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** One place hooks are written: a target's release, or a state file's top level (target undefined). */
export interface HookOwner {
  readonly target?: string;
  /** The hooks as written (plain values). */
  readonly hooks: readonly unknown[];
  /** The state file's directory: commands run there, relative paths in templates start there. */
  readonly dir: string;
  /** The state file (absolute). */
  readonly file: string;
  /** Where a part of hook `i` is written: file as displayed, line, field. */
  readonly where: (sub: FieldPath) => { file: string; line: number; field: string };
  /** What the templates see, without .Event and .HelmfileCommand. */
  readonly data: () => GoMap;
}

/** One hook that ran (or failed to): for the --events stream. `target` is undefined for a global hook. */
export interface HookRun {
  readonly target?: string;
  readonly event: HookEvent;
  readonly hook: string;
  readonly durationMs: number;
  /** The HookError's message when it failed. */
  readonly error?: string;
}

/** A hook that failed: its command exited non-zero, could not start, or its template failed. */
export class HookError extends Error {
  override name = 'HookError';
}

interface Site {
  readonly owner: HookOwner;
  readonly index: number;
  readonly name: string;
  readonly events: readonly string[];
  readonly command: string;
  readonly args: readonly string[];
  readonly showLogs: boolean;
  /** Why the hook cannot run (kubectlApply with both or neither of filename and kustomize). */
  readonly invalid?: string;
}

function siteOf(owner: HookOwner, raw: unknown, index: number): Site {
  const h = (isPlainObject(raw) ? toPlain(raw) : {}) as Record<string, unknown>;
  const events = Array.isArray(h.events) ? h.events.map(str) : [];
  let command = h.command === undefined || h.command === null ? '' : str(h.command);
  let args = Array.isArray(h.args) ? h.args.map(str) : [];
  let invalid: string | undefined;
  const kubectl = isPlainObject(h.kubectlApply) ? h.kubectlApply : undefined;
  if (kubectl) {
    // helmfile turns kubectlApply into `kubectl apply -f FILE` or `kubectl apply -k DIR` (a command given too is ignored).
    command = 'kubectl';
    const { filename, kustomize } = kubectl;
    if (filename !== undefined && kustomize !== undefined) invalid = 'kustomize & filename cannot be used together';
    else if (filename !== undefined) args = ['apply', '-f', str(filename)];
    else if (kustomize !== undefined) args = ['apply', '-k', str(kustomize)];
    else invalid = 'either kustomize or filename must be given';
  }
  const name = h.name !== undefined && h.name !== null && str(h.name) !== '' ? str(h.name) : kubectl ? 'kubectlApply' : command;
  return { owner, index, name, events, command, args, showLogs: h.showlogs === true, invalid };
}

/**
 * The hooks of one resolved state. `trigger` runs those of one owner for one event, in the order they are written;
 * the first failure stops it.
 */
export class Hooks {
  /** .HelmfileCommand: the bosun command being run (template, diff, apply, sync, destroy). */
  command = '';
  /** Where `showlogs` output goes, line by line (default: standard error). */
  log: (line: string) => void = (line) => process.stderr.write(line + '\n');
  /** Told of every hook run, after it ends. */
  onRun: (run: HookRun) => void = () => undefined;

  private readonly globals: Site[];
  private readonly byTarget = new Map<string, Site[]>();

  constructor(
    private readonly renderer: StateRenderer,
    private readonly allowExec: boolean,
    globals: readonly HookOwner[],
    targets: readonly HookOwner[],
  ) {
    this.globals = globals.flatMap((o) => o.hooks.map((h, i) => siteOf(o, h, i)));
    for (const o of targets) this.byTarget.set(o.target!, o.hooks.map((h, i) => siteOf(o, h, i)));
  }

  private sites(target: string | undefined, event: HookEvent): Site[] {
    const all = target === undefined ? this.globals : (this.byTarget.get(target) ?? []);
    return all.filter((s) => s.events.includes(event));
  }

  /**
   * Throws a StateError naming the first hook that `events` would fire for these targets (or globally) when hooks
   * may not run (no --allow-exec), or that cannot run as written. Nothing has run when it throws.
   */
  check(targets: readonly string[], events: readonly HookEvent[]): void {
    const global = events.filter((e) => e === 'prepare' || e === 'cleanup');
    const firing = [...global.flatMap((e) => this.sites(undefined, e)), ...targets.flatMap((t) => events.flatMap((e) => this.sites(t, e)))];
    for (const s of firing) {
      const at = s.owner.where(['hooks', s.index]);
      if (s.invalid) throw new StateError(at.file, at.line, at.field, `hook[${s.name}]: ${s.invalid}`);
      if (!this.allowExec) {
        const fired = events.filter((e) => s.events.includes(e)).join(', ');
        throw new StateError(at.file, at.line, at.field, `hook[${s.name}] runs a command (on ${fired}); hooks run only when commands are allowed (--allow-exec)`);
      }
    }
  }

  /** Whether any hook of the target (or a global one, target undefined) listens to the event. */
  has(target: string | undefined, event: HookEvent): boolean {
    return this.sites(target, event).length > 0;
  }

  /**
   * Runs the hooks of the target (undefined: the global ones) that listen to `event`, one after another. `error`
   * is .Event.Error (postsync after a failed sync). Throws HookError on the first that fails.
   */
  async trigger(target: string | undefined, event: HookEvent, error?: string): Promise<void> {
    for (const s of this.sites(target, event)) {
      const started = Date.now();
      try {
        await this.run(s, event, error);
      } catch (e) {
        this.onRun({ target, event, hook: s.name, durationMs: Date.now() - started, error: e instanceof Error ? e.message : String(e) });
        throw e;
      }
      this.onRun({ target, event, hook: s.name, durationMs: Date.now() - started });
    }
  }

  private async run(s: Site, event: HookEvent, error: string | undefined): Promise<void> {
    const { owner } = s;
    const where = owner.where(['hooks', s.index]);
    const who = owner.target ? `release ${owner.target}: ` : '';
    const fail = (message: string, cause?: unknown) => new HookError(`${where.file}:${where.line}: ${who}hook[${s.name}] (${event}): ${message}`, cause === undefined ? undefined : { cause });
    if (s.invalid) throw fail(s.invalid);
    if (!this.allowExec) throw fail('hooks run only when commands are allowed (--allow-exec)');
    const data = owner.data();
    const ev = newMap();
    ev.Name = event;
    ev.Error = error ?? null;
    data.Event = ev;
    data.HelmfileCommand = this.command;
    const render = (text: string, sub: FieldPath): string => {
      if (!text.includes('{{')) return text;
      const at = owner.where(sub);
      try {
        return this.renderer.render({ text, file: owner.file, dir: owner.dir, lineOffset: at.line - 1, field: at.field, data });
      } catch (e) {
        // The renderer's error has the template's own place: keep it, and say which hook and event.
        if (!(e instanceof StateError)) throw fail((e as Error).message, e);
        const field = e.field ? `${e.field}: ` : '';
        throw new HookError(`${e.file}:${e.line}: ${who}hook[${s.name}] (${event}): ${field}${e.detail}`, { cause: e });
      }
    };
    const command = render(s.command, ['hooks', s.index, 'command']);
    const args = s.args.map((a, i) => render(a, ['hooks', s.index, 'args', i]));
    if (command === '') throw fail('no command');
    const { stdout, stderr, failure } = await runCommand(command, args, owner.dir);
    // helmfile's prefix, after the target's id: many targets' hooks may print at once.
    const prefix = `${owner.target ? `${owner.target}: ` : ''}hook[${event}] logs | `;
    if (s.showLogs && stdout !== '') for (const line of stdout.replace(/\n$/, '').split('\n')) this.log(prefix + line);
    if (failure !== undefined) {
      const detail = stderr.trim();
      throw fail(`command \`${command}\` failed: ${failure}${detail ? `: ${detail}` : ''}`);
    }
  }
}

/** How Go's os/exec names the signals a command is commonly ended by. */
const GO_SIGNAL_NAMES: Record<string, string> = { SIGKILL: 'killed', SIGTERM: 'terminated', SIGINT: 'interrupt', SIGHUP: 'hangup', SIGSEGV: 'segmentation fault', SIGABRT: 'aborted', SIGPIPE: 'broken pipe' };

/** Runs a command without a shell; `failure` says why it did not succeed, in Go's os/exec words. */
function runCommand(command: string, args: readonly string[], cwd: string): Promise<{ stdout: string; stderr: string; failure?: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve({ stdout, stderr });
      const e = err as NodeJS.ErrnoException & { code?: string | number; signal?: string | null };
      let failure: string;
      if (e.code === 'ENOENT') failure = `exec: "${command}": executable file not found in $PATH`;
      else if (e.code === 'EACCES') failure = `fork/exec ${command}: permission denied`;
      else if (typeof e.code === 'number') failure = `exit status ${e.code}`;
      else if (e.signal) failure = `signal: ${GO_SIGNAL_NAMES[e.signal] ?? e.signal}`;
      else failure = e.message;
      resolve({ stdout: String(stdout ?? ''), stderr: String(stderr ?? ''), failure });
    });
  });
}
