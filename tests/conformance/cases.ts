// The conformance case format (tests/conformance/cases/*.redis):
//
//   # comment
//   === title of a case            (each case starts on a fresh, flushed server with new connections)
//   SET k v EX 100                 (a command, redis-cli quoting rules; its reply is compared)
//   [unordered] KEYS *             (modifiers before a command change how replies are compared)
//   @sub SUBSCRIBE ch              (send on a named extra connection; default is "main")
//   :read @sub                     (read one pushed reply on a connection and compare it)
//   :sleep 1100                    (wait, on every target)
//
// Modifiers: [unordered] sort array items; [unordered-pairs] sort an array of pairs (HGETALL);
// [float] compare bulk strings as numbers (relative 1e-12); [approx N] integers within N;
// [type] compare the reply's type only; [ignore] run but do not compare; [monitor] strip the
// timestamp and client address from MONITOR lines; [noreply] send without reading a reply;
// [fields] compare an INFO-style bulk reply by its section headers and field names, not the values.
// [pick f1,f2] compare an INFO-style bulk reply by the named fields' lines only (their values too).
// [wire] compare the exact RESP3 bytes (a double's text, double vs bulk, map vs array) instead of
// the RESP2 normalisation; use it on a connection switched to RESP3 with HELLO 3.
// [save NAME] keep the reply (an integer or string, e.g. a CLIENT ID) on each target, and `$NAME` as
// a whole argument of a later command stands for it; [vars] compares a reply with the saved values
// (integers and bulk strings) replaced by their `$NAME`, so per-server ids compare equal.
// [mask f1,f2] in map-shaped replies (flat name/value arrays, at any depth, e.g. ACL LOG), the values
// of the named fields are not compared (age-seconds, client-info); everything else is.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitArgs } from '../../engine/protocol/split-args';
import { fromUtf8 } from '../../engine/protocol/binary';

export type Modifier =
  | { kind: 'unordered' }
  | { kind: 'unordered-pairs' }
  | { kind: 'float' }
  | { kind: 'approx'; n: number }
  | { kind: 'type' }
  | { kind: 'ignore' }
  | { kind: 'fields' }
  | { kind: 'monitor' }
  | { kind: 'noreply' }
  | { kind: 'wire' }
  | { kind: 'save'; name: string }
  | { kind: 'vars' }
  | { kind: 'pick'; fields: string[] }
  | { kind: 'mask'; fields: string[] };

export type Step =
  | { kind: 'command'; conn: string; argv: string[]; mods: Modifier[]; line: number; text: string }
  | { kind: 'read'; conn: string; mods: Modifier[]; line: number; text: string }
  | { kind: 'sleep'; ms: number; line: number };

export interface Case {
  file: string;
  title: string;
  line: number;
  steps: Step[];
}

function parseMods(text: string, file: string, line: number): { mods: Modifier[]; rest: string } {
  const mods: Modifier[] = [];
  let rest = text;
  while (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    const body = rest.slice(1, end).trim();
    rest = rest.slice(end + 1).trimStart();
    const [name, arg] = body.split(/\s+/);
    switch (name) {
      case 'unordered':
      case 'unordered-pairs':
      case 'float':
      case 'type':
      case 'ignore':
      case 'fields':
      case 'monitor':
      case 'noreply':
      case 'wire':
      case 'vars':
        mods.push({ kind: name });
        break;
      case 'save':
        mods.push({ kind: 'save', name: arg });
        break;
      case 'approx':
        mods.push({ kind: 'approx', n: Number(arg) });
        break;
      case 'pick':
        mods.push({ kind: 'pick', fields: arg.split(',') });
        break;
      case 'mask':
        mods.push({ kind: 'mask', fields: arg.split(',') });
        break;
      default:
        throw new Error(`${file}:${line}: unknown modifier [${body}]`);
    }
  }
  return { mods, rest };
}

export function parseCases(file: string, text: string): Case[] {
  const cases: Case[] = [];
  let current: Case | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    const lineNo = i + 1;
    if (raw === '' || raw.startsWith('#')) continue;
    if (raw.startsWith('===')) {
      current = { file, title: raw.slice(3).trim(), line: lineNo, steps: [] };
      cases.push(current);
      continue;
    }
    if (!current) throw new Error(`${file}:${lineNo}: command before the first "=== title"`);
    if (raw.startsWith(':sleep')) {
      current.steps.push({ kind: 'sleep', ms: Number(raw.split(/\s+/)[1]), line: lineNo });
      continue;
    }
    const { mods, rest } = parseMods(raw, file, lineNo);
    if (rest.startsWith(':read')) {
      const conn = /@(\S+)/.exec(rest)?.[1] ?? 'main';
      current.steps.push({ kind: 'read', conn, mods, line: lineNo, text: raw });
      continue;
    }
    let body = rest;
    let conn = 'main';
    if (body.startsWith('@')) {
      const sp = body.indexOf(' ');
      conn = body.slice(1, sp);
      body = body.slice(sp + 1).trimStart();
    }
    const argv = splitArgs(fromUtf8(body));
    if (argv === null || argv.length === 0) throw new Error(`${file}:${lineNo}: cannot parse command: ${raw}`);
    current.steps.push({ kind: 'command', conn, argv, mods, line: lineNo, text: raw });
  }
  return cases;
}

export const CASES_DIR = new URL('./cases', import.meta.url).pathname;

/** All case files, or only those named in CASES (comma-separated, e.g. CASES=string.redis). */
export function loadAllCases(only = process.env.CASES): Case[] {
  const wanted = only ? new Set(only.split(',').map((f) => f.trim())) : null;
  const files = readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.redis') && (wanted === null || wanted.has(f)))
    .sort();
  return files.flatMap((f) => parseCases(f, readFileSync(join(CASES_DIR, f), 'utf8')));
}
