import { describe, expect, it } from 'vitest';
import type { StorageStatus } from '../../engine/worker/protocol';
import { describeStartup, storageLabel } from './restart-report';

const opfs: StorageStatus = { kind: 'opfs', note: null, error: null, startup: null };

describe('the start-up notice', () => {
  it('is empty on a first visit with working storage', () => {
    expect(describeStartup(opfs)).toBe('');
    expect(storageLabel(opfs)).toBe('saved in this browser (OPFS)');
    expect(storageLabel(opfs, true)).toBe('saved (OPFS)');
  });

  it('after a reload: where the data is, the power-cut meaning, the kept settings and the server log', () => {
    const text = describeStartup({
      ...opfs,
      startup: {
        source: 'rdb',
        ok: true,
        keysLoaded: 3,
        commands: 0,
        truncatedBytes: 0,
        log: ['Done loading RDB, keys loaded: 3, keys expired: 0.', 'DB loaded from disk: 0.001 seconds'],
        settings: { appendonly: 'no', save: '' },
      },
    });
    expect(text.split('\n')).toEqual([
      '(lab) the server started again on the data saved in this browser (OPFS).',
      '(lab) a reload or a closed tab is a power cut for the server: only what was fsynced survives.',
      '(lab) settings kept in redis-lab.conf: appendonly no, save "".',
      '(server) Done loading RDB, keys loaded: 3, keys expired: 0.',
      '(server) DB loaded from disk: 0.001 seconds',
      '(lab) loaded 3 keys from the RDB snapshot.',
      '',
    ]);
  });

  it('says why nothing is saved, and reports a refused start and storage errors', () => {
    expect(describeStartup({ kind: 'memory', note: 'another tab has the lab open', error: null, startup: null })).toBe(
      '(lab) another tab has the lab open.\n',
    );
    const text = describeStartup({
      kind: 'idb',
      note: null,
      error: 'the quota is full',
      startup: {
        source: 'aof',
        ok: false,
        keysLoaded: 0,
        commands: 0,
        truncatedBytes: 0,
        log: ['Bad file format'],
        settings: {},
      },
    });
    expect(text).toContain('(lab) the server started again on the data saved in this browser (IndexedDB).');
    expect(text).toContain('(server) Bad file format\n(lab) the server refused to start: see its log');
    expect(text).toContain('(lab) the quota is full');
  });
});
