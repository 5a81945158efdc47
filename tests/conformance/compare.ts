// Reply comparison for conformance: exact by default, with the per-command modifiers of cases.ts.
// In-process replies (which may hold RESP3-only shapes like doubles) are normalised through RESP2 first.

import { encodeReply, ReplyDecoder } from '../../engine/protocol/resp';
import type { Reply } from '../../engine/protocol/reply';
import type { Modifier } from './cases';

export function toResp2(r: Reply): Reply {
  return throughWire(r, 2);
}

/** The reply as a client would see it after the wire: encoded in the client's protocol, decoded back. */
export function throughWire(r: Reply, resp: 2 | 3): Reply {
  const d = new ReplyDecoder();
  const text = encodeReply(r, resp);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  d.push(bytes);
  return d.next() as Reply;
}

function key(r: Reply): string {
  return encodeReply(r, 2);
}

function normalise(r: Reply, mods: readonly Modifier[]): Reply {
  for (const m of mods) {
    if (m.kind === 'unordered' && r.t === 'array' && r.v) {
      r = { t: 'array', v: [...r.v].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)) };
    }
    if (m.kind === 'unordered-pairs' && r.t === 'array' && r.v) {
      const pairs: Reply[][] = [];
      for (let i = 0; i < r.v.length; i += 2) pairs.push([r.v[i], r.v[i + 1]]);
      pairs.sort((a, b) => (key(a[0]) < key(b[0]) ? -1 : key(a[0]) > key(b[0]) ? 1 : 0));
      r = { t: 'array', v: pairs.flat() };
    }
    if (m.kind === 'fields' && r.t === 'bulk' && r.v !== null) {
      r = { t: 'bulk', v: r.v.replace(/^([^#\r\n:][^:\r\n]*):[^\r\n]*$/gm, '$1:') };
    }
    if (m.kind === 'pick' && r.t === 'bulk' && r.v !== null) {
      const wanted = new Set(m.fields);
      r = {
        t: 'bulk',
        v: r.v
          .split('\r\n')
          .filter((l) => wanted.has(l.split(':')[0]))
          .join('\r\n'),
      };
    }
    if (m.kind === 'mask') r = masked(r, new Set(m.fields));
    if (m.kind === 'monitor' && r.t === 'status') {
      r = { t: 'status', v: r.v.replace(/^\d+\.\d+ \[(\d+) [^\]]*\]/, '<ts> [$1 <addr>]') };
    }
  }
  return r;
}

/** [mask]: in every array, the item after a bulk naming a masked field becomes "<masked>". */
function masked(r: Reply, fields: ReadonlySet<string>): Reply {
  if (r.t !== 'array' || r.v === null) return r;
  const v = r.v.map((x) => masked(x, fields));
  for (let i = 0; i + 1 < v.length; i += 2) {
    const k = v[i];
    if (k.t === 'bulk' && k.v !== null && fields.has(k.v)) v[i + 1] = { t: 'bulk', v: '<masked>' };
  }
  return { t: 'array', v };
}

function equal(a: Reply, b: Reply, mods: readonly Modifier[]): boolean {
  const float = mods.some((m) => m.kind === 'float');
  const approx = mods.find((m) => m.kind === 'approx') as { kind: 'approx'; n: number } | undefined;
  if (a.t !== b.t) return false;
  if (a.t === 'bulk' && b.t === 'bulk' && float && a.v !== null && b.v !== null) {
    const x = Number(a.v);
    const y = Number(b.v);
    if (Number.isNaN(x) || Number.isNaN(y)) return a.v === b.v;
    return x === y || Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));
  }
  if (a.t === 'int' && b.t === 'int' && approx) return Math.abs(Number(a.v) - Number(b.v)) <= approx.n;
  if (a.t === 'array' && b.t === 'array') {
    if (a.v === null || b.v === null) return a.v === b.v;
    if (a.v.length !== b.v.length) return false;
    return a.v.every((x, i) => equal(x, (b.v as Reply[])[i], mods));
  }
  return JSON.stringify(a, bigintJson) === JSON.stringify(b, bigintJson);
}

const bigintJson = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

export function repliesMatch(expected: Reply, actual: Reply, mods: readonly Modifier[]): boolean {
  if (mods.some((m) => m.kind === 'ignore')) return true;
  // Decoded replies keep their RESP3 types and a double's exact text: re-encoding gives the bytes.
  if (mods.some((m) => m.kind === 'wire')) return encodeReply(expected, 3) === encodeReply(actual, 3);
  const e = normalise(toResp2(expected), mods);
  const a = normalise(toResp2(actual), mods);
  if (mods.some((m) => m.kind === 'type')) return e.t === a.t;
  return equal(e, a, mods);
}

/** A short human-readable rendering for failure messages and the compatibility report. */
export function show(r: Reply): string {
  return JSON.stringify(toResp2(r), bigintJson);
}
