// The lesson tools around the format: strict blocks and the recap (parseLessonFile), progress files
// (export, import, refusals), jumping to any step with the state the earlier steps leave, the
// recaps' quiz links, and the presenter's clock.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseQuiz } from '../quiz/format';
import { diagramReason } from './diagram-check';
import { InProcessLab } from './in-process-lab';
import { type Lesson, parseLesson, parseLessonFile } from './parse';
import { formatClock } from './PresenterBar';
import { emptyProgress, exportProgress, importProgress, withPassed, withReset, withStep } from './progress';
import { jumpLines, startLines } from './replay';

const DIR = join(import.meta.dirname, '../../lessons');
const LESSON_FILES = readdirSync(DIR)
  .filter((f) => /^\d+-.*\.md$/.test(f))
  .sort();
const load = (file: string): Lesson => {
  const r = parseLessonFile(readFileSync(join(DIR, file), 'utf8'));
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.errors)}`);
  return r.lesson;
};

const file = (body: string) => `---\nid: t\ntitle: T\norder: 1\n---\n${body}`;

describe('parseLessonFile', () => {
  it('refuses an unknown block type with its line and the blocks it knows', () => {
    const r = parseLessonFile(file('## S\n\n```chek\nGET a\n"1"\n```\n'));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual([
        {
          line: 8,
          message:
            "unknown block type 'chek' (the lab knows redis, check, hint, solution, mermaid, scenario, recap; for plain code use text)",
        },
      ]);
  });

  it('shows common code languages as code; parseLesson (the quiz format) keeps its own blocks', () => {
    const r = parseLessonFile(file('## S\n```lua\nreturn 1\n```\n```\nplain\n```\n```text\nt\n```\n'));
    expect(r.ok && r.lesson.steps[0].parts.map((p) => (p.kind === 'code' ? p.lang : p.kind))).toEqual([
      'lua',
      '',
      'text',
    ]);
    expect(parseLesson(file('## S\n```choices\n[x] a\n```\n')).ok).toBe(true);
  });

  it('reads the recap; a second recap is an error', () => {
    const r = parseLessonFile(file('## S\nx\n```recap\n- one\n\n[quiz](?quiz=set)\n```\n'));
    expect(r.ok && r.lesson.recap).toBe('- one\n\n[quiz](?quiz=set)');
    const two = parseLessonFile(file('## S\n```recap\na\n```\n```recap\nb\n```\n'));
    expect(two.ok).toBe(false);
    if (!two.ok) expect(two.errors).toEqual([{ line: 10, message: 'a lesson has one recap block' }]);
  });

  it('keeps the line of each diagram, to point at one that does not parse', () => {
    const r = parseLessonFile(file('## S\n\n```mermaid\nflowchart LR\n  A --> B\n```\n'));
    expect(r.ok && r.lesson.steps[0].parts[0]).toEqual({ kind: 'mermaid', source: 'flowchart LR\n  A --> B', line: 8 });
    expect(
      diagramReason(
        new Error("Parse error on line 3:\n...lowchart LR  A -->\n---^\nExpecting 'AMP', 'COLON', got 'EOF'"),
      ),
    ).toBe("it ends too early, near 'LR  A -->'");
    expect(diagramReason(new Error("Parse error on line 1:\nfoo\n^\nExpecting 'X', got 'NODE_STRING'"))).toBe(
      "unexpected NODE_STRING, near 'foo'",
    );
    expect(diagramReason(new Error('No diagram type detected matching given configuration for text: nope'))).toBe(
      'No diagram type detected matching given configuration for text: nope',
    );
  });
});

describe('progress files', () => {
  const p = withPassed(
    withPassed(withStep(withStep(emptyProgress, 'persistence', 3), 'timelines', 2), 'timelines', 0),
    'timelines',
    1,
  );

  it('export then import gives the same progress', () => {
    const text = exportProgress(p, new Date('2026-01-02T03:04:05Z'));
    expect(JSON.parse(text)).toMatchObject({
      format: 'redis-lab-lesson-progress',
      version: 1,
      exported: '2026-01-02T03:04:05.000Z',
    });
    const back = importProgress(text);
    expect(back).toEqual({ ok: true, progress: p, lessons: 2 });
  });

  it("merges into the browser's progress: the file's lessons win, others stay", () => {
    const mine = withPassed(withStep(emptyProgress, 'why-ram', 4), 'why-ram', 4);
    const r = importProgress(exportProgress(p), withStep(mine, 'timelines', 0));
    expect(r.ok && r.progress.lessons).toEqual({ ...p.lessons, 'why-ram': { step: 4, passed: [4] } });
    expect(r.ok && r.progress.current).toBe('timelines');
  });

  it('refuses what is not a progress file, saying why', () => {
    expect(importProgress('nope')).toEqual({ ok: false, error: 'not a progress file: it is not JSON' });
    expect(importProgress('{"lessons":{}}')).toEqual({
      ok: false,
      error: 'not a progress file: "format" is not "redis-lab-lesson-progress"',
    });
    expect(importProgress('{"format":"redis-lab-lesson-progress","version":2,"lessons":{}}')).toMatchObject({
      ok: false,
      error: 'unsupported progress file version: 2',
    });
    expect(
      importProgress('{"format":"redis-lab-lesson-progress","version":1,"lessons":{"a":{"step":-1,"passed":[]}}}'),
    ).toEqual({ ok: false, error: "progress file: lesson 'a' has no valid step and passed steps" });
  });

  it('a reset lesson starts again at step 1 with nothing passed', () => {
    expect(withReset(p, 'timelines').lessons.timelines).toEqual({ step: 0, passed: [] });
    expect(withReset(p, 'timelines').lessons.persistence).toEqual(p.lessons.persistence);
  });
});

describe('jumping to a step', () => {
  it('starts from :reset even when the setup does not', () => {
    const l = load('01-why-ram.md');
    expect(startLines({ ...l, setup: ['SET a 1'] })).toEqual([':reset', 'SET a 1']);
    expect(jumpLines(l, 0)).toEqual(startLines(l));
  });

  for (const f of LESSON_FILES) {
    it(`${f}: from a dirty server, every step's start state makes its checks fail, then its solution pass`, async () => {
      const lesson = load(f);
      for (const [k, step] of lesson.steps.entries()) {
        const lab = new InProcessLab();
        await lab.run('SET leftover:from:another:lesson 1');
        for (const line of jumpLines(lesson, k)) await lab.run(line);
        expect(await lab.run('EXISTS leftover:from:another:lesson'), `${f} step ${k + 1}`).toBe('(integer) 0\n');
        if (step.checks.length === 0) continue;
        const before = await lab.evaluate(step.checks);
        expect(
          before.every((r) => r.pass),
          `${f} step ${k + 1}: passes before its solution`,
        ).toBe(false);
        for (const line of step.solution) await lab.run(line);
        const after = await lab.evaluate(step.checks);
        expect(
          after.filter((r) => !r.pass).map((r) => `${r.item.command} → ${r.actual}`),
          `${f} step ${k + 1}`,
        ).toEqual([]);
      }
    });
  }
});

