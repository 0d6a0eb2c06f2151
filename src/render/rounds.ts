// Renders that depend on answers the synchronous template engine cannot wait for (`lookup` against a cluster,
// getHostByName with --enable-dns): a render answers what it does not know yet with a stand-in and notes the
// question; once the render is over the questions are answered and it runs again, until a render asks nothing new.

/** A render that still asks new questions after this many rounds (each depending on the last) is stopped. */
export const MAX_ROUNDS = 16;

export interface Rounds {
  /** Whether the render just run asked something not answered yet (the render resets what it noted each time). */
  readonly asked: () => boolean;
  /** Answers what the last render asked. */
  readonly answer: () => Promise<void>;
  /** The error when the renders still ask after MAX_ROUNDS rounds. */
  readonly exhausted: string;
}

/**
 * Runs `render` until it asks nothing new and returns that render's result. A render that failed while it still had
 * questions may have failed for want of their answers, so it runs again; a failure of the last render is thrown.
 */
export async function renderInRounds<T>(render: () => T | Promise<T>, rounds: Rounds): Promise<T> {
  for (let round = 1; ; round++) {
    let outcome: { value: T } | { error: unknown };
    try {
      outcome = { value: await render() };
    } catch (error) {
      outcome = { error };
    }
    if (!rounds.asked()) {
      if ('error' in outcome) throw outcome.error;
      return outcome.value;
    }
    if (round >= MAX_ROUNDS) throw new Error(rounds.exhausted);
    await rounds.answer();
  }
}
