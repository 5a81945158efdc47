// Runs one case on the oracle and on each of our targets, step by step, and reports every reply.

import type { Reply } from '../../engine/protocol/reply';
import type { Case, Step } from './cases';
import { repliesMatch, show } from './compare';
import type { Conn, Target } from './targets';

/** How long a [noreply] command is given to reach the server before the next step. */
const NOREPLY_SETTLE_MS = 50;

export interface StepResult {
  line: number;
  text: string;
  /** Command name as the compatibility table groups it: "SET", "CONFIG GET", ":read". */
  command: string;
  expected: string;
  /** Per target name: the reply, and whether it matched. */
  actual: Record<string, { reply: string; match: boolean }>;
  match: boolean;
}

export interface CaseResult {
  file: string;
  title: string;
  steps: StepResult[];
}

async function flush(target: Target): Promise<void> {
  const c = await target.open();
  await c.call(['FLUSHALL'], false);
  // ACL state outlives FLUSHALL: drop the users a case left behind and the ACL LOG...
  const users = await c.call(['ACL', 'USERS'], false);
  if (users?.t === 'array' && users.v) {
    const extra = users.v.flatMap((u) => (u.t === 'bulk' && u.v !== null && u.v !== 'default' ? [u.v] : []));
    if (extra.length > 0) await c.call(['ACL', 'DELUSER', ...extra], false);
  }
  await c.call(['ACL', 'LOG', 'RESET'], false);
  // ...and the default user back to its initial rules, in case a case changed them.
  const rules = ['on', 'nopass', 'resetkeys', '~*', 'resetchannels', '&*', '+@all', 'clearselectors'];
  await c.call(['ACL', 'SETUSER', 'default', ...rules], false);
  c.close();
}

async function runOn(
  target: Target,
  kase: Case,
  commandName: (argv: string[]) => string,
): Promise<(Reply | undefined)[]> {
  await flush(target);
  const conns = new Map<string, Conn>();
  const conn = async (name: string) => {
    let c = conns.get(name);
    if (!c) {
      c = await target.open();
      conns.set(name, c);
    }
    return c;
  };
  const out: (Reply | undefined)[] = [];
  const vars = new Map<string, string>();
  try {
    for (const step of kase.steps) {
      const r = await runStep(substitute(step, vars), conn);
      if (r !== undefined && step.kind !== 'sleep') {
        for (const m of step.mods) if (m.kind === 'save') vars.set(m.name, savedValue(r));
      }
      out.push(
        r !== undefined && step.kind !== 'sleep' && step.mods.some((m) => m.kind === 'vars') ? named(r, vars) : r,
      );
    }
  } finally {
    for (const c of conns.values()) c.close();
  }
  void commandName;
  return out;
}

/** `$NAME` arguments replaced by the values saved on this target ([save NAME]). */
function substitute(step: Step, vars: ReadonlyMap<string, string>): Step {
  if (step.kind !== 'command' || vars.size === 0) return step;
  const argv = step.argv.map((a) => (a.startsWith('$') && vars.has(a.slice(1)) ? (vars.get(a.slice(1)) as string) : a));
  return { ...step, argv };
}

function savedValue(r: Reply): string {
  if (r.t === 'int') return String(r.v);
  if (r.t === 'bulk' || r.t === 'status') return r.v ?? '';
  return '';
}

/** [vars]: integers and bulk strings equal to a saved value become `$NAME` (a bulk string). */
function named(r: Reply, vars: ReadonlyMap<string, string>): Reply {
  const nameOf = (v: string): string | undefined => {
    for (const [k, val] of vars) if (val === v) return `$${k}`;
    return undefined;
  };
  switch (r.t) {
    case 'int':
    case 'bulk': {
      const n = r.v === null ? undefined : nameOf(String(r.v));
      return n === undefined ? r : { t: 'bulk', v: n };
    }
    case 'array':
      return r.v === null ? r : { t: 'array', v: r.v.map((x) => named(x, vars)) };
    case 'set':
    case 'push':
      return { t: r.t, v: r.v.map((x) => named(x, vars)) };
    case 'map':
      return { t: 'map', v: r.v.map(([k, v]) => [named(k, vars), named(v, vars)] as const) };
    default:
      return r;
  }
}

async function runStep(step: Step, conn: (name: string) => Promise<Conn>): Promise<Reply | undefined> {
  switch (step.kind) {
    case 'sleep':
      await new Promise((r) => setTimeout(r, step.ms));
      return undefined;
    case 'read':
      return (await conn(step.conn)).read(5000);
    case 'command': {
      const noreply = step.mods.some((m) => m.kind === 'noreply');
      const reply = await (await conn(step.conn)).call(step.argv, noreply);
      // A command sent without waiting (typically one that blocks) must reach the server before
      // the next step's command on another connection: the two sockets would otherwise race.
      if (noreply) await new Promise((r) => setTimeout(r, NOREPLY_SETTLE_MS));
      return reply;
    }
  }
}

export async function runCase(
  kase: Case,
  oracle: Target,
  targets: readonly Target[],
  commandName: (argv: string[]) => string,
): Promise<CaseResult> {
  const expected = await runOn(oracle, kase, commandName);
  const actual = new Map<string, (Reply | undefined)[]>();
  for (const t of targets) actual.set(t.name, await runOn(t, kase, commandName));
  const steps: StepResult[] = [];
  const lastOnConn = new Map<string, string>();
  kase.steps.forEach((step, i) => {
    if (step.kind === 'sleep') return;
    if (step.kind === 'command') lastOnConn.set(step.conn, commandName(step.argv));
    if (step.kind === 'command' && step.mods.some((m) => m.kind === 'noreply')) return;
    const e = expected[i] as Reply;
    const result: StepResult = {
      line: step.line,
      text: step.text,
      // A pushed reply counts for the command that subscribed / monitored / blocked on that connection.
      command: step.kind === 'read' ? (lastOnConn.get(step.conn) ?? ':read') : commandName(step.argv),
      expected: show(e),
      actual: {},
      match: true,
    };
    // A read that timed out on the oracle proves nothing: the case is wrong, never a match.
    const oracleTimedOut = e.t === 'error' && e.v === '(timeout)';
    if (oracleTimedOut) result.match = false;
    for (const t of targets) {
      const a = (actual.get(t.name) as (Reply | undefined)[])[i] as Reply;
      const match = !oracleTimedOut && repliesMatch(e, a, step.mods);
      result.actual[t.name] = { reply: show(a), match };
      if (!match) result.match = false;
    }
    steps.push(result);
  });
  return { file: kase.file, title: kase.title, steps };
}
