// The view of every scenario widget (loaded lazily, with its logic, when a lesson step embeds one):
// Start/Stop, the generator's rate, mode switches and actions as native controls (keyboard usable),
// the live figures and the last commands sent. The logic lives in the scenario modules.

import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useRuntime } from '../runtime-context';
import { browserPort } from './browser-port';
import type { ScenarioName } from './names';
import { createScenario } from './registry';
import type { Scenario } from './scenario';
import './scenarios.css';

export default function ScenarioWidget({ name }: { name: ScenarioName }) {
  const runtime = useRuntime();
  const [scenario, setScenario] = useState<Scenario | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [, setFrame] = useState(0);
  const runningRef = useRef(false);
  /** Which Start the running loop belongs to: a quick Stop + Start must not leave two loops. */
  const generation = useRef(0);
  /** Ticks, choices and actions run one at a time, as one client's requests would. */
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const id = useId();

  const refresh = useCallback(() => setFrame((f) => f + 1), []);

  const serial = useCallback(
    (f: () => Promise<void>) => {
      const next = chain.current.then(f).then(refresh, (e: unknown) => {
        runningRef.current = false;
        setRunning(false);
        setError(e instanceof Error ? e.message : String(e));
      });
      chain.current = next;
      return next;
    },
    [refresh],
  );

  useEffect(() => {
    let disposed = false;
    let made: Scenario | null = null;
    void createScenario(name, browserPort(runtime.client)).then(async (s) => {
      made = s;
      if (disposed) return;
      await s.setup();
      if (disposed) await s.dispose();
      else setScenario(s);
    });
    return () => {
      disposed = true;
      runningRef.current = false;
      const s = made;
      if (s) void chain.current.then(() => s.dispose());
    };
  }, [name, runtime]);

  const loop = useCallback(async () => {
    const s = scenario;
    const gen = ++generation.current;
    while (s && runningRef.current && gen === generation.current) {
      const t0 = performance.now();
      await serial(() => s.tick());
      const wait = Math.max(0, 1000 / s.rate - (performance.now() - t0));
      await new Promise((r) => setTimeout(r, wait));
    }
  }, [scenario, serial]);

  const toggle = () => {
    const on = !runningRef.current;
    runningRef.current = on;
    setError(null);
    if (on) {
      setRunning(true);
      void loop();
      return;
    }
    // A tick already sent still gets its replies and counts them: the widget shows "stopped" once it
    // has, so the figures hold still from then on (unless Start was pressed again meanwhile).
    void chain.current.then(() => {
      if (!runningRef.current) setRunning(false);
    });
  };

  if (!scenario)
    return (
      <div className="scenario" data-testid="scenario" data-scenario={name}>
        Loading the {name} scenario…
      </div>
    );
  const s = scenario;
  const actions = s.actions();
  return (
    <section className="scenario" data-testid="scenario" data-scenario={name} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{s.title}</h3>
      <p className="scenario-about">{s.description}</p>
      <div className="scenario-controls">
        <button
          type="button"
          className={running ? 'scenario-start running' : 'scenario-start'}
          onClick={toggle}
          aria-pressed={running}
          data-testid="scenario-start"
        >
          {running ? '■ Stop' : '▶ Start'}
        </button>
        <label className="scenario-rate">
          <span>
            {s.rateLabel}: <output>{s.rate}</output>
          </span>
          <input
            type="range"
            min={s.rateRange[0]}
            max={s.rateRange[1]}
            value={s.rate}
            onChange={(e) => {
              s.rate = Number(e.target.value);
              refresh();
            }}
          />
        </label>
        {s.choices().map((c) => (
          <label key={c.id} className="scenario-choice">
            <span>{c.label}</span>
            <select
              value={c.value}
              data-testid={`scenario-choice-${c.id}`}
              onChange={(e) => {
                const v = e.target.value;
                void serial(() => s.choose(c.id, v));
              }}
            >
              {c.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
        ))}
        {actions.map((a) => (
          <button
            key={a.id}
            type="button"
            disabled={a.disabled}
            data-testid={`scenario-action-${a.id}`}
            onClick={() => void serial(() => s.act(a.id))}
          >
            {a.label}
          </button>
        ))}
      </div>
      <dl className="scenario-figures">
        {s.figures().map((f) => (
          <div key={f.id} className={f.tone ? `figure ${f.tone}` : 'figure'} data-figure={f.id}>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>
      <p className="scenario-trace-title">Last commands sent</p>
      <pre className="scenario-trace">{s.trace().join('\n') || '(no commands yet: press Start)'}</pre>
      {error && (
        <p className="scenario-error" role="alert">
          Stopped: {error}
        </p>
      )}
    </section>
  );
}
