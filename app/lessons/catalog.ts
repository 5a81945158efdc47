// The lessons shipped with the lab (lessons/NN-*.md), bundled into the lesson panel's lazy chunk,
// and the loaders for instructors' own files: a picked file, pasted text, or a same-origin URL.

import { type Lesson, type LessonParse, MAX_LESSON_BYTES, parseLessonFile } from './parse';

const FILES = import.meta.glob('../../lessons/[0-9]*.md', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

export function builtInLessons(): Lesson[] {
  const out: Lesson[] = [];
  for (const text of Object.values(FILES)) {
    const r = parseLessonFile(text);
    if (r.ok) out.push(r.lesson);
  }
  return out.sort((a, b) => a.order - b.order);
}

/** Only lessons from this site load by URL: anything else must be opened as a file or pasted. */
export async function loadLessonUrl(param: string, base: string = location.href): Promise<LessonParse> {
  let url: URL;
  try {
    url = new URL(param, base);
  } catch {
    return { ok: false, errors: [{ line: 0, message: `not a URL: ${param}` }] };
  }
  if (url.origin !== new URL(base).origin) {
    return {
      ok: false,
      errors: [
        { line: 0, message: 'only lessons from this site open by URL — open the file or paste its text instead' },
      ],
    };
  }
  try {
    const res = await fetch(url, { credentials: 'same-origin' });
    if (!res.ok)
      return { ok: false, errors: [{ line: 0, message: `could not load ${url.pathname}: HTTP ${res.status}` }] };
    const text = await res.text();
    return parseLessonFile(text);
  } catch (err) {
    return { ok: false, errors: [{ line: 0, message: `could not load the lesson: ${String(err)}` }] };
  }
}

export async function loadLessonFile(file: File): Promise<LessonParse> {
  if (file.size > MAX_LESSON_BYTES)
    return { ok: false, errors: [{ line: 1, message: 'the file is larger than 512 KB' }] };
  return parseLessonFile(await file.text());
}
