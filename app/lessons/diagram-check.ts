// Instructors' lessons are checked before they open: every ```mermaid diagram must parse (mermaid is
// loaded for it, lazily, with securityLevel 'strict' as when it renders), else the file is refused
// with the diagram's line and mermaid's reason — never shown half-broken in front of a class.

import type { Lesson, LessonPart, ParseError } from './parse';

const diagrams = (lesson: Lesson): { source: string; line: number }[] =>
  [lesson.intro, ...lesson.steps.map((s) => s.parts)]
    .flat()
    .flatMap((p: LessonPart) => (p.kind === 'mermaid' ? [{ source: p.source, line: p.line ?? 0 }] : []));

/**
 * mermaid's complaint in a few words: what it did not expect, and near which text ("Parse error on
 * line 3: …A --> / ---^ / Expecting 'AMP', …, got 'EOF'" → "it ends too early, near 'A -->'").
 */
export function diagramReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const got = /got '([^']+)'/.exec(text);
  // mermaid cuts the context short with "…", often mid-word: drop the cut word.
  const context = lines.length > 1 && /^Parse error/.test(lines[0]) ? lines[1] : '';
  const near = (context.startsWith('...') ? context.slice(3).replace(/^\S*\s+/, '') : context).trim();
  const what = got
    ? got[1] === 'EOF'
      ? 'it ends too early'
      : `unexpected ${got[1]}`
    : (lines[0] ?? 'it does not parse').slice(0, 160);
  return near !== '' ? `${what}, near '${near}'` : what;
}

/** The lesson's diagrams that mermaid cannot parse, as errors with their lines (none: []). */
export async function checkDiagrams(lesson: Lesson): Promise<ParseError[]> {
  const list = diagrams(lesson);
  if (list.length === 0) return [];
  const mermaid = (await import('mermaid')).default;
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  const errors: ParseError[] = [];
  for (const d of list) {
    try {
      await mermaid.parse(d.source);
    } catch (err) {
      errors.push({ line: d.line, message: `mermaid diagram does not parse: ${diagramReason(err)}` });
    }
  }
  return errors;
}
