// A ScenarioPort over the page's engine worker: each connection is a session of its own (numbered
// far above the terminals' and the lesson checker's), so the student sees the widget's commands
// in MONITOR and the event log; time is the page's real time.

import type { Reply } from '../../engine/protocol/reply';
import type { EngineClient } from '../engine-client/engine-client';
import { FIRST_SCENARIO_SESSION } from './names';
import type { Conn, ScenarioPort } from './port';

let nextSession = FIRST_SCENARIO_SESSION;

const DISCONNECTED: Reply = { t: 'error', v: 'ERR (lab) the connection was closed' };

export function browserPort(client: EngineClient): ScenarioPort {
  return {
    timing: {
      now: () => performance.now(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    },
    async open(name) {
      const session = nextSession++;
      let onPush: (r: Reply) => void = () => {};
      let open = true;
      await client.open(
        session,
        {
          push: (m) => {
            if (m.reply) onPush(m.reply);
          },
          closed: () => {
            open = false;
          },
        },
        { name, output: 'reply' },
      );
      const conn: Conn = {
        async call(argv) {
          if (!open) return DISCONNECTED;
          const o = await client.command(session, argv);
          return o.kind === 'reply' ? (o.reply ?? { t: 'array', v: null }) : DISCONNECTED;
        },
        async pipeline(commands) {
          if (!open) return commands.map(() => DISCONNECTED);
          const r = await client.pipeline(session, commands, true);
          return commands.map((_, i) => r.replies?.[i] ?? DISCONNECTED);
        },
        onPush(h) {
          onPush = h;
        },
        async close() {
          if (!open) return;
          open = false;
          await client.close(session);
        },
      };
      await conn.call(['CLIENT', 'SETNAME', name]);
      return conn;
    },
  };
}
