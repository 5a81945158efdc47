// `npm run server -- [config-file] [--option value ...]`: redis-server's command line over our engine
// (DESIGN §3, a contract). Options are CONFIG parameters; a config file holds "name value" lines,
// and `user <name> rule...` lines define ACL users (or `aclfile` names a file of them).

import { readFileSync } from 'node:fs';
import { checkConfiguredUsers, loadUsersAtStartup, type StartupLine } from '../acl/startup';
import { createEngine } from '../index';
import { VirtualDisk } from '../persistence/disk';
import { persistenceOf } from '../persistence/lifecycle';
import { FsStorage } from '../persistence/storage/fs';
import { splitArgs } from '../protocol/split-args';
import { RespServer } from './resp-server';

/** Parse redis-server style arguments into CONFIG name → value (later occurrences win; `save` accumulates). */
export function parseServerArgs(
  args: readonly string[],
  readFile: (p: string) => string,
  /** Where `user <name> rule...` directives go (each with its arguments), in order. */
  users?: string[][],
): Map<string, string> {
  const lines: string[][] = [];
  let i = 0;
  if (args.length > 0 && !args[0].startsWith('--')) {
    const text = readFile(args[0]);
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const argv = splitArgs(line);
      if (argv === null || argv.length === 0) throw new Error(`Bad directive or wrong number of arguments: ${line}`);
      lines.push(argv);
    }
    i = 1;
  }
  // "--port 7000 --save 900 1 --save '' --appendonly yes": values run until the next "--".
  let current: string[] | null = null;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--') && a.length > 2) {
      if (current) lines.push(current);
      current = [a.slice(2)];
    } else if (current) {
      current.push(a);
    } else {
      throw new Error(`Invalid argument: ${a}`);
    }
  }
  if (current) lines.push(current);
  const out = new Map<string, string>();
  let saveSeen = false;
  for (const [name, ...values] of lines) {
    const key = name.toLowerCase();
    if (key === 'user' && users !== undefined) {
      users.push(values);
    } else if (key === 'save') {
      // Several `save` directives add save points; `save ""` clears them.
      const v = values.join(' ');
      out.set('save', saveSeen && v !== '' ? `${out.get('save')} ${v}`.trim() : v);
      saveSeen = true;
    } else {
      out.set(key, values.join(' '));
    }
  }
  return out;
}

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${process.pid}:M ${new Date().toISOString()} ${line}\n`);
  let options: Map<string, string>;
  const users: string[][] = [];
  try {
    options = parseServerArgs(process.argv.slice(2), (p) => readFileSync(p, 'utf8'), users);
  } catch (err) {
    process.stderr.write(`*** FATAL CONFIG FILE ERROR ***\n${(err as Error).message}\n`);
    process.exit(1);
  }
  const config: Record<string, string> = {};
  for (const [k, v] of options) config[k] = v;
  // DESIGN §3: bind defaults to loopback.
  if (!('bind' in config)) config.bind = '127.0.0.1';
  let engine: ReturnType<typeof createEngine>;
  // Persistence files live under --dir (relative to the working directory, as after Redis's chdir).
  const storage = new FsStorage(process.cwd());
  try {
    engine = createEngine({ config, disk: new VirtualDisk(storage) });
  } catch (err) {
    process.stderr.write(`*** FATAL CONFIG FILE ERROR ***\n${(err as Error).message}\n`);
    process.exit(1);
  }
  // The config file's `user` directives are checked as the config is read (a bad rule is fatal)...
  const userError = checkConfiguredUsers(engine, users);
  if (userError !== null) {
    process.stderr.write(`*** FATAL CONFIG FILE ERROR ***\n${userError}\n`);
    process.exit(1);
  }
  // ...then ACLLoadUsersAtStartup applies them, or loads the aclfile; a failure is logged and exits.
  const aclLog: StartupLine[] = [];
  const aclOk = loadUsersAtStartup(engine, users, aclLog);
  for (const l of aclLog) log(`${l.level} ${l.text}`);
  if (!aclOk) process.exit(1);
  // Loaded at start as Redis does (AOF when appendonly is yes, else RDB); a failed load exits.
  const report = persistenceOf(engine).lastLoadReport;
  for (const l of report?.log ?? []) log(`${l.level} ${l.text}`);
  if (report && !report.ok) process.exit(1);
  const port = engine.config.getInt('port');
  const host = engine.config.get('bind').split(' ')[0].replace(/^-/, '');
  // Replies go out once per event-loop turn, after the AOF write (and fsync) that covers them.
  const persistence = persistenceOf(engine);
  persistence.aof.deferFlush = true;
  const server = new RespServer(engine, {
    port,
    host,
    log,
    beforeSleep: () => persistence.aof.flushBeforeSleep(),
    deferReplies: () => persistence.aof.state !== 'off',
  });
  const bound = await server.listen();
  const hz = Math.max(1, engine.config.getInt('hz'));
  const timer = setInterval(() => engine.cron(), Math.min(100, 1000 / hz));
  log(`* Server initialized (Redis Lab engine, Redis 7.0 compatible)`);
  log(`* Ready to accept connections tcp port=${bound}`);
  let stopping = false;
  const exit = async () => {
    clearInterval(timer);
    await server.close();
    storage.closeAll();
    process.exit(0);
  };
  // Server log lines (persistence...) and SHUTDOWN.
  engine.on((e) => {
    if (e.type === 'log') log(`${e.level} ${e.text}`);
    else if (e.type === 'shutdown' && !stopping) {
      stopping = true;
      setImmediate(() => void exit());
    }
  });
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`# Received ${signal} scheduling shutdown...`);
    clearInterval(timer);
    // Persistence saves here when save points are set (prepareForShutdown), and logs "bye bye".
    for (const hook of engine.shutdownHooks) await hook();
    await exit();
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

if (process.argv[1] && /main\.[tj]s$/.test(process.argv[1])) void main();
