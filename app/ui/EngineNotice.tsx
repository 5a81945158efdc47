// The notice when the engine worker has not answered for a while (app/engine-client/watchdog.ts):
// a long command (DEBUG SLEEP, a Lua loop before SCRIPT KILL) or a worker that stopped. The user
// chooses: keep waiting (asked again after another 10 s), or restart the engine from what was saved.

import { useRuntime } from '../runtime-context';
import { useLab } from '../store/useLab';
import './engine-notice.css';

export function EngineNotice() {
  const runtime = useRuntime();
  const stuck = useLab((s) => s.engineStuck);
  if (stuck === null) return null;
  const seconds = Math.floor(stuck / 1000);
  return (
    <div className="engine-notice" role="alert" data-testid="engine-stuck">
      <span>
        The engine has not answered for {seconds} s: a long command, or it stopped. A restart starts a new engine from
        what was saved.
      </span>
      <button type="button" onClick={() => runtime.engine.keepWaiting()} data-testid="engine-keep-waiting">
        Keep waiting
      </button>
      <button type="button" className="danger" onClick={() => runtime.engine.restart()} data-testid="engine-restart">
        Restart engine
      </button>
    </div>
  );
}
