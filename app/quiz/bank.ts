// The question files shipped with the lab (lessons/quiz/NN-*.md), bundled into the quiz's lazy
// chunk, and the loader for an instructor's own file (file picker), validated like the built-ins.

import { MAX_LESSON_BYTES } from '../lessons/parse';
import { parseQuiz, type QuizFile, type QuizParse } from './format';

const FILES = import.meta.glob('../../lessons/quiz/[0-9]*.md', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

export function builtInQuizzes(): QuizFile[] {
  const out: QuizFile[] = [];
  for (const text of Object.values(FILES)) {
    const r = parseQuiz(text);
    if (r.ok) out.push(r.quiz);
  }
  return out.sort((a, b) => a.order - b.order);
}

export async function loadQuizFile(file: File): Promise<QuizParse> {
  if (file.size > MAX_LESSON_BYTES)
    return { ok: false, errors: [{ line: 1, message: 'the file is larger than 512 KB' }] };
  return parseQuiz(await file.text());
}
