// The lesson builder's model, as pure functions: an instructor records what they type in the
// terminal as steps (each line becomes a ```redis block line), adds prose, turns the server's current
// state into a ```check, and exports a lesson file (lessons/README.md format) that parses back to
// the same steps, blocks and checks.

import { fromUtf8, toUtf8 } from '../../engine/protocol/binary';
import type { Reply } from '../../engine/protocol/reply';
import { splitArgs } from '../../engine/protocol/split-args';
import { isLabLine } from './lab-commands';
import { type Lesson, parseLesson } from './parse';

export interface BuilderStep {
  readonly title: string;
  readonly prose: string;
  /** The ```redis block: one command (or lab command) a line, as typed. */
  readonly lines: readonly string[];
  /** The ```check block's body ("> COMMAND" lines, each followed by its output). */
  readonly check: string;
}

export interface BuilderLesson {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly steps: readonly BuilderStep[];
  /** The terminal session the last recorded line came from (a new one starts with :new-session). */
  readonly lastSession: number | null;
}

export const newStep = (n: number): BuilderStep => ({ title: `Step ${n}`, prose: '', lines: [], check: '' });

export const newBuilder = (): BuilderLesson => ({
  id: 'my-lesson',
  title: 'My lesson',
  summary: '',
  steps: [newStep(1)],
  lastSession: null,
});

/** A title as a lesson id: lowercase letters, digits and dashes. */
export function idOf(title: string): string {
  const id = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return /^[a-z0-9]/.test(id) ? id : `lesson-${id}`.replace(/-+$/, '');
}

/** A line typed in session `session`: appended to the last step (lines from another terminal follow a :new-session). */
export function recordLine(b: BuilderLesson, session: number, line: string): BuilderLesson {
  const text = line.trim();
  if (text === '') return b;
  const added: string[] = [];
  if (b.lastSession !== null && session !== b.lastSession && !/^:new-session\b/i.test(text))
    added.push(`:new-session session ${session}`);
  added.push(text);
  const steps = [...b.steps];
  const last = steps[steps.length - 1];
  steps[steps.length - 1] = { ...last, lines: [...last.lines, ...added] };
  return { ...b, steps, lastSession: session };
}

export function updateStep(b: BuilderLesson, index: number, patch: Partial<BuilderStep>): BuilderLesson {
  return { ...b, steps: b.steps.map((s, i) => (i === index ? { ...s, ...patch } : s)) };
}

