// Key parser: the bytes a terminal sends for keystrokes (xterm's onData) → key events for the line
// editor. Understands what linenoise reads (control keys, CSI/SS3 arrows, Home/End, Delete), the
// readline word keys (Alt-B/F/D, Ctrl/Alt-arrows) and bracketed paste. Pure: no xterm here.

export type NamedKey =
  | 'enter'
  | 'tab'
  | 'backspace'
  | 'delete'
  | 'escape'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'word-left'
  | 'word-right'
  | 'delete-word-left'
  | 'delete-word-right';

export type Key =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'paste'; readonly text: string }
  | { readonly type: 'key'; readonly key: NamedKey }
  /** Ctrl + letter, lower case ('a' for Ctrl-A), for the control keys not named above. */
  | { readonly type: 'ctrl'; readonly key: string }
  | { readonly type: 'unknown'; readonly seq: string };

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

/** CSI sequences by their final byte and parameters. */
function csiKey(params: string, final: string): NamedKey | undefined {
  const mod = params.includes(';') ? params.slice(params.indexOf(';') + 1) : '';
  // Ctrl (5) or Alt (3) with an arrow jumps a word, as in readline.
  const word = mod === '5' || mod === '3' || mod === '9';
  switch (final) {
    case 'A':
      return 'up';
    case 'B':
      return 'down';
    case 'C':
      return word ? 'word-right' : 'right';
    case 'D':
      return word ? 'word-left' : 'left';
    case 'H':
      return 'home';
    case 'F':
      return 'end';
    case '~':
      switch (params.split(';')[0]) {
        case '1':
        case '7':
          return 'home';
        case '4':
        case '8':
          return 'end';
        case '3':
          return 'delete';
      }
  }
  return undefined;
}

const CTRL_NAMED: Record<string, NamedKey> = {
  '\r': 'enter',
  '\n': 'enter',
  '\t': 'tab',
  '\x7f': 'backspace',
  '\x08': 'backspace',
};

/** Split terminal input into keys. Consecutive printable characters come as one text key. */
export function parseKeys(data: string): Key[] {
  const keys: Key[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') keys.push({ type: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < data.length) {
    const ch = data[i];
    const code = ch.charCodeAt(0);
    if (data.startsWith(PASTE_START, i)) {
      flush();
      const end = data.indexOf(PASTE_END, i + PASTE_START.length);
      const stop = end === -1 ? data.length : end;
      keys.push({ type: 'paste', text: data.slice(i + PASTE_START.length, stop) });
      i = end === -1 ? data.length : end + PASTE_END.length;
      continue;
    }
    if (ch === '\x1b') {
      flush();
      const next = data[i + 1];
      if (next === undefined) {
        keys.push({ type: 'key', key: 'escape' });
        i++;
      } else if (next === '[') {
        // CSI: parameter bytes 0x30-0x3F, intermediates 0x20-0x2F, one final byte 0x40-0x7E.
        let j = i + 2;
        while (j < data.length && /[0-?]/.test(data[j])) j++;
        while (j < data.length && /[ -/]/.test(data[j])) j++;
        const final = data[j] ?? '';
        const named = csiKey(data.slice(i + 2, j), final);
        keys.push(named ? { type: 'key', key: named } : { type: 'unknown', seq: data.slice(i, j + 1) });
        i = j + 1;
      } else if (next === 'O') {
        const final = data[i + 2] ?? '';
        const named = csiKey('', final);
        keys.push(named ? { type: 'key', key: named } : { type: 'unknown', seq: data.slice(i, i + 3) });
        i += 3;
      } else if (next === 'b' || next === 'f' || next === 'd' || next === '\x7f') {
        const alt: Record<string, NamedKey> = {
          b: 'word-left',
          f: 'word-right',
          d: 'delete-word-right',
          '\x7f': 'delete-word-left',
        };
        keys.push({ type: 'key', key: alt[next] });
        i += 2;
      } else if (next === '\x1b') {
        keys.push({ type: 'key', key: 'escape' });
        i++;
      } else {
        keys.push({ type: 'unknown', seq: data.slice(i, i + 2) });
        i += 2;
      }
      continue;
    }
    const named = CTRL_NAMED[ch];
    if (named) {
      flush();
      keys.push({ type: 'key', key: named });
      i++;
      continue;
    }
    if (code < 0x20) {
      flush();
      keys.push({ type: 'ctrl', key: String.fromCharCode(code + 0x60) });
      i++;
      continue;
    }
    text += ch;
    i++;
  }
  flush();
  return keys;
}
