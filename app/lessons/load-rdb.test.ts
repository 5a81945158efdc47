// ":load-rdb <name>": a snapshot written by real redis-server 7.0 (lessons/fixtures/) copied in as
// the server's dump.rdb, then a kill and a start — the lesson setup / step that restores a backup.

import { describe, expect, it } from 'vitest';
import { InProcessLab } from './in-process-lab';
import { parseLabCommand } from './lab-commands';
import { parseLesson } from './parse';

describe(':load-rdb', () => {
  it('parses a fixture name and refuses paths or missing names', () => {
    expect(parseLabCommand([':load-rdb', 'shop'])).toEqual({ ok: true, command: { kind: 'load-rdb', name: 'shop' } });
    expect(parseLabCommand([':load-rdb', '../etc/passwd']).ok).toBe(false);
    expect(parseLabCommand([':load-rdb']).ok).toBe(false);
  });

  it('loads the snapshot Redis wrote, replacing what the server had', async () => {
    const lab = new InProcessLab();
    await lab.run('SET before 1');
    const out = await lab.run(':load-rdb shop');
    expect(out).toContain('loaded 5 keys from the RDB snapshot');
    expect(await lab.run('DBSIZE')).toBe('(integer) 5\n');
    expect(await lab.run('EXISTS before')).toBe('(integer) 0\n');
    expect(await lab.run('HGET product:2 name')).toBe('"Red teapot"\n');
    expect(await lab.run('ZSCORE bestsellers product:1')).toBe('"120"\n');
    expect(await lab.run('LRANGE orders:pending 0 -1')).toBe('1) "order:1001"\n2) "order:1002"\n');
  });

  it('says when the AOF wins over the snapshot, and names the snapshots there are', async () => {
    const lab = new InProcessLab();
    await lab.run('CONFIG SET appendonly yes');
    await lab.run(':advance 1s');
    await lab.run('SET mine 1');
    await lab.run(':advance 1s');
    expect(await lab.run(':load-rdb shop')).toContain('the AOF is on, so the server loaded the AOF instead');
    expect(await lab.run('EXISTS mine')).toBe('(integer) 1\n');
    expect(await lab.run(':load-rdb nope')).toBe("(lab) no snapshot named 'nope'\n");
  });

  it('works as lesson setup', async () => {
    const parsed = parseLesson(
      '---\nid: x\ntitle: X\norder: 1\nsetup:\n  - :reset\n  - :load-rdb shop\n---\n## S\n```redis\nDEL visits:today\n```\n```check\nDBSIZE\n(integer) 4\n```\n',
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const lab = new InProcessLab();
    for (const line of parsed.lesson.setup) await lab.run(line);
    expect((await lab.evaluate(parsed.lesson.steps[0].checks)).every((r) => r.pass)).toBe(false);
    for (const line of parsed.lesson.steps[0].solution) await lab.run(line);
    expect((await lab.evaluate(parsed.lesson.steps[0].checks)).every((r) => r.pass)).toBe(true);
  });
});
