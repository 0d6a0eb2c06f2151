// --enable-dns: getHostByName answered from the system's resolver, as helm's Sprig does with Go's net.LookupHost.
//
// The template engine cannot wait for the network, so a render that asks for a name not resolved yet gets "" for it
// and is done again once the names it asked for are resolved (renderInRounds, as for `lookup`). Sprig
// returns one of the host's addresses at random, and a name that does not resolve makes the call fail with Go's
// rand.Intn panic: "invalid argument to Intn".
import { lookup } from 'node:dns/promises';
import { MAX_ROUNDS, renderInRounds } from './rounds.js';

/** The host names one release's renders asked for, resolved; shared by every render of that release. */
export class HostResolver {
  private readonly answers = new Map<string, readonly string[]>();
  private readonly missing = new Set<string>();

  /** getHostByName: one of the name's addresses; "" for a name not resolved yet (render() resolves it and renders again). */
  readonly hostByName = (name: string): string => {
    const addrs = this.answers.get(name);
    if (addrs === undefined) {
      this.missing.add(name);
      return '';
    }
    if (addrs.length === 0) throw new Error('invalid argument to Intn');
    return addrs[Math.floor(Math.random() * addrs.length)]!;
  };

  /** Runs `render` (which passes hostByName to its renders) until it asks for no unresolved name; it may run several times. */
  render<T>(render: (hostByName: (name: string) => string) => T | Promise<T>): Promise<T> {
    return renderInRounds(
      () => {
        this.missing.clear();
        return render(this.hostByName);
      },
      {
        asked: () => this.missing.size > 0,
        answer: async () => {
          await Promise.all([...this.missing].map(async (name) => this.answers.set(name, await addressesOf(name))));
        },
        exhausted: `getHostByName: the templates still asked for new host names after ${MAX_ROUNDS} rounds of lookups`,
      },
    );
  }
}

/** Every address of `name` (an IP literal is its own), or none when it does not resolve. */
async function addressesOf(name: string): Promise<string[]> {
  if (name === '') return [];
  try {
    return (await lookup(name, { all: true })).map((a) => a.address);
  } catch {
    return [];
  }
}
