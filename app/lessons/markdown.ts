// Lesson prose to HTML with micromark (CommonMark + GFM tables). Lesson files may come from anyone,
// so raw HTML is never passed through: micromark escapes it, and link/image URLs with unsafe
// protocols (javascript:, data:, vbscript:…) are dropped. Loaded lazily with the lesson panel.

import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

/** Markdown → HTML that is safe to insert (no HTML from the source, only safe URL protocols). */
export function renderMarkdown(markdown: string): string {
  return micromark(markdown, {
    allowDangerousHtml: false,
    allowDangerousProtocol: false,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  });
}
