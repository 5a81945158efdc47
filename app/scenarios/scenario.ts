// The shape every scenario widget shares, so one small view renders them all: mode switches
// (choices), one-shot actions, a load generator that calls `tick` at an adjustable rate, and live
// figures. The logic (command sequences, state machines, statistics) lives in each scenario module.

import type { Conn } from './port';

export interface Figure {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  /** Colours the value: good (allowed, hits), bad (refused, lost), or plain. */
  readonly tone?: 'good' | 'bad';
}

export interface Choice {
  readonly id: string;
  readonly label: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly value: string;
}

export interface Action {
  readonly id: string;
  readonly label: string;
  readonly disabled?: boolean;
}

export interface Scenario {
  readonly title: string;
  /** One paragraph: what the widget shows and what to try. */
  readonly description: string;
  /** The load generator's rate, ticks per second, and its bounds. */
  rate: number;
  readonly rateRange: readonly [number, number];
  readonly rateLabel: string;
  /** Create the keys and connections it needs (idempotent). */
  setup(): Promise<void>;
  /** One unit of generated load (a request, a step of every worker...). */
  tick(): Promise<void>;
  choices(): readonly Choice[];
  choose(id: string, value: string): Promise<void>;
  actions(): readonly Action[];
  act(id: string): Promise<void>;
  figures(): readonly Figure[];
  /** The last few commands it sent, newest last, for the widget's own trace. */
  trace(): readonly string[];
  /** Close its connections. */
  dispose(): Promise<void>;
}

/** Keeps the last `size` lines. */
export class Trace {
  private readonly lines: string[] = [];
  constructor(private readonly size = 6) {}
  add(who: string, argv: readonly string[]): void {
    const shown = argv.map((a) =>
      a.length > 24 ? `${a.slice(0, 21)}...` : /[\s"]/.test(a) || a === '' ? JSON.stringify(a) : a,
    );
    this.lines.push(`${who}> ${shown.join(' ')}`);
    if (this.lines.length > this.size) this.lines.shift();
  }
  get(): readonly string[] {
    return this.lines;
  }
}

export const pct = (part: number, whole: number): string =>
  whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`;
export const ms = (total: number, count: number): string => (count === 0 ? '–' : `${(total / count).toFixed(1)} ms`);

/** `conn`, with every command it sends written to `trace` under `who`. */
export function traced(conn: Conn, who: string, trace: Trace): Conn {
  return {
    call: (argv) => {
      trace.add(who, argv);
      return conn.call(argv);
    },
    pipeline: (commands) => {
      for (const argv of commands.slice(-2)) trace.add(who, argv);
      return conn.pipeline(commands);
    },
    onPush: (h) => conn.onPush(h),
    close: () => conn.close(),
  };
}
