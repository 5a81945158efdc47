// The lesson renderer never lets a lesson file inject markup or script: raw HTML is escaped and
// dangerous link protocols are dropped, whatever the payload.

import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![x](javascript:alert(1))',
  '<a href="javascript:alert(1)">x</a>',
  '| a |\n|---|\n| <img src=x onerror=alert(1)> |',
  '> <script>alert(1)</script>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '[x](vbscript:msgbox(1))',
  '<details open ontoggle=alert(1)>',
];

describe('lesson markdown', () => {
  it('renders prose, emphasis, code, links and GFM tables', () => {
    const html = renderMarkdown(
      'Hello **bold** `GET key` [docs](https://redis.io/)\n\n| a | b |\n|---|---|\n| 1 | 2 |',
    );
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>GET key</code>');
    expect(html).toContain('<a href="https://redis.io/">docs</a>');
    expect(html).toContain('<table>');
    expect(html).toContain('<td>2</td>');
  });

  for (const payload of PAYLOADS) {
    it(`neutralises ${JSON.stringify(payload)}`, () => {
      const html = renderMarkdown(payload);
      // No tag from the payload survives: every "<" left is one micromark wrote itself.
      const tags = [...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1].toLowerCase());
      const allowed = new Set([
        'p',
        'a',
        'img',
        'blockquote',
        'table',
        'thead',
        'tbody',
        'tr',
        'th',
        'td',
        'code',
        'em',
        'strong',
      ]);
      for (const t of tags) expect(allowed.has(t), `${t} in ${html}`).toBe(true);
      expect(html).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
      expect(html).not.toMatch(/src="\s*(javascript|data|vbscript):/i);
      expect(html).not.toMatch(/<[^>]+\son\w+=/i);
    });
  }
});
