// A ScenarioPort over an engine in this process (the scenarios' unit tests): each connection is a
// real engine client; time is a ManualClock that `sleep` moves, so key expiry and blocking
// timeouts see the scenario's time.

import type { Client } from '../../engine/client';
import { ManualClock } from '../../engine/clock';
import type { Engine } from '../../engine/engine';
import { createEngine } from '../../engine/index';
import type { Reply } from '../../engine/protocol/reply';
import type { Conn, ScenarioPort, Timing } from './port';

export class InProcessPort implements ScenarioPort {
  readonly clock = new ManualClock();
  readonly engine: Engine;
  readonly timing: Timing;

  constructor(seed = 1) {
    this.engine = createEngine({ clock: this.clock, seed });
    this.timing = {
      now: () => this.clock.now(),
      sleep: async (ms) => {
        this.clock.advance(ms);
        this.engine.cron();
      },
    };
  }

  async open(name: string): Promise<Conn> {
    let onPush: (r: Reply) => void = () => {};
    let waiting: ((r: Reply) => void) | null = null;
    const client: Client = this.engine.createClient({
      deliver: (r) => {
        if (waiting !== null && r.t !== 'push') {
          const w = waiting;
          waiting = null;
          w(r);
        } else onPush(r);
      },
    });
    const run = (argv: readonly string[]): Promise<Reply> => {
      const reply = this.engine.dispatch(client, [...argv]);
      if (reply !== undefined) return Promise.resolve(reply);
      if (!client.ext.blocked) return Promise.resolve({ t: 'array', v: null });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    };
    await run(['CLIENT', 'SETNAME', name]);
    return {
      call: run,
      pipeline: async (commands) => {
        const out: Reply[] = [];
        for (const argv of commands) out.push(await run(argv));
        return out;
      },
      onPush: (h) => {
        onPush = h;
      },
      close: async () => this.engine.removeClient(client),
    };
  }

  /** A command through a fresh hidden client, as a test's check. */
  query(argv: readonly string[]): Reply {
    const c = this.engine.createClient();
    const r = this.engine.dispatch(c, [...argv]) ?? { t: 'array', v: null };
    this.engine.removeClient(c);
    return r;
  }
}
