// Test support for persistence: the Redis 7.0.15 fixtures (../shared/fixtures/persistence beside the
// repo), their expected.json as canonical binary-string records, and engines over in-memory disks.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, type Engine, ManualClock } from '../../engine/index';
import { type CanonicalKey, canonicalKeyspace } from '../../engine/persistence/canonical';
import { VirtualDisk } from '../../engine/persistence/disk';
import { MemoryStorage } from '../../engine/persistence/storage/memory';
import { fromBytes, fromUtf8 } from '../../engine/protocol/binary';

/** The repo root (this file is tests/persistence/support.ts). */
const ROOT = new URL('../../', import.meta.url).pathname;
export const FIXTURES = join(ROOT, '../shared/fixtures/persistence');

export function fixtureBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, rel)));
}

export function fixtureText(rel: string): string {
  return fromBytes(fixtureBytes(rel));
}

/** JSON "Bytes" (UTF-8 text or {hex}) → binary strings, recursively; numbers and null stay. */
function decodeBytes(v: unknown): unknown {
  if (typeof v === 'string') return fromUtf8(v);
  if (Array.isArray(v)) return v.map(decodeBytes);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.hex === 'string' && Object.keys(o).length === 1) {
      let s = '';
      for (let i = 0; i < o.hex.length; i += 2) s += String.fromCharCode(Number.parseInt(o.hex.slice(i, i + 2), 16));
      return s;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = decodeBytes(x);
    return out;
  }
  return v;
}

/** An expected.json as canonical records (encoding_live dropped). */
export function expectedKeys(rel = 'expected.json'): CanonicalKey[] {
  const doc = JSON.parse(readFileSync(join(FIXTURES, rel), 'utf8')) as { keys: Record<string, unknown>[] };
  return doc.keys.map((k) => {
    const { encoding_live: _live, ...rest } = k;
    return decodeBytes(rest) as CanonicalKey;
  });
}

/** A memory disk holding a copy of fixture files: `files` maps fixture path → path on the disk. */
export function diskWith(files: Record<string, string>, clock = new ManualClock(Date.now())): VirtualDisk {
  const storage = new MemoryStorage();
  for (const [src, dst] of Object.entries(files)) storage.writeFile(dst, fixtureBytes(src));
  return new VirtualDisk(storage, clock);
}

/** Every file under a fixture directory, as { fixturePath: relativePath }. */
export function fixtureDir(rel: string, under = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(join(FIXTURES, dir))) {
      const src = `${dir}/${name}`;
      if (statSync(join(FIXTURES, src)).isDirectory()) walk(src, `${prefix}${name}/`);
      else out[src] = `${under}${prefix}${name}`;
    }
  };
  walk(rel, '');
  return out;
}

export function engineOn(disk: VirtualDisk, config: Record<string, string> = {}, clock?: ManualClock): Engine {
  return createEngine({ clock: clock ?? (disk.clock as ManualClock), seed: 1, config, disk });
}

/** The server's lines for one section of an outputs.txt transcript ('#'/'*' lines, times normalised). */
export function transcriptLines(file: string, header: string): string[] {
  const text = fixtureText(file);
  const at = text.indexOf(header);
  if (at < 0) throw new Error(`no section ${header}`);
  const out: string[] = [];
  // The section's server lines: the first run of consecutive "# " / "* " lines after its header.
  for (const line of text
    .slice(at + header.length)
    .split('\n')
    .slice(1)) {
    const isLog = line.startsWith('# ') || line.startsWith('* ');
    if (isLog) out.push(normalise(line));
    else if (out.length > 0) break;
  }
  return out;
}

export function normalise(line: string): string {
  return line.replace(/RDB age \d+ seconds/, 'RDB age N seconds').replace(/: \d+\.\d{3} seconds$/, ': T seconds');
}

export { canonicalKeyspace };
