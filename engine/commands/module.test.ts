import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { E } from '../errors';
import { createEngine } from '../index';

function client(config: Record<string, string>, addr: string) {
  const engine = createEngine({ clock: new ManualClock(), seed: 1, config });
  // (a socket's fd: in-process clients, fd -1, always count as local)
  const c = engine.createClient({ addr, fd: 7 });
  return (...argv: string[]) => engine.dispatch(c, argv);
}

const err = (v: string) => ({ t: 'error', v });

describe('MODULE', () => {
  it('refuses LOAD, LOADEX and UNLOAD unless enable-module-command allows them; LIST and HELP always run', () => {
    const run = client({}, '127.0.0.1:5000');
    expect(run('MODULE', 'LOAD', '/m.so')).toEqual(err(E.MODULE_NOT_ALLOWED));
    expect(run('MODULE', 'LOADEX', '/m.so')).toEqual(err(E.MODULE_NOT_ALLOWED));
    expect(run('MODULE', 'UNLOAD', 'm')).toEqual(err(E.MODULE_NOT_ALLOWED));
    expect(run('MODULE', 'LIST')).toEqual({ t: 'array', v: [] });
    expect(run('MODULE', 'HELP')?.t).toBe('array');
  });

  it('with enable-module-command "local", only loopback clients may load', () => {
    expect(client({ 'enable-module-command': 'local' }, '10.0.0.7:5000')('MODULE', 'LOAD', '/m.so')).toEqual(
      err(E.MODULE_NOT_ALLOWED),
    );
    expect(client({ 'enable-module-command': 'local' }, '127.0.0.1:5000')('MODULE', 'LOAD', '/m.so')).toEqual(
      err(E.MODULE_LOAD_FAILED),
    );
  });

  it('when allowed, fails to load any library and finds no module to unload, as redis-server with a missing file', () => {
    const run = client({ 'enable-module-command': 'yes' }, '10.0.0.7:5000');
    expect(run('MODULE', 'LOAD', '/nonexistent.so', 'a')).toEqual(
      err('ERR Error loading the extension. Please check the server logs.'),
    );
    expect(run('MODULE', 'LOADEX', '/nonexistent.so', 'CONFIG', 'a')).toEqual(err(E.MODULE_LOAD_FAILED));
    expect(run('MODULE', 'UNLOAD', 'foo')).toEqual(err('ERR Error unloading module: no such module with that name'));
    expect(run('MODULE', 'LIST')).toEqual({ t: 'array', v: [] });
  });
});
