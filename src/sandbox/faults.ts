// Fault injection per cluster, switchable at run time: latency, error answers (500/503/429 with Retry-After),
// injected 409 conflicts on writes, dropped connections, and a cluster that is down.

export interface FaultSettings {
  /** Delay added before every answer, in milliseconds. */
  latencyMs: number;
  /** Probability (0..1) that a request is answered with one of `errorCodes`. */
  errorRate: number;
  /** Status codes injected errors use (picked at random): 500, 503, 429. */
  errorCodes: number[];
  /** Retry-After (seconds) sent with injected 429 and 503 answers. */
  retryAfterSeconds: number;
  /** The next N requests are answered with `errorCodes[0]` (deterministic, counts down). */
  failNext: number;
  /** Probability (0..1) that a write (POST/PUT/PATCH/DELETE) is answered 409 Conflict. */
  conflictRate: number;
  /** Probability (0..1) that the connection is destroyed without an answer. */
  dropRate: number;
  /** Every request is refused: the connection is reset at once. */
  down: boolean;
  /** Restrict error/conflict/drop faults to these HTTP methods (all when empty). */
  methods: string[];
}

export interface FaultCounters {
  errors: number;
  conflicts: number;
  drops: number;
  refused: number;
}

export type FaultDecision =
  | { kind: 'pass' }
  | { kind: 'down' }
  | { kind: 'drop' }
  | { kind: 'error'; code: number; retryAfter: number }
  | { kind: 'conflict' };

export const NO_FAULTS: FaultSettings = {
  latencyMs: 0,
  errorRate: 0,
  errorCodes: [503],
  retryAfterSeconds: 1,
  failNext: 0,
  conflictRate: 0,
  dropRate: 0,
  down: false,
  methods: [],
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class FaultState {
  settings: FaultSettings = { ...NO_FAULTS, errorCodes: [...NO_FAULTS.errorCodes], methods: [] };
  readonly counters: FaultCounters = { errors: 0, conflicts: 0, drops: 0, refused: 0 };
  private active = false;

  set(s: Partial<FaultSettings>): void {
    this.settings = { ...this.settings, ...s };
    const x = this.settings;
    this.active = x.latencyMs > 0 || x.errorRate > 0 || x.failNext > 0 || x.conflictRate > 0 || x.dropRate > 0 || x.down;
  }

  reset(): void {
    this.set({ ...NO_FAULTS, errorCodes: [...NO_FAULTS.errorCodes], methods: [] });
  }

  get latencyMs(): number {
    return this.settings.latencyMs;
  }

  decide(method: string): FaultDecision {
    if (!this.active) return { kind: 'pass' };
    const s = this.settings;
    if (s.down) {
      this.counters.refused++;
      return { kind: 'down' };
    }
    if (s.methods.length && !s.methods.includes(method)) return { kind: 'pass' };
    if (s.failNext > 0) {
      this.set({ failNext: s.failNext - 1 });
      this.counters.errors++;
      return { kind: 'error', code: s.errorCodes[0] ?? 503, retryAfter: s.retryAfterSeconds };
    }
    if (s.dropRate > 0 && Math.random() < s.dropRate) {
      this.counters.drops++;
      return { kind: 'drop' };
    }
    if (s.errorRate > 0 && Math.random() < s.errorRate) {
      this.counters.errors++;
      const codes = s.errorCodes.length ? s.errorCodes : [503];
      return { kind: 'error', code: codes[Math.floor(Math.random() * codes.length)]!, retryAfter: s.retryAfterSeconds };
    }
    if (s.conflictRate > 0 && WRITES.has(method) && Math.random() < s.conflictRate) {
      this.counters.conflicts++;
      return { kind: 'conflict' };
    }
    return { kind: 'pass' };
  }
}
