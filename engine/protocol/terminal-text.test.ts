import { describe, expect, it } from 'vitest';
import { escapeControlBytes, terminalText, truncateLongLines, truncationMarker } from './terminal-text';

describe('terminal text', () => {
  it('escapes the control bytes of raw output (an error echoing ESC [2J) so the terminal cannot obey them', () => {
    const err = "(error) ERR unknown command '\x1b[2J\x1b]0;title\x07\b\r', with args beginning with: \n";
    expect(terminalText(err)).toBe(
      "(error) ERR unknown command '\\x1b[2J\\x1b]0;title\\a\\b\\r', with args beginning with: \r\n",
    );
  });

  it("keeps INFO's CRLF line ends, tabs and line feeds", () => {
    expect(escapeControlBytes('# Server\r\nredis_version:7.0.15\r\n\tx\n')).toBe(
      '# Server\r\nredis_version:7.0.15\r\n\tx\n',
    );
  });

  it('escapes C1 controls decoded from UTF-8 (8-bit CSI) but keeps other text', () => {
    expect(terminalText('a\xc2\x9b2Jb caf\xc3\xa9\n')).toBe('a\\xc2\\x9b2Jb café\r\n');
  });

  it('cuts a line over the limit and says so, with the limit, on the next line', () => {
    const line = `"${'x'.repeat(100)}"`;
    expect(truncateLongLines(`OK\n${line}\nend\n`, 10)).toBe(`OK\n"xxxxxxxxx\n${truncationMarker(102, 10)}\nend\n`);
    expect(truncationMarker(10485762, 65536)).toContain('printed 65536 of its 10485762 bytes');
    expect(truncationMarker(10485762, 65536)).toContain('at most 64 KiB per line');
  });

  it('leaves output within the limit alone', () => {
    const text = '1) "a"\n2) "b"\n';
    expect(truncateLongLines(text, 8)).toBe(text);
    expect(terminalText(text)).toBe('1) "a"\r\n2) "b"\r\n');
  });
});
