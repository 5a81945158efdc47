// The quiz question file format (documented for instructors in lessons/quiz/README.md): a lesson
// file (app/lessons/parse.ts: front matter, "## " steps, ```check / ```solution blocks) where each
// step is one question, plus three fenced blocks of its own: ```question (kind, topics, learn),
// ```choices ("[x]"/"[ ]" options, each followed by indented lines saying why) and ```why, and an
// optional ```setup (commands run, hidden, before the question is shown: a dataset to query).

import { fromUtf8 } from '../../engine/protocol/binary';
import { splitArgs } from '../../engine/protocol/split-args';
import type { CheckItem } from '../lessons/checks';
import { isLabLine, parseLabCommand } from '../lessons/lab-commands';
import { type LessonPart, type ParseError, parseLesson, runnableLines } from '../lessons/parse';

export type QuestionKind = 'choice' | 'scenario' | 'prove';

export interface Choice {
  readonly text: string;
  readonly correct: boolean;
  /** Why this option is right, or why it is worse than the right one (Markdown). */
  readonly why: string;
}

export interface Question {
  /** "<file id>/<slug of the heading>": stable across shuffles, used for progress. */
  readonly id: string;
  readonly title: string;
  readonly kind: QuestionKind;
  readonly topics: readonly string[];
  /** The prompt: Markdown and code parts before/around the quiz blocks. */
  readonly prompt: readonly LessonPart[];
  readonly choices: readonly Choice[];
  /** The explanation shown after answering (Markdown). */
  readonly why: string;
  /** The lesson step that teaches it: "lesson-id#step-slug". */
  readonly learn: string;
  /** "prove" questions: checks read from the engine, and the reference solution. */
  readonly checks: readonly CheckItem[];
  readonly solution: readonly string[];
  /** Lines run (hidden, after emptying the server) before the question is shown: a dataset to query. */
  readonly setup: readonly string[];
}

export interface QuizFile {
  readonly id: string;
  readonly title: string;
  readonly order: number;
  readonly questions: readonly Question[];
}

export type QuizParse =
  | { readonly ok: true; readonly quiz: QuizFile }
  | { readonly ok: false; readonly errors: readonly ParseError[] };

