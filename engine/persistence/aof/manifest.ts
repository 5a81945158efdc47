// The multi-part AOF manifest of Redis 7.0 (src/aof.c): one line per file, "file <name> seq <n> type
// <b|h|i>", base first, then history, then incr files; parsed with the same checks and fatal messages
// as aofLoadManifestFromFile, and the file naming rules (<appendfilename>.<seq>.base.rdb|aof, .incr.aof).

import { repr } from '../../protocol/repr';
import { splitArgs } from '../../protocol/split-args';

export type AofFileType = 'b' | 'h' | 'i';

export interface AofInfo {
  name: string;
  seq: number;
  type: AofFileType;
}

export interface AofManifest {
  base: AofInfo | null;
  incrs: AofInfo[];
  history: AofInfo[];
  baseSeq: number;
  incrSeq: number;
  /** Changed since it was last persisted. */
  dirty: boolean;
}

export function emptyManifest(): AofManifest {
  return { base: null, incrs: [], history: [], baseSeq: 0, incrSeq: 0, dirty: false };
}

export function cloneManifest(m: AofManifest): AofManifest {
  return {
    base: m.base ? { ...m.base } : null,
    incrs: m.incrs.map((x) => ({ ...x })),
    history: m.history.map((x) => ({ ...x })),
    baseSeq: m.baseSeq,
    incrSeq: m.incrSeq,
    dirty: m.dirty,
  };
}

/** sdsneedsrepr: quote names with spaces, quotes, escapes or non-printable bytes. */
function needsRepr(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c || c === 0x22 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x07 || c === 0x08) return true;
    if (c < 0x20 || c > 0x7e || c === 0x20) return true;
  }
  return false;
}

function formatInfo(ai: AofInfo): string {
  return `file ${needsRepr(ai.name) ? repr(ai.name) : ai.name} seq ${ai.seq} type ${ai.type}\n`;
}

/** getAofManifestAsString */
export function formatManifest(m: AofManifest): string {
  let out = '';
  if (m.base) out += formatInfo(m.base);
  for (const h of m.history) out += formatInfo(h);
  for (const i of m.incrs) out += formatInfo(i);
  return out;
}

/** A manifest that can't be used: the lines Redis logs before exit(1). */
export class ManifestError extends Error {
  constructor(readonly lines: string[]) {
    super(lines[lines.length - 1]);
  }
}

const MANIFEST_MAX_LINE = 1024;

/** aofLoadManifestFromFile over the file's text. */
export function parseManifest(text: string): AofManifest {
  const m = emptyManifest();
  let maxSeq = 0;
  let lineNo = 0;
  let pos = 0;
  const fail = (err: string, line: string | null): never => {
    const lines = ['\n*** FATAL AOF MANIFEST FILE ERROR ***\n'];
    if (line !== null) lines.push(`Reading the manifest file, at line ${lineNo}\n`, `>>> '${line}'\n`);
    lines.push(`${err}\n`);
    throw new ManifestError(lines);
  };
  for (;;) {
    if (pos >= text.length) {
      if (lineNo === 0) fail('Found an empty AOF manifest', null);
      break;
    }
    // fgets with a MANIFEST_MAX_LINE+1 buffer.
    const nl = text.indexOf('\n', pos);
    const limit = Math.min(text.length, pos + MANIFEST_MAX_LINE);
    const end = nl >= 0 && nl < limit ? nl + 1 : limit;
    const buf = text.slice(pos, end);
    pos = end;
    lineNo++;
    if (buf[0] === '#') continue;
    if (!buf.includes('\n')) fail('The AOF manifest file contains too long line', null);
    const line = buf.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '') fail('Invalid AOF manifest file format', line);
    const argv = splitArgs(line);
    if (argv === null || argv.length < 6 || argv.length % 2 !== 0) fail('Invalid AOF manifest file format', line);
    const args = argv as string[];
    let name: string | null = null;
    let seq = 0;
    let type = '';
    for (let i = 0; i < args.length; i += 2) {
      const k = args[i].toLowerCase();
      if (k === 'file') {
        name = args[i + 1];
        if (name.includes('/')) fail("File can't be a path, just a filename", line);
      } else if (k === 'seq') seq = Number.parseInt(args[i + 1], 10) || 0;
      else if (k === 'type') type = args[i + 1][0] ?? '';
    }
    if (!name || !seq || !type) fail('Invalid AOF manifest file format', line);
    const ai = { name: name as string, seq, type: type as AofFileType };
    if (type === 'b') {
      if (m.base) fail('Found duplicate base file information', line);
      m.base = ai;
      m.baseSeq = seq;
    } else if (type === 'h') {
      m.history.push(ai);
    } else if (type === 'i') {
      if (seq <= maxSeq) fail('Found a non-monotonic sequence number', line);
      m.incrs.push(ai);
      m.incrSeq = seq;
      maxSeq = seq;
    } else {
      fail('Unknown AOF file type', line);
    }
  }
  return m;
}

/** getNewBaseFileNameAndMarkPreAsHistory */
export function newBaseName(m: AofManifest, aofFilename: string, rdbPreamble: boolean): string {
  if (m.base) {
    m.base.type = 'h';
    m.history.unshift(m.base);
  }
  m.baseSeq++;
  m.base = { name: `${aofFilename}.${m.baseSeq}.base.${rdbPreamble ? 'rdb' : 'aof'}`, seq: m.baseSeq, type: 'b' };
  m.dirty = true;
  return m.base.name;
}

/** getNewIncrAofName */
export function newIncrName(m: AofManifest, aofFilename: string): string {
  m.incrSeq++;
  const ai: AofInfo = { name: `${aofFilename}.${m.incrSeq}.incr.aof`, seq: m.incrSeq, type: 'i' };
  m.incrs.push(ai);
  m.dirty = true;
  return ai.name;
}

/** getLastIncrAofName: the last incr file, or a new one. */
export function lastIncrName(m: AofManifest, aofFilename: string): string {
  if (m.incrs.length === 0) return newIncrName(m, aofFilename);
  return m.incrs[m.incrs.length - 1].name;
}

/** markRewrittenIncrAofAsHistory: all incr files but the open one (when AOF is on) become history. */
export function markIncrsAsHistory(m: AofManifest, keepLast: boolean): void {
  if (m.incrs.length === 0) return;
  const keep = keepLast ? m.incrs.slice(-1) : [];
  const moved = keepLast ? m.incrs.slice(0, -1) : m.incrs.slice();
  // Walked from the tail, each added at the head: history keeps file order.
  for (const ai of moved.reverse()) m.history.unshift({ ...ai, type: 'h' });
  m.incrs = keep;
  m.dirty = true;
}
