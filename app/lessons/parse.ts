// The lesson file format (DESIGN §5, documented for instructors in lessons/README.md): front matter,
// then Markdown whose "## " headings split it into steps. Fenced blocks carry the lab's meaning:
// redis (runnable), check (the step's goal), hint, solution, mermaid. Pure: text in, lesson or
// errors with line numbers out — instructors' files are untrusted and get clear messages.

import { fromUtf8 } from '../../engine/protocol/binary';
import { splitArgs } from '../../engine/protocol/split-args';
import { type CheckItem, parseCheckBlock } from './checks';
import { isLabLine, parseLabCommand } from './lab-commands';
import { isScenarioName, SCENARIO_NAMES, type ScenarioName } from '../scenarios/names';

export type CalloutKind = 'note' | 'tip' | 'warning' | 'important' | 'caution';

export type LessonPart =
  | { readonly kind: 'markdown'; readonly text: string }
  | { readonly kind: 'redis'; readonly lines: readonly string[] }
  | { readonly kind: 'mermaid'; readonly source: string; readonly line?: number }
  | { readonly kind: 'code'; readonly lang: string; readonly text: string }
  /** A live scenario widget (app/scenarios/), named on the ```scenario block's one line. */
  | { readonly kind: 'scenario'; readonly name: ScenarioName }
  | { readonly kind: 'callout'; readonly callout: CalloutKind; readonly text: string };

export interface LessonStep {
  readonly title: string;
  readonly parts: readonly LessonPart[];
  readonly checks: readonly CheckItem[];
  /** Markdown, revealed one by one. */
  readonly hints: readonly string[];
  /** Commands that pass the step: the ```solution block, else every line of its ```redis blocks. */
  readonly solution: readonly string[];
  /** True when the solution came from a ```solution block (an exercise, not a walkthrough). */
  readonly exercise: boolean;
}

export interface Lesson {
  readonly id: string;
  readonly title: string;
  readonly order: number;
  readonly summary: string;
  /** Lines run (hidden) before the lesson starts: Redis commands and lab commands. */
  readonly setup: readonly string[];
  /** Markdown before the first step. */
  readonly intro: readonly LessonPart[];
  readonly steps: readonly LessonStep[];
  /** The ```recap block (Markdown): shown with the last step, with links to the related quiz questions. */
  readonly recap: string;
}

export interface ParseError {
  readonly line: number;
  readonly message: string;
}

export type LessonParse =
  | { readonly ok: true; readonly lesson: Lesson }
  | { readonly ok: false; readonly errors: readonly ParseError[] };

/**
 * Fence languages a lesson file may use besides the lab's own blocks: shown as code. Anything else
 * (a typo like ```chek, a block this lab does not know) is an error in parseLessonFile, so an
 * instructor learns of it instead of seeing their check silently shown as code.
 */
export const CODE_LANGS: ReadonlySet<string> = new Set([
  '',
  'text',
  'txt',
  'plaintext',
  'console',
  'markdown',
  'md',
  'lua',
  'json',
  'sh',
  'bash',
  'shell',
  'js',
  'javascript',
  'ts',
  'typescript',
  'python',
  'py',
  'sql',
  'yaml',
  'diff',
  'conf',
  'ini',
]);

/** The blocks with a meaning in the lab (each handled by parseLesson). */
export const LAB_BLOCKS: readonly string[] = ['redis', 'check', 'hint', 'solution', 'mermaid', 'scenario', 'recap'];

/** Biggest lesson file accepted (instructors' files come from anywhere). */
export const MAX_LESSON_BYTES = 512 * 1024;

interface FrontMatter {
  fields: Map<string, string>;
  lists: Map<string, string[]>;
  bodyStart: number;
}

