// redis-cli 7.0's reply printing (src/redis-cli.c: cliFormatReplyTTY, cliFormatReplyRaw and the
// invalidate-push line): the lab terminal prints every reply through this. Works on the reply as
// hiredis would hand it to redis-cli after the wire (CliReply), so RESP2 and RESP3 look as they do
// in the real client. Output is a binary string (bytes), as redis-cli writes them to the tty.

import { formatDouble } from '../util/format-double';
import type { Reply } from './reply';
import { repr } from './repr';

/** A parsed reply as hiredis represents it (redisReply's types). */
export type CliReply =
  | { readonly type: 'status' | 'error' | 'string' | 'verb' | 'double'; readonly str: string }
  | { readonly type: 'integer'; readonly integer: number | bigint }
  | { readonly type: 'nil' }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'array' | 'set' | 'push'; readonly elements: readonly CliReply[] }
  /** Keys and values interleaved, as hiredis stores a map. */
  | { readonly type: 'map'; readonly elements: readonly CliReply[] };

/** What redis-cli receives for an engine reply sent with protocol `resp` (encodeReply, then hiredis). */
export function toCliReply(r: Reply, resp: 2 | 3): CliReply {
  switch (r.t) {
    case 'status':
      return { type: 'status', str: r.v };
    case 'error':
      return { type: 'error', str: r.v };
    case 'int':
      return { type: 'integer', integer: r.v };
    case 'bulk':
      return r.v === null ? { type: 'nil' } : { type: 'string', str: r.v };
    case 'double':
      return { type: resp === 3 ? 'double' : 'string', str: r.text ?? formatDouble(r.v) };
    case 'array':
      return r.v === null ? { type: 'nil' } : { type: 'array', elements: r.v.map((x) => toCliReply(x, resp)) };
    case 'map': {
      const elements: CliReply[] = [];
      for (const [k, v] of r.v) elements.push(toCliReply(k, resp), toCliReply(v, resp));
      return { type: resp === 3 ? 'map' : 'array', elements };
    }
    case 'set':
    case 'push':
      return { type: resp === 3 ? r.t : 'array', elements: r.v.map((x) => toCliReply(x, resp)) };
  }
}

/** True when the TTY form of `r` spans several lines (a map value then starts on its own line). */
function isMultiline(r: CliReply): boolean {
  switch (r.type) {
    case 'array':
    case 'set':
    case 'push':
      if (r.elements.length === 0) return false;
      return r.elements.length > 1 || isMultiline(r.elements[0]);
    case 'map':
      if (r.elements.length === 0) return false;
      return r.elements.length > 2 || isMultiline(r.elements[1]);
    default:
      return false;
  }
}

const EMPTY_AGGREGATE: Record<'array' | 'set' | 'push' | 'map', string> = {
  array: '(empty array)\n',
  map: '(empty hash)\n',
  set: '(empty set)\n',
  push: '(empty push)\n',
};

const INDEX_SEPARATOR: Record<'array' | 'set' | 'push' | 'map', string> = { array: ')', push: ')', set: '~', map: '#' };

/**
 * The interactive (TTY) form: `(integer) 1`, `"quoted"` bulk strings, `1) ` numbered arrays whose
 * nested levels are indented by the parent's index width + 2, `1# key => value` maps, `1~` sets.
 */
export function formatTTY(r: CliReply, prefix = ''): string {
  switch (r.type) {
    case 'error':
      return `(error) ${r.str}\n`;
    case 'status':
      return `${r.str}\n`;
    case 'integer':
      return `(integer) ${r.integer}\n`;
    case 'double':
      return `(double) ${r.str}\n`;
    case 'string':
      return `${repr(r.str)}\n`;
    case 'verb':
      return `${r.str}\n`;
    case 'nil':
      return '(nil)\n';
    case 'bool':
      return r.value ? '(true)\n' : '(false)\n';
    default:
      return formatAggregateTTY(r, prefix);
  }
}

