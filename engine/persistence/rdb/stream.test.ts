import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { createEngine } from '../../index';
import { crc64LittleEndian } from './crc64';

// DUMP s from redis-server 7.0.15 after XADD s 1-1 a 1, XADD s 1-2 b 2 (rdbcompression no): type 19, one
// node (master id 1-1), its 43-byte listpack at offset 20 (element count 17 at 24), then the metadata.
const PAYLOAD = Buffer.from(
  '130110000000000000000100000000000000012b2b0000001100020100010101816102000102010001000101010401000100010101010181620202010601ff0201020101000002000a00bd4c9f4eba902323',
  'hex',
).toString('latin1');

describe('stream listpacks in RDB payloads', () => {
  it('loads a node whose listpack header has a wrong element count (Redis never checks it there)', () => {
    const engine = createEngine({ clock: new ManualClock(), seed: 1 });
    const c = engine.createClient();
    expect(PAYLOAD.charCodeAt(24)).toBe(17);
    const body = `${PAYLOAD.slice(0, 24)}\u0005${PAYLOAD.slice(25, PAYLOAD.length - 8)}`;
    // Real Redis restores this one too, even with sanitize-dump-payload yes.
    expect(engine.dispatch(c, ['RESTORE', 's', '0', body + crc64LittleEndian(body)])).toEqual({ t: 'status', v: 'OK' });
    expect(engine.dispatch(c, ['XRANGE', 's', '-', '+'])).toMatchObject({
      t: 'array',
      v: [
        { t: 'array', v: [{ v: '1-1' }, { t: 'array', v: [{ v: 'a' }, { v: '1' }] }] },
        { t: 'array', v: [{ v: '1-2' }, { t: 'array', v: [{ v: 'b' }, { v: '2' }] }] },
      ],
    });
  });
});