function parseFrontMatter(lines: readonly string[], errors: ParseError[]): FrontMatter {
  const fields = new Map<string, string>();
  const lists = new Map<string, string[]>();
  if (lines[0]?.trim() !== '---') {
    errors.push({ line: 1, message: 'the file must start with front matter: a "---" line, id/title/order, "---"' });
    return { fields, lists, bodyStart: 0 };
  }
  let listKey: string | null = null;
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '---') return { fields, lists, bodyStart: i + 1 };
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const item = /^\s+-\s+(.*)$/.exec(raw);
    if (item && listKey !== null) {
      lists.get(listKey)?.push(unquote(item[1]));
      continue;
    }
    const kv = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(raw);
    if (!kv) {
      errors.push({ line: i + 1, message: `front matter: expected "name: value", got '${raw.trim()}'` });
      continue;
    }
    const key = kv[1].toLowerCase();
    if (kv[2] === '') {
      listKey = key;
      lists.set(key, []);
    } else {
      listKey = null;
      fields.set(key, unquote(kv[2]));
    }
  }
  errors.push({ line: 1, message: 'front matter: no closing "---" line' });
  return { fields, lists, bodyStart: lines.length };
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && ((t[0] === '"' && t.endsWith('"')) || (t[0] === "'" && t.endsWith("'")))) return t.slice(1, -1);
  return t;
}

/** A runnable line (a ```redis or ```solution line, or a setup entry): an error, or null if fine. */
function lineError(line: string): string | null {
  const argv = splitArgs(fromUtf8(line.trim()));
  if (argv === null) return `cannot split '${line.trim()}' (unbalanced quotes?)`;
  if (isLabLine(line)) {
    const p = parseLabCommand(argv);
    return p.ok ? null : p.error;
  }
  return null;
}

/** The runnable lines of a ```redis block: blank lines and "# comments" are shown, not run. */
export const runnableLines = (lines: readonly string[]): string[] =>
  lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

const CALLOUT = /^>\s*\[!(note|tip|warning|important|caution)\]\s*$/i;

interface StepBuilder {
  title: string;
  line: number;
  parts: LessonPart[];
  checks: CheckItem[];
  hints: string[];
  solution: string[] | null;
  redis: string[];
  markdown: string[];
}

function newStep(title: string, line: number): StepBuilder {
  return { title, line, parts: [], checks: [], hints: [], solution: null, redis: [], markdown: [] };
}

function flushMarkdown(s: StepBuilder): void {
  const text = s.markdown.join('\n').trim();
  if (text !== '') s.parts.push({ kind: 'markdown', text });
  s.markdown = [];
}

/** An instructor's or a shipped lesson file: parseLesson, and every fenced block must be one it knows. */
export function parseLessonFile(source: string): LessonParse {
  return parseLesson(source, { strictBlocks: true });
}

