// The lesson builder: recorded lines become a step's ```redis block, the server's state becomes a
// ```check that passes now (and failed before the step), and the exported file parses back to the
// same steps, blocks and checks — which pass when the lesson is run from its start.

import { describe, expect, it } from 'vitest';
import { fromUtf8 } from '../../engine/protocol/binary';
import { splitArgs } from '../../engine/protocol/split-args';
import { checkFromState, exportLesson, idOf, newBuilder, newStep, quoteArg, recordLine, updateStep } from './builder';
import { InProcessLab } from './in-process-lab';

async function record(lab: InProcessLab, b: ReturnType<typeof newBuilder>, lines: string[], session = 1) {
  let out = b;
  for (const l of lines) {
    await lab.run(l);
    out = recordLine(out, session, l);
  }
  return out;
}

describe('lesson builder', () => {
  it('quotes words so redis-cli splits them back the same', () => {
    for (const w of ['plain', 'two words', 'say "hi"', 'back\\slash', 'tab\there', '', "it's", 'caf\xc3\xa9'])
      expect(splitArgs(fromUtf8(`SET ${quoteArg(w)} x`))?.[1]).toBe(fromUtf8(w));
    expect(quoteArg('user:1')).toBe('user:1');
  });

  it('records lines into the last step; another terminal starts with :new-session', () => {
    let b = recordLine(newBuilder(), 1, 'SET a 1');
    b = recordLine(b, 1, '  ');
    b = recordLine(b, 2, 'GET a');
    expect(b.steps[0].lines).toEqual(['SET a 1', ':new-session session 2', 'GET a']);
    b = { ...b, steps: [...b.steps, newStep(2)] };
    b = recordLine(b, 2, 'INCR n');
    expect(b.steps[1].lines).toEqual(['INCR n']);
    expect(idOf('Leaderboards: the basics!')).toBe('leaderboards-the-basics');
  });

  it('turns the current state into a check that passes now and failed before', async () => {
    const lab = new InProcessLab();
    await lab.run('SET gone 1');
    const lines = [
      'ZADD board 10 ann 30 ben',
      'SET "my key" "hello world" EX 100',
      'SADD tags a b c d',
      'HSET user:1 name Ada lang en',
      'RPUSH q x y',
      'DEL gone',
      'XADD s 1-0 f v',
      ':advance 1s',
    ];
    const before = new InProcessLab();
    await before.run('SET gone 1');
    for (const l of lines) await lab.run(l);
    const text = await checkFromState(lines, lab);
    expect(text).toContain('> ZRANGE board 0 -1 WITHSCORES\n1) "ann"\n2) "10"\n3) "ben"\n4) "30"');
    expect(text).toContain('> GET "my key"\n"hello world"');
    expect(text).toMatch(/> TTL "my key"\n\(integer\) 39\.\.99/);
    expect(text).toContain('> SCARD tags\n(integer) 4');
    expect(text).toContain('> HGET user:1 lang\n"en"');
    expect(text).toContain('> EXISTS gone\n(integer) 0');
    expect(text).toContain('> XLEN s\n(integer) 1');
    let b = updateStep(newBuilder(), 0, { lines, check: text, prose: 'Some **prose**.' });
    b = { ...b, title: 'State check' };
    const exported = exportLesson(b);
    if (!exported.ok) throw new Error(exported.errors.join('; '));
    const checks = exported.lesson.steps[0].checks;
    expect((await lab.evaluate(checks)).every((r) => r.pass)).toBe(true);
    expect((await before.evaluate(checks)).every((r) => r.pass)).toBe(false);
  });

  it('exports a file that parses back to the same steps, blocks and checks, which pass when run', async () => {
    const lab = new InProcessLab();
    let b = { ...newBuilder(), title: 'Counters: a recorded lesson', id: idOf('Counters: a recorded lesson') };
    b = await record(lab, b, ['SET views 0', 'INCR views', 'INCR views']);
    b = updateStep(b, 0, {
      title: 'Count views',
      prose: 'INCR is atomic.',
      check: await checkFromState(b.steps[0].lines, lab),
    });
    b = { ...b, steps: [...b.steps, newStep(2)] };
    b = await record(lab, b, ['EXPIRE views 60', ':advance 10s']);
    b = updateStep(b, 1, { title: 'Expire them', check: await checkFromState(b.steps[1].lines, lab) });
    const r = exportLesson(b);
    if (!r.ok) throw new Error(r.errors.join('; '));
    expect(r.lesson.id).toBe('counters-a-recorded-lesson');
    expect(r.lesson.title).toBe('Counters: a recorded lesson');
    expect(r.lesson.setup).toEqual([':reset']);
    expect(r.lesson.steps.map((s) => s.title)).toEqual(['Count views', 'Expire them']);
    expect(r.lesson.steps.map((s) => s.solution)).toEqual([
      ['SET views 0', 'INCR views', 'INCR views'],
      ['EXPIRE views 60', ':advance 10s'],
    ]);
    expect(r.lesson.steps[0].parts[0]).toEqual({ kind: 'markdown', text: 'INCR is atomic.' });
    expect(r.lesson.steps[1].checks.map((c) => c.command)).toEqual(['GET views', 'TTL views']);
    // Played from its start on a fresh server, every step's checks pass.
    const fresh = new InProcessLab();
    for (const l of r.lesson.setup) await fresh.run(l);
    for (const s of r.lesson.steps) {
      for (const l of s.solution) await fresh.run(l);
      expect((await fresh.evaluate(s.checks)).every((x) => x.pass)).toBe(true);
    }
  });

  it('refuses prose that would split a step, naming the problem', () => {
    const b = updateStep(newBuilder(), 0, { prose: 'intro\n## not a step', lines: ['PING'] });
    const r = exportLesson(b);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toContain('"## " heading');
  });
});
