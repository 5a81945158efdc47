// The lab's clock control (toolbar): the engine's current time, pause / resume, and steps of
// +1 s, +10 s and +1 min, so TTLs, everysec fsyncs and BLPOP timeouts can be watched in slow
// motion or skipped. The terminals' commands run on this same clock (the worker's engine clock).

import { useEffect, useState } from 'react';
import { engineTime } from '../engine-client/engine-client';
import { useRuntime } from '../runtime-context';
import { clockText, useEngineClock } from './clock-state';
import './clock.css';

const STEPS: readonly { ms: number; label: string; name: string }[] = [
  { ms: 1_000, label: '+1s', name: 'one second' },
  { ms: 10_000, label: '+10s', name: 'ten seconds' },
  { ms: 60_000, label: '+1m', name: 'one minute' },
];

export function ClockControl() {
  const { client } = useRuntime();
  const clock = useEngineClock();
  const [pageNow, setPageNow] = useState(() => performance.now());
  const running = clock !== null && !clock.paused;
  useEffect(() => {
    if (!running) return;
    const h = setInterval(() => setPageNow(performance.now()), 250);
    return () => clearInterval(h);
  }, [running]);
  const now = clock === null ? null : engineTime(clock, Math.max(pageNow, clock.at));
  const fail = () => {};
  return (
    <fieldset className="group clock" data-testid="clock-control">
      <legend className="visually-hidden">Engine clock</legend>
      <span
        className={clock?.paused ? 'clock-time paused' : 'clock-time'}
        title="The engine's clock: TTLs, fsync schedules and blocking timeouts follow it"
        data-testid="clock-time"
        data-now={now ?? ''}
      >
        <span className="visually-hidden">engine time</span>
        {now === null ? '--:--:--' : clockText(now)}
        {clock?.paused && <span className="clock-state"> paused</span>}
      </span>
      <button
        type="button"
        onClick={() => void client.clockControl(clock?.paused ? 'resume' : 'pause').catch(fail)}
        aria-pressed={clock?.paused ?? false}
        title={clock?.paused ? 'Let engine time flow again' : 'Stop engine time (step it with the + buttons)'}
        data-testid="clock-pause"
      >
        {clock?.paused ? 'Resume' : 'Pause'}
      </button>
      {STEPS.map((s) => (
        <button
          key={s.ms}
          type="button"
          onClick={() => void client.advanceClock(s.ms).catch(fail)}
          aria-label={`${s.label}: advance the engine clock by ${s.name}`}
          title={`Advance the engine clock by ${s.name}`}
          data-testid={`clock-step-${s.ms}`}
        >
          {s.label}
        </button>
      ))}
    </fieldset>
  );
}