describe('recaps', () => {
  const topics = new Set(
    readdirSync(join(DIR, 'quiz'))
      .filter((q) => /^\d+-.*\.md$/.test(q))
      .flatMap((q) => {
        const r = parseQuiz(readFileSync(join(DIR, 'quiz', q), 'utf8'));
        if (!r.ok) throw new Error(`${q}: ${JSON.stringify(r.errors)}`);
        return r.quiz.questions.flatMap((x) => x.topics);
      }),
  );

  for (const f of LESSON_FILES) {
    it(`${f} ends with a recap whose quiz links name topics with questions`, () => {
      const text = readFileSync(join(DIR, f), 'utf8');
      const fences = [...text.matchAll(/^```(\w*)/gm)].map((m) => m[1]).filter((l) => l !== '');
      expect(fences.at(-1), `${f}: the last block is the recap`).toBe('recap');
      const recap = load(f).recap;
      const links = [...recap.matchAll(/\]\(\?quiz=([a-z0-9-]+)\)/g)].map((m) => m[1]);
      expect(links.length, `${f}: quiz links`).toBeGreaterThan(0);
      for (const t of links) expect(topics.has(t), `${f}: quiz topic '${t}'`).toBe(true);
      expect(recap.split('\n').filter((l) => l.startsWith('- ')).length, `${f}: recap points`).toBeGreaterThanOrEqual(
        2,
      );
    });
  }
});

describe('presenter clock', () => {
  it('shows minutes and seconds, then hours', () => {
    expect(formatClock(0)).toBe('00:00');
    expect(formatClock(61_999)).toBe('01:01');
    expect(formatClock(3_725_000)).toBe('1:02:05');
  });
});