/** A step's heading as a URL-ish slug: "AOF, fsync every second" → "aof-fsync-every-second". */
export function stepSlug(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const KINDS: Record<string, QuestionKind> = {
  choice: 'choice',
  'multiple-choice': 'choice',
  scenario: 'scenario',
  prove: 'prove',
  'prove-it': 'prove',
};

/** "[x] text" / "[ ] text" lines, each followed by indented (or plain) lines: its explanation. */
export function parseChoices(text: string): { choices: Choice[]; errors: string[] } {
  const choices: { text: string; correct: boolean; why: string[] }[] = [];
  const errors: string[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    const opt = /^\s*[-*]?\s*\[( |x|X)\]\s*(.*)$/.exec(raw);
    if (opt) {
      if (opt[2].trim() === '') errors.push('choices: an option has no text');
      choices.push({ text: opt[2].trim(), correct: opt[1] !== ' ', why: [] });
    } else if (choices.length === 0) errors.push(`choices: expected "[x] option" or "[ ] option", got '${raw.trim()}'`);
    else choices[choices.length - 1].why.push(raw.trim());
  }
  return { choices: choices.map((c) => ({ text: c.text, correct: c.correct, why: c.why.join('\n') })), errors };
}

function fields(text: string, line: number, errors: ParseError[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    const kv = /^\s*([a-z][\w-]*)\s*:\s*(.*)$/i.exec(raw);
    if (kv) out.set(kv[1].toLowerCase(), kv[2].trim());
    else errors.push({ line, message: `question block: expected "name: value", got '${raw.trim()}'` });
  }
  return out;
}

/** The line of each "## " heading, to point errors at the question they belong to. */
function headingLines(source: string): number[] {
  const out: number[] = [];
  let fence: string | null = null;
  source.split(/\r\n?|\n/).forEach((l, i) => {
    const f = /^(```+|~~~+)/.exec(l);
    if (f) fence = fence === null ? f[1] : l.startsWith(fence) ? null : fence;
    else if (fence === null && /^##\s/.test(l)) out.push(i + 1);
  });
  return out;
}

export function parseQuiz(source: string): QuizParse {
  const parsed = parseLesson(source);
  if (!parsed.ok) return parsed;
  const { lesson } = parsed;
  const lines = headingLines(source);
  const errors: ParseError[] = [];
  const questions: Question[] = [];
  const seen = new Set<string>();
  lesson.steps.forEach((step, i) => {
    const line = lines[i] ?? 1;
    const where = `question "${step.title}"`;
    const err = (message: string) => errors.push({ line, message: `${where}: ${message}` });
    const code = (lang: string) => step.parts.filter((p) => p.kind === 'code' && p.lang === lang);
    const text = (lang: string) =>
      code(lang)
        .map((p) => (p.kind === 'code' ? p.text : ''))
        .join('\n');
    const meta = fields(text('question'), line, errors);
    const kind = KINDS[meta.get('kind') ?? ''];
    if (code('question').length !== 1) err('needs exactly one ```question block (kind, topics, learn)');
    else if (!kind) err(`kind must be choice, scenario or prove, got '${meta.get('kind') ?? ''}'`);
    const topics = (meta.get('topics') ?? '')
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t !== '');
    if (topics.length === 0) err('topics: name at least one topic');
    const learn = meta.get('learn') ?? '';
    if (!/^[a-z0-9][a-z0-9-]*#[a-z0-9-]+$/.test(learn)) err('learn: expected "lesson-id#step-slug"');
    const why = text('why').trim();
    if (why === '') err('needs a ```why block explaining the answer');
    const { choices, errors: choiceErrors } = parseChoices(text('choices'));
    for (const e of choiceErrors) err(e);
    if (kind === 'prove') {
      if (step.checks.length === 0) err('a prove question needs a ```check block');
      if (!step.exercise) err('a prove question needs a ```solution block');
      if (choices.length > 0) err('a prove question is answered in the terminal: no ```choices block');
    } else if (kind) {
      if (step.checks.length > 0) err(`a ${kind} question has no check block (use kind: prove)`);
      if (choices.length < 2) err('needs a ```choices block with at least two options');
      const right = choices.filter((c) => c.correct).length;
      if (choices.length >= 2 && right !== 1) err(`exactly one option must be marked [x], found ${right}`);
      choices.forEach((c, k) => {
        if (c.why.trim() === '') err(`option ${k + 1} ("${c.text}") has no explanation under it`);
      });
    }
    const setup = runnableLines(text('setup').split('\n'));
    if (code('setup').length > 1) err('at most one ```setup block');
    for (const l of setup) {
      const argv = splitArgs(fromUtf8(l));
      if (argv === null) err(`setup: cannot split '${l}' (unbalanced quotes?)`);
      else if (isLabLine(l)) {
        const p = parseLabCommand(argv);
        if (!p.ok) err(`setup: ${p.error}`);
      }
    }
    const id = `${lesson.id}/${stepSlug(step.title)}`;
    if (seen.has(id)) err('two questions have the same heading');
    seen.add(id);
    questions.push({
      id,
      title: step.title,
      kind: kind ?? 'choice',
      topics,
      prompt: step.parts.filter(
        (p) => !(p.kind === 'code' && ['question', 'choices', 'why', 'setup'].includes(p.lang)),
      ),
      choices,
      why,
      learn,
      checks: step.checks,
      solution: step.solution,
      setup,
    });
  });
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  return { ok: true, quiz: { id: lesson.id, title: lesson.title, order: lesson.order, questions } };
}
