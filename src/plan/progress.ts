// The live view on a terminal: one line per cluster with its releases' states (done, running with elapsed time,
// waiting and on what, failed, skipped), redrawn in place. CI and pipes get plain timestamped lines instead.
import type { FleetEvent } from './fleet.js';

interface Row {
  id: string;
  cluster: string;
  release: string;
  needs: string[];
  state: 'waiting' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';
  startedAt?: number;
  finishedAt?: number;
}

export class LiveView {
  private readonly rows = new Map<string, Row>();
  private lines = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();

  constructor(
    targets: readonly { id: string; cluster: string; release: string; needs: readonly string[] }[],
    private readonly out: { write(s: string): unknown },
    private readonly width = 120,
  ) {
    for (const t of targets) this.rows.set(t.id, { ...t, needs: t.needs.filter((n) => targets.some((x) => x.id === n)), state: 'waiting' });
  }

  start(): void {
    this.timer = setInterval(() => this.draw(), 250);
    this.timer.unref();
    this.draw();
  }

  onEvent(e: FleetEvent): void {
    const r = e.id ? this.rows.get(e.id) : undefined;
    if (!r) return;
    const now = Date.now();
    if (e.type === 'target.start') Object.assign(r, { state: 'running', startedAt: now });
    else if (e.type === 'target.done') Object.assign(r, { state: 'done', finishedAt: now });
    else if (e.type === 'target.failed') Object.assign(r, { state: 'failed', finishedAt: now });
    else if (e.type === 'target.skipped') r.state = 'skipped';
    else if (e.type === 'target.cancelled') r.state = 'cancelled';
    else if (e.type === 'target.unchanged') this.rows.delete(r.id); // its diff found nothing to apply
  }

  /** Writes something else (the plan) in place of the view, which is drawn again below it. */
  aside(write: () => void): void {
    if (this.lines > 0) this.out.write(`\x1b[${this.lines}A\x1b[J`);
    this.lines = 0;
    write();
    this.draw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.draw();
  }

  private cell(r: Row): string {
    const secs = (a?: number, b?: number) => (a === undefined ? '' : ` ${(((b ?? Date.now()) - a) / 1000).toFixed(0)}s`);
    switch (r.state) {
      case 'done':
        return `\x1b[32m✓ ${r.release}\x1b[0m`;
      case 'running':
        return `\x1b[33m▶ ${r.release}${secs(r.startedAt)}\x1b[0m`;
      case 'failed':
        return `\x1b[31m✗ ${r.release}\x1b[0m`;
      case 'skipped':
      case 'cancelled':
        return `\x1b[90m- ${r.release}\x1b[0m`;
      default: {
        const on = r.needs.filter((n) => this.rows.has(n) && this.rows.get(n)!.state !== 'done').map((n) => this.rows.get(n)!.release);
        return `\x1b[90m… ${r.release}${on.length ? ` (on ${on.join(',')})` : ''}\x1b[0m`;
      }
    }
  }

  private draw(): void {
    const byCluster = new Map<string, Row[]>();
    for (const r of this.rows.values()) byCluster.set(r.cluster, [...(byCluster.get(r.cluster) ?? []), r]);
    const pad = Math.max(...[...byCluster.keys()].map((c) => c.length), 7);
    const text: string[] = [];
    const all = [...this.rows.values()];
    const done = all.filter((r) => r.state === 'done').length;
    text.push(`applying ${all.length} targets: ${done} done, ${all.filter((r) => r.state === 'running').length} running, ${all.filter((r) => r.state === 'failed').length} failed — ${((Date.now() - this.started) / 1000).toFixed(0)}s`);
    for (const [c, rows] of byCluster) {
      const order = ['failed', 'running', 'waiting', 'skipped', 'cancelled'];
      const shown = rows.filter((r) => r.state !== 'done').sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state));
      const ok = rows.length - shown.length;
      const cells = [`${ok}/${rows.length} done`, ...shown.map((r) => this.cell(r))].join('  ');
      text.push(`${c.padEnd(pad)}  ${truncateVisible(cells, this.width - pad - 2)}`);
    }
    let s = this.lines > 0 ? `\x1b[${this.lines}A` : '';
    for (const l of text) s += `\x1b[2K${l}\n`;
    this.lines = text.length;
    this.out.write(s);
  }
}

/** Cuts a string with ANSI colours to a visible width. */
function truncateVisible(s: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\x1b') {
      const end = s.indexOf('m', i);
      out += s.slice(i, end + 1);
      i = end;
      continue;
    }
    if (visible >= width - 1) return out + '…\x1b[0m';
    out += s[i];
    visible++;
  }
  return out;
}
