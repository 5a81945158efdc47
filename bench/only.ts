// `BENCH_ONLY=<letters> npm run bench` (e.g. BENCH_ONLY=e): run only those sections of bench/run.ts and
// update only their parts of an existing bench/RESULTS.md — their "## (x)" sections and their rows of
// the Summary table — leaving every other figure as the last full run wrote it.

/** The sections to run ('' = all). */
export const BENCH_ONLY = (process.env.BENCH_ONLY ?? '').toLowerCase().replace(/[^a-z]/g, '');

export const runs = (section: string): boolean => BENCH_ONLY === '' || BENCH_ONLY.includes(section);

/** "## heading" blocks of a markdown file, keyed by heading line (the preamble under ''). */
function blocks(md: string): { head: string; text: string }[] {
  const out: { head: string; text: string }[] = [];
  for (const part of md.split(/^(?=## )/m)) {
    const head = part.startsWith('## ') ? part.slice(0, part.indexOf('\n')) : '';
    out.push({ head, text: part });
  }
  return out;
}

const tableRows = (text: string): string[] => text.split('\n').filter((l) => /^\| (?!Check \|)[^-]/.test(l));

/** The existing RESULTS.md with the sections in BENCH_ONLY and their summary rows taken from `fresh`. */
export function spliceResults(existing: string, fresh: string): string {
  const old = blocks(existing);
  const now = blocks(fresh);
  const letter = (head: string) => /^## \(([a-z])\)/.exec(head)?.[1] ?? null;
  for (const b of now) {
    const l = letter(b.head);
    if (l === null || !runs(l)) continue;
    const at = old.findIndex((o) => letter(o.head) === l);
    if (at >= 0) old[at] = b;
    else {
      // A new section goes before the first section that is not lettered (the README part).
      const before = old.findIndex((o, i) => i > 0 && letter(o.head) === null && o.head !== '## Summary');
      old.splice(before < 0 ? old.length : before, 0, b);
    }
  }
  const summary = old.find((o) => o.head === '## Summary');
  const freshSummary = now.find((o) => o.head === '## Summary');
  if (summary && freshSummary) {
    let text = summary.text;
    for (const row of tableRows(freshSummary.text)) {
      const key = row.split(' | ')[0];
      const same = tableRows(text).find((r) => r.split(' | ')[0] === key);
      if (same !== undefined) text = text.replace(same, row);
      else {
        const rows = tableRows(text);
        const last = rows[rows.length - 1];
        text = last === undefined ? text : text.replace(last, `${last}\n${row}`);
      }
    }
    const failed = tableRows(text).filter((r) => r.endsWith('| FAIL |')).length;
    text = text.replace(
      /^(All targets pass\.|\*\*\d+ target\(s\) failed\.\*\*)$/m,
      failed === 0 ? 'All targets pass.' : `**${failed} target(s) failed.**`,
    );
    summary.text = text;
  }
  return old.map((b) => b.text).join('');
}