/** A word as redis-cli's splitter reads it back: bare if it can be, else double-quoted with escapes. */
export function quoteArg(word: string): string {
  if (word !== '' && /^[\x21-\x7e]+$/.test(word) && !/["'\\]/.test(word)) return word;
  let out = '"';
  for (const ch of word) {
    const c = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || c > 0xff) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** The server, as the builder reads it: a command's reply, and redis-cli's text for it. */
export interface StateReader {
  query(argv: readonly string[]): Promise<{ reply: Reply | null; text: string }>;
}

const strings = (r: Reply | null): string[] =>
  r?.t === 'array' && r.v !== null ? r.v.flatMap((x) => (x.t === 'bulk' && x.v !== null ? [x.v] : [])) : [];
const intOf = (r: Reply | null): number => (r?.t === 'int' ? Number(r.v) : 0);

/** Most elements a check lists in full (bigger collections are checked by their size). */
const LIST_MAX = 10;
const SAMPLE = 3;

/**
 * A ```check body for the keys the step's commands touch (COMMAND GETKEYS), describing their state
 * now with commands whose output is deterministic (no SMEMBERS order, no raw TTL): what must be
 * true after the step. Keys a step deleted are checked to be gone.
 */
export async function checkFromState(lines: readonly string[], server: StateReader): Promise<string> {
  const keys: string[] = [];
  for (const line of lines) {
    if (isLabLine(line)) continue;
    const argv = splitArgs(fromUtf8(line.trim()));
    if (!argv || argv.length === 0) continue;
    const { reply } = await server.query(['COMMAND', 'GETKEYS', ...argv]);
    for (const k of strings(reply)) if (!keys.includes(k)) keys.push(k);
  }
  const commands: string[][] = [];
  for (const key of keys) {
    const type = (await server.query(['TYPE', key])).reply;
    const t = type?.t === 'status' ? type.v : 'none';
    if (t === 'none') {
      commands.push(['EXISTS', key]);
      continue;
    }
    if (t === 'string') commands.push(['GET', key]);
    else if (t === 'list') {
      const n = intOf((await server.query(['LLEN', key])).reply);
      commands.push(n <= LIST_MAX ? ['LRANGE', key, '0', '-1'] : ['LLEN', key]);
    } else if (t === 'set') {
      commands.push(['SCARD', key]);
      const some = strings((await server.query(['SRANDMEMBER', key, String(SAMPLE)])).reply).sort();
      if (some.length > 0) commands.push(['SMISMEMBER', key, ...some]);
    } else if (t === 'zset') {
      const n = intOf((await server.query(['ZCARD', key])).reply);
      commands.push(n <= LIST_MAX ? ['ZRANGE', key, '0', '-1', 'WITHSCORES'] : ['ZCARD', key]);
    } else if (t === 'hash') {
      commands.push(['HLEN', key]);
      const fields = strings((await server.query(['HKEYS', key])).reply)
        .sort()
        .slice(0, SAMPLE);
      for (const f of fields) commands.push(['HGET', key, f]);
    } else if (t === 'stream') commands.push(['XLEN', key]);
    else commands.push(['TYPE', key]);
    commands.push(['TTL', key]);
  }
  const out: string[] = [];
  for (const argv of commands) {
    let text = (await server.query(argv)).text.trimEnd();
    // A TTL ticks: accept anything from a minute less (or 1) up to what it is now.
    if (argv[0] === 'TTL') {
      const n = Number(/^\(integer\) (-?\d+)$/.exec(text)?.[1] ?? '-1');
      if (n < 0) continue;
      text = `(integer) ${Math.max(1, n - 60)}..${n}`;
    }
    out.push(`> ${argv.map((w) => quoteArg(toUtf8(w))).join(' ')}`, ...text.split('\n'));
  }
  return out.join('\n');
}

/** A front-matter value: quoted when it holds anything YAML-ish. */
const fmValue = (v: string): string => (/^[\w .,!?()-]*$/.test(v) && v.trim() === v ? v : `"${v.replace(/"/g, "'")}"`);

/** The lesson file for the model (lessons/README.md format). */
export function toMarkdown(b: BuilderLesson): string {
  const out = ['---', `id: ${b.id}`, `title: ${fmValue(b.title)}`, 'order: 100'];
  if (b.summary.trim() !== '') out.push(`summary: ${fmValue(b.summary.trim())}`);
  out.push('setup:', '  - :reset', '---', '', `# ${b.title}`, '');
  for (const s of b.steps) {
    out.push(`## ${s.title.trim() || 'Untitled step'}`, '');
    if (s.prose.trim() !== '') out.push(s.prose.trim(), '');
    if (s.lines.length > 0) out.push('```redis', ...s.lines, '```', '');
    if (s.check.trim() !== '') out.push('```check', s.check.trim(), '```', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * Export-time validation: the file must parse, and parse back to what the builder shows (prose
 * with a "## " heading or a fence in it would split a step). The messages name the step.
 */
export function exportLesson(
  b: BuilderLesson,
): { ok: true; text: string; lesson: Lesson } | { ok: false; errors: string[] } {
  const text = toMarkdown(b);
  const parsed = parseLesson(text);
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => `line ${e.line}: ${e.message}`) };
  const errors: string[] = [];
  if (parsed.lesson.steps.length !== b.steps.length)
    errors.push('a step\'s prose contains a "## " heading or a code fence: it would split the step');
  else
    b.steps.forEach((s, i) => {
      const got = parsed.lesson.steps[i];
      if (got.solution.join('\n') !== s.lines.map((l) => l.trim()).join('\n'))
        errors.push(`step ${i + 1}: its commands would not read back as written`);
    });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, text, lesson: parsed.lesson };
}
