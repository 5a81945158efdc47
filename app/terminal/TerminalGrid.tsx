// The split view: every open session side by side, each pane its own engine client. This module
// is the lazy chunk that brings xterm; it creates the page's terminal registry and the test hook.

import { type CSSProperties, useEffect, useMemo } from 'react';
import type { LabRuntime } from '../runtime';
import { markTerminalReady } from '../pwa/ready';
import { useRuntime } from '../runtime-context';
import { useLab } from '../store/useLab';
import { installTestHook } from '../test-hook';
import { SessionPane } from './SessionPane';
import { SessionRegistry } from './session-registry';
import { setTerminalBridge } from './terminal-bridge';

const registries = new WeakMap<LabRuntime, SessionRegistry>();

function registryFor(runtime: LabRuntime): SessionRegistry {
  let r = registries.get(runtime);
  if (!r) {
    r = new SessionRegistry(runtime);
    registries.set(runtime, r);
  }
  return r;
}

export default function TerminalGrid() {
  const runtime = useRuntime();
  const registry = useMemo(() => registryFor(runtime), [runtime]);
  const sessions = useLab((s) => s.sessions);
  const active = useLab((s) => s.activeSession);

  // Focus follows the active session (shortcuts, closing a pane, a new session).
  useEffect(() => {
    registry.find(active)?.focus();
  }, [registry, active]);

  // The first terminal is mounted and shows its prompt: the start-up budgets' end (bench/BUDGETS.md).
  useEffect(() => {
    const first = registry.find(runtime.store.getState().activeSession);
    void first?.started.then(() => requestAnimationFrame(markTerminalReady));
  }, [registry, runtime]);

  // The test hook appears once the terminals are mounted (React may commit a while after rendering).
  useEffect(() => installTestHook(runtime, registry), [runtime, registry]);

  // The lesson panel types into the active session through this bridge.
  useEffect(() => {
    setTerminalBridge(runtime, {
      async typeLines(lines, opts) {
        const delay = opts?.charDelayMs ?? 0;
        for (const line of lines) {
          // The active session may change on the way (":new-session" opens and focuses another).
          const h = registry.get(runtime.store.getState().activeSession);
          await h.started;
          await h.session.idle();
          if (delay > 0) {
            // Typed where the class can read along: a character at a time.
            for (const ch of line) {
              h.type(ch);
              await new Promise((r) => setTimeout(r, delay));
            }
            h.type('\r');
          } else h.type(`${line}\r`);
          await new Promise((r) => setTimeout(r, 0));
          await h.session.idle();
        }
        registry.find(runtime.store.getState().activeSession)?.focus();
      },
    });
  }, [runtime, registry]);

  const columns = sessions.length <= 3 ? sessions.length : Math.ceil(sessions.length / 2);
  return (
    <div className="grid" style={{ '--columns': columns } as CSSProperties}>
      {sessions.map((s, i) => (
        <SessionPane key={s.id} session={s} index={i} active={s.id === active} registry={registry} />
      ))}
    </div>
  );
}