export function parseLesson(source: string, options: { strictBlocks?: boolean } = {}): LessonParse {
  const errors: ParseError[] = [];
  let recap: string | null = null;
  if (source.length > MAX_LESSON_BYTES)
    return { ok: false, errors: [{ line: 1, message: 'the file is larger than 512 KB' }] };
  const lines = source
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const fm = parseFrontMatter(lines, errors);

  const intro = newStep('', 0);
  const steps: StepBuilder[] = [];
  let cur = intro;
  for (let i = fm.bodyStart; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^(```+|~~~+)\s*([\w-]*)\s*$/.exec(line);
    if (fence) {
      const marker = fence[1];
      const lang = fence[2].toLowerCase();
      const start = i + 1;
      let end = start;
      while (end < lines.length && !lines[end].startsWith(marker)) end++;
      if (end >= lines.length) {
        errors.push({ line: i + 1, message: `unclosed ${marker}${lang} block` });
        break;
      }
      const body = lines.slice(start, end);
      i = end;
      if (cur === intro && (lang === 'check' || lang === 'hint' || lang === 'solution')) {
        errors.push({ line: start, message: `a ${lang} block belongs to a step: put it under a "## " heading` });
        continue;
      }
      if (lang === 'redis' || lang === 'solution') {
        body.forEach((l, k) => {
          if (l.trim() === '' || l.trim().startsWith('#')) return;
          const err = lineError(l);
          if (err) errors.push({ line: start + k + 1, message: `${lang}: ${err}` });
        });
      }
      switch (lang) {
        case 'redis':
          flushMarkdown(cur);
          cur.parts.push({ kind: 'redis', lines: body });
          cur.redis.push(...runnableLines(body));
          break;
        case 'solution':
          cur.solution = [...(cur.solution ?? []), ...runnableLines(body)];
          break;
        case 'check': {
          const parsed = parseCheckBlock(body, start + 1);
          if (parsed.ok) cur.checks.push(...parsed.items);
          else errors.push(...parsed.errors);
          break;
        }
        case 'hint':
          cur.hints.push(body.join('\n').trim());
          break;
        case 'mermaid':
          flushMarkdown(cur);
          cur.parts.push({ kind: 'mermaid', source: body.join('\n'), line: start });
          break;
        case 'scenario': {
          const name = body.map((l) => l.trim()).filter((l) => l !== '');
          if (name.length === 1 && isScenarioName(name[0])) {
            flushMarkdown(cur);
            cur.parts.push({ kind: 'scenario', name: name[0] });
          } else
            errors.push({
              line: start,
              message: `scenario: name one widget of ${SCENARIO_NAMES.join(', ')} (got '${name.join(' ')}')`,
            });
          break;
        }
        case 'recap':
          if (recap !== null) errors.push({ line: start, message: 'a lesson has one recap block' });
          recap = body.join('\n').trim();
          break;
        default:
          if (options.strictBlocks && !CODE_LANGS.has(lang)) {
            errors.push({
              line: start,
              message: `unknown block type '${lang}' (the lab knows ${LAB_BLOCKS.join(', ')}; for plain code use text)`,
            });
            break;
          }
          flushMarkdown(cur);
          cur.parts.push({ kind: 'code', lang, text: body.join('\n') });
      }
      continue;
    }
    const heading = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      flushMarkdown(cur);
      cur = newStep(heading[1], i + 1);
      steps.push(cur);
      continue;
    }
    const callout = CALLOUT.exec(line);
    if (callout) {
      flushMarkdown(cur);
      const body: string[] = [];
      while (i + 1 < lines.length && lines[i + 1].startsWith('>')) body.push(lines[++i].replace(/^>\s?/, ''));
      cur.parts.push({
        kind: 'callout',
        callout: callout[1].toLowerCase() as CalloutKind,
        text: body.join('\n').trim(),
      });
      continue;
    }
    // The lesson's "# Title" is shown from the front matter.
    if (cur === intro && /^#\s/.test(line)) continue;
    cur.markdown.push(line);
  }
  flushMarkdown(cur);

  const id = fm.fields.get('id') ?? '';
  const title = fm.fields.get('title') ?? '';
  const orderText = fm.fields.get('order') ?? '';
  if (fm.bodyStart > 0) {
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id))
      errors.push({ line: 1, message: 'front matter: id must be lowercase letters, digits and dashes' });
    if (title === '') errors.push({ line: 1, message: 'front matter: title is missing' });
    if (!/^-?\d+(\.\d+)?$/.test(orderText)) errors.push({ line: 1, message: 'front matter: order must be a number' });
  }
  // LAB: RDB fixtures are not loaded yet; lessons start from setup commands instead.
  if (fm.fields.has('fixture'))
    errors.push({ line: 1, message: 'front matter: fixture is not supported yet (use setup commands)' });
  const setup = [...(fm.lists.get('setup') ?? [])];
  if (fm.fields.has('setup')) setup.push(fm.fields.get('setup') ?? '');
  for (const s of setup) {
    const err = lineError(s);
    if (err) errors.push({ line: 1, message: `setup: ${err}` });
  }
  if (steps.length === 0)
    errors.push({ line: fm.bodyStart + 1, message: 'no steps: start each step with a "## " heading' });
  for (const s of steps) {
    if (s.checks.length > 0 && s.solution === null && s.redis.length === 0) {
      errors.push({ line: s.line, message: `step "${s.title}" has checks but neither a redis nor a solution block` });
    }
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };

  const stepOf = (s: StepBuilder): LessonStep => ({
    title: s.title,
    parts: s.parts,
    checks: s.checks,
    hints: s.hints,
    solution: s.solution ?? s.redis,
    exercise: s.solution !== null,
  });
  return {
    ok: true,
    lesson: {
      id,
      title,
      order: Number(orderText),
      summary: fm.fields.get('summary') ?? '',
      setup,
      intro: intro.parts,
      steps: steps.map(stepOf),
      recap: recap ?? '',
    },
  };
}