function formatAggregateTTY(
  r: { readonly type: 'array' | 'set' | 'push' | 'map'; readonly elements: readonly CliReply[] },
  prefix: string,
): string {
  const n = r.elements.length;
  if (n === 0) return EMPTY_AGGREGATE[r.type];
  const isMap = r.type === 'map';
  const count = isMap ? Math.floor(n / 2) : n;
  // Indexes are right-aligned to the widest one; nested levels start under the element's text.
  const width = String(count).length;
  const childPrefix = prefix + ' '.repeat(width + 2);
  const sep = INDEX_SEPARATOR[r.type];
  let out = '';
  for (let i = 0; i < n; i++) {
    const index = (isMap ? i / 2 : i) + 1;
    // The first element goes right after the index the parent already printed.
    out += `${i === 0 ? '' : prefix}${String(index).padStart(width)}${sep} `;
    out += formatTTY(r.elements[i], childPrefix);
    if (isMap) {
      i++;
      out = `${out.slice(0, -1)} => `;
      if (isMultiline(r.elements[i])) out += `\n${childPrefix}`;
      out += formatTTY(r.elements[i], childPrefix);
    }
  }
  return out;
}

/** The raw form (redis-cli --raw, and INFO / CLIENT LIST... in interactive mode): no quoting, no types. */
export function formatRaw(r: CliReply): string {
  switch (r.type) {
    case 'nil':
      return '';
    case 'error':
      return `${r.str}\n`;
    case 'status':
    case 'string':
    case 'verb':
    case 'double':
      return r.str;
    case 'bool':
      return r.value ? '(true)' : '(false)';
    case 'integer':
      return String(r.integer);
    case 'map': {
      const parts: string[] = [];
      for (let i = 0; i < r.elements.length; i += 2) {
        parts.push(`${formatRaw(r.elements[i])} ${formatRaw(r.elements[i + 1])}`);
      }
      return parts.join('\n');
    }
    default:
      return r.elements.map(formatRaw).join('\n');
  }
}

/** True for RESP3 client-side-caching invalidation pushes, which redis-cli prints on one line. */
export function isInvalidatePush(r: CliReply): boolean {
  if (r.type !== 'push' || r.elements.length !== 2) return false;
  const [kind, keys] = r.elements;
  return kind.type === 'string' && kind.str.startsWith('invalidate') && keys.type === 'array';
}

/** `-> invalidate: 'k1', 'k2'` */
export function formatInvalidate(r: CliReply): string {
  const keys = r.type === 'push' && r.elements[1].type === 'array' ? r.elements[1].elements : [];
  const names = keys.map((k) => `'${k.type === 'string' ? k.str : ''}'`);
  return `-> invalidate: ${names.join(', ')}\n`;
}

const eq = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b;

/** Commands whose replies redis-cli prints raw even in interactive mode (cliSendCommand's output_raw). */
export function printsRaw(argv: readonly string[]): boolean {
  const [cmd, sub] = argv;
  const n = argv.length;
  if (eq(cmd, 'info') || eq(cmd, 'lolwut')) return true;
  if (n >= 2 && eq(cmd, 'debug')) return eq(sub, 'htstats') || eq(sub, 'htstats-key') || eq(sub, 'client-eviction');
  if (n >= 2 && eq(cmd, 'memory')) return eq(sub, 'malloc-stats') || eq(sub, 'doctor');
  if (n === 2 && eq(cmd, 'cluster')) return eq(sub, 'nodes') || eq(sub, 'info');
  if (n >= 2 && eq(cmd, 'client')) return eq(sub, 'list') || eq(sub, 'info');
  if (n === 3 && eq(cmd, 'latency')) return eq(sub, 'graph');
  if (n === 2 && eq(cmd, 'latency')) return eq(sub, 'doctor');
  if (n >= 2 && eq(cmd, 'proxy')) return eq(sub, 'info');
  return false;
}

/**
 * redis-cli's output as the terminal shows it: \n becomes \r\n (a tty's onlcr), and the output
 * ends on a fresh line so the prompt starts at the left edge.
 */
export function terminalLines(text: string): string {
  const t = text.replace(/\r?\n/g, '\r\n');
  return t === '' || t.endsWith('\n') ? t : `${t}\r\n`;
}

/** A reply to `argv` as interactive redis-cli prints it (cliReadReply in a tty). */
export function formatReplyForCli(r: Reply, resp: 2 | 3, argv: readonly string[]): string {
  const cli = toCliReply(r, resp);
  return printsRaw(argv) ? formatRaw(cli) : formatTTY(cli);
}

/** A push received outside a request (cliPushHandler). */
export function formatPushForCli(r: Reply, resp: 2 | 3): string {
  const cli = toCliReply(r, resp);
  return isInvalidatePush(cli) ? formatInvalidate(cli) : formatTTY(cli);
}
