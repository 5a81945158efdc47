// Test support for multi-client engine tests (CLIENT PAUSE, CLIENT TRACKING): an engine on a manual
// clock, clients that collect what is delivered to them, and a tick that moves the clock and runs cron.

import { createEngine, ManualClock } from '../index';
import type { Reply } from '../protocol/reply';

export function setupClients() {
  const clock = new ManualClock();
  const engine = createEngine({ clock, seed: 1 });
  const client = () => {
    const got: Reply[] = [];
    const c = engine.createClient({ deliver: (r) => got.push(r) });
    const run = (...argv: string[]) => engine.dispatch(c, argv);
    return { c, got, run };
  };
  const tick = (ms: number) => {
    clock.advance(ms);
    engine.cron();
  };
  return { engine, client, tick };
}
