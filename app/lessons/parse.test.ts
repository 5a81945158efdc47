// The lesson format: front matter, steps from "## " headings, the lab's fenced blocks, and clear
// errors with line numbers for the mistakes instructors will make.

import { describe, expect, it } from 'vitest';
import { outputMatches, parseCheckBlock } from './checks';
import { parseDuration, parseLabCommand } from './lab-commands';
import { parseLesson } from './parse';

const LESSON = `---
id: demo
title: "A demo: lesson"
order: 3
setup:
  - :reset
  - SET seed 1
---

# Ignored title

Intro **text**.

## First step

Some prose.

\`\`\`redis
# a comment, shown but not run
SET a 1
:advance 10s
\`\`\`

\`\`\`check
GET a
"1"
\`\`\`

\`\`\`hint
Try **SET**.
\`\`\`

> [!TIP]
> A callout.

## Second step

\`\`\`mermaid
flowchart LR
  A --> B
\`\`\`

\`\`\`check
> LRANGE l 0 -1
1) "x"
2) "y"
> LLEN l
(integer) 2
\`\`\`

\`\`\`solution
RPUSH l x y
\`\`\`
`;

describe('parseLesson', () => {
  it('reads front matter, intro, steps, runnable lines, checks, hints, callouts and diagrams', () => {
    const r = parseLesson(LESSON);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const l = r.lesson;
    expect([l.id, l.title, l.order]).toEqual(['demo', 'A demo: lesson', 3]);
    expect(l.setup).toEqual([':reset', 'SET seed 1']);
    expect(l.intro).toEqual([{ kind: 'markdown', text: 'Intro **text**.' }]);
    expect(l.steps.map((s) => s.title)).toEqual(['First step', 'Second step']);
    const [a, b] = l.steps;
    expect(a.solution).toEqual(['SET a 1', ':advance 10s']);
    expect(a.exercise).toBe(false);
    expect(a.checks).toMatchObject([{ command: 'GET a', argv: ['GET', 'a'], expected: ['"1"'] }]);
    expect(a.hints).toEqual(['Try **SET**.']);
    expect(a.parts.map((p) => p.kind)).toEqual(['markdown', 'redis', 'callout']);
    expect(a.parts[2]).toEqual({ kind: 'callout', callout: 'tip', text: 'A callout.' });
    expect(b.parts).toEqual([{ kind: 'mermaid', source: 'flowchart LR\n  A --> B', line: 38 }]);
    expect(b.exercise).toBe(true);
    expect(b.solution).toEqual(['RPUSH l x y']);
    expect(b.checks.map((c) => c.expected)).toEqual([['1) "x"', '2) "y"'], ['(integer) 2']]);
  });

  it.each([
    ['no front matter', '## Step\ntext', 1, 'must start with front matter'],
    ['a bad id', '---\nid: Bad Id\ntitle: t\norder: 1\n---\n## s\n', 1, 'id must be'],
    ['a missing order', '---\nid: a\ntitle: t\n---\n## s\n', 1, 'order must be a number'],
    ['no steps', '---\nid: a\ntitle: t\norder: 1\n---\nonly prose\n', 6, 'no steps'],
    ['an unclosed fence', '---\nid: a\ntitle: t\norder: 1\n---\n## s\n```redis\nGET a\n', 7, 'unclosed'],
    [
      'an unknown lab command',
      '---\nid: a\ntitle: t\norder: 1\n---\n## s\n```redis\n:warp 5\n```\n',
      8,
      "unknown lab command ':warp'",
    ],
    [
      'a bad duration',
      '---\nid: a\ntitle: t\norder: 1\n---\n## s\n```redis\n:advance soon\n```\n',
      8,
      'not a duration',
    ],
    [
      'a check without output',
      '---\nid: a\ntitle: t\norder: 1\n---\n## s\n```redis\nGET a\n```\n```check\nGET a\n```\n',
      11,
      'no expected output',
    ],
    [
      'mixed check shapes',
      '---\nid: a\ntitle: t\norder: 1\n---\n## s\n```redis\nGET a\n```\n```check\nGET a\n"1"\n> GET b\n"2"\n```\n',
      11,
      'output before any',
    ],
    [
      'a check in the intro',
      '---\nid: a\ntitle: t\norder: 1\n---\n```check\nGET a\n"1"\n```\n## s\n',
      6,
      'belongs to a step',
    ],
    ['unbalanced quotes', '---\nid: a\ntitle: t\norder: 1\n---\n## s\n```redis\nSET a "b\n```\n', 8, 'cannot split'],
    ['a fixture', '---\nid: a\ntitle: t\norder: 1\nfixture: x.rdb\n---\n## s\n', 1, 'fixture is not supported'],
  ])('reports %s with its line', (_name, text, line, message) => {
    const r = parseLesson(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(
      r.errors.some((e) => e.line === line && e.message.includes(message)),
      JSON.stringify(r.errors),
    ).toBe(true);
  });

  it('accepts CRLF files and a byte order mark', () => {
    const r = parseLesson(`\uFEFF${LESSON.replace(/\n/g, '\r\n')}`);
    expect(r.ok && r.lesson.steps.length).toBe(2);
  });
});

describe('check blocks and outputs', () => {
  it('pairs command and output lines when no line starts with "> "', () => {
    const r = parseCheckBlock(['ZCARD t', '(integer) 2', '', 'TYPE t', 'zset'], 10);
    expect(r.ok && r.items.map((i) => [i.command, i.expected, i.line])).toEqual([
      ['ZCARD t', ['(integer) 2'], 10],
      ['TYPE t', ['zset'], 13],
    ]);
  });

  it('compares redis-cli text line by line, with integer ranges', () => {
    expect(outputMatches(['1) "a"', '2) "b"'], '1) "a"\n2) "b"\n')).toBe(true);
    expect(outputMatches(['1) "a"'], '1) "a"\n2) "b"\n')).toBe(false);
    expect(outputMatches(['"1"'], '"2"\n')).toBe(false);
    expect(outputMatches(['(integer) 1..60'], '(integer) 60\n')).toBe(true);
    expect(outputMatches(['(integer) 1..60'], '(integer) 61\n')).toBe(false);
    expect(outputMatches(['(integer) 1..60'], '"30"\n')).toBe(false);
    expect(outputMatches(['(integer) -2..-1'], '(integer) -2\n')).toBe(true);
  });
});

describe('lab commands', () => {
  it.each([
    ['1500', 1500],
    ['1500ms', 1500],
    ['10s', 10_000],
    ['1.5s', 1500],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
  ])('parses the duration %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 's', '10x', '-5s', '1 s', 'soon'])('rejects the duration %j', (text) =>
    expect(parseDuration(text)).toBeNull(),
  );

  it('parses each lab command and explains misuse', () => {
    expect(parseLabCommand([':advance', '10s'])).toEqual({ ok: true, command: { kind: 'advance', ms: 10_000 } });
    expect(parseLabCommand([':ADVANCE', '1m'])).toEqual({ ok: true, command: { kind: 'advance', ms: 60_000 } });
    expect(parseLabCommand([':new-session', 'worker', 'b'])).toEqual({
      ok: true,
      command: { kind: 'new-session', name: 'worker b' },
    });
    expect(parseLabCommand([':crash', 'power'])).toEqual({ ok: true, command: { kind: 'crash', how: 'power' } });
    expect(parseLabCommand([':crash', 'meteor'])).toEqual({ ok: false, error: 'usage: :crash kill|power' });
    expect(parseLabCommand([':sleep', '2m'])).toMatchObject({ ok: false });
    expect(parseLabCommand([':reset', 'now'])).toEqual({ ok: false, error: 'usage: :reset' });
    expect(parseLabCommand([':clock', 'Pause'])).toEqual({ ok: true, command: { kind: 'clock', action: 'pause' } });
    expect(parseLabCommand([':clock', 'resume'])).toEqual({ ok: true, command: { kind: 'clock', action: 'resume' } });
    expect(parseLabCommand([':clock'])).toEqual({ ok: false, error: 'usage: :clock pause|resume' });
    expect(parseLabCommand([':clock', 'stop'])).toEqual({ ok: false, error: 'usage: :clock pause|resume' });
  });
});
