// Regenerates engine/protocol/testdata/ from the real redis-server and redis-cli 7.0 (Debian's
// packages): COMMAND DOCS of every command, the grey hint redis-cli shows for ~1500 inputs (typed
// into redis-cli running in tmux, read back with capture-pane), and HELP outputs.
// Usage: npx tsx scripts/capture-redis-cli.ts   (needs redis-server, redis-cli, tmux)

import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';

const OUT = join(import.meta.dirname, '..', 'engine', 'protocol', 'testdata');
const TMUX = 'redis-lab-capture';

interface Arg {
  name: string;
  type: string;
  token?: string;
  optional?: true;
  multiple?: true;
  multipleToken?: true;
  args?: Arg[];
}
interface Doc {
  name: string;
  group: string;
  summary: string;
  since: string;
  args?: Arg[];
  subcommands?: Doc[];
}
type Flat = (string | number | Flat)[];

const pairs = (a: Flat): Record<string, Flat[number]> => {
  const o: Record<string, Flat[number]> = {};
  for (let i = 0; i < a.length; i += 2) o[String(a[i])] = a[i + 1];
  return o;
};

function arg(raw: Flat): Arg {
  const m = pairs(raw);
  const out: Arg = { name: String(m.name), type: String(m.type) };
  if (m.token !== undefined) out.token = String(m.token);
  const flags = (m.flags ?? []) as string[];
  if (flags.includes('optional')) out.optional = true;
  if (flags.includes('multiple')) out.multiple = true;
  if (flags.includes('multiple_token')) out.multipleToken = true;
  if (m.arguments) out.args = (m.arguments as Flat[]).map(arg);
  return out;
}

function doc(name: string, raw: Flat): Doc {
  const m = pairs(raw);
  const out: Doc = {
    name: (name.includes('|') ? name.split('|')[1] : name).toUpperCase(),
    group: String(m.group),
    summary: String(m.summary),
    since: String(m.since),
  };
  if (m.arguments) out.args = (m.arguments as Flat[]).map(arg);
  if (m.subcommands) {
    const subs = pairs(m.subcommands as Flat);
    out.subcommands = Object.keys(subs)
      .sort()
      .map((k) => doc(k, subs[k] as Flat));
  }
  return out;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

/** The hint redis-cli shows after `input`: the grey (ESC[90m) text right after the line. */
async function captureHints(port: number, inputs: string[]): Promise<[string, string][]> {
  tmux(
    'new-session',
    '-d',
    '-s',
    TMUX,
    '-x',
    '1500',
    '-y',
    '20',
    `env REDISCLI_HISTFILE=/dev/null redis-cli -p ${port}`,
  );
  await sleep(600);
  const out: [string, string][] = [];
  try {
    for (const input of inputs) {
      tmux('send-keys', '-t', TMUX, 'C-u');
      tmux('send-keys', '-t', TMUX, '-l', input);
      await sleep(120);
      const pane = tmux('capture-pane', '-t', TMUX, '-p', '-e', '-J');
      const line = pane.split('\n').find((l) => l.startsWith('127.0.0.1:')) ?? '';
      const at = line.indexOf('\x1b[90m');
      let hint = '';
      if (at >= 0) {
        const rest = line.slice(at + 5);
        const end = rest.indexOf('\x1b[');
        hint = end >= 0 ? rest.slice(0, end) : rest;
      }
      out.push([input, hint]);
    }
  } finally {
    tmux('kill-session', '-t', TMUX);
  }
  return out;
}

function hintInputs(docs: Doc[]): string[] {
  const out: string[] = [];
  for (const c of docs) {
    if (c.subcommands) {
      out.push(c.name, `${c.name} `);
      for (const s of c.subcommands) {
        out.push(
          `${c.name} ${s.name} `,
          `${c.name.toLowerCase()} ${s.name.toLowerCase()} x`,
          `${c.name} ${s.name} a b `,
        );
      }
    } else {
      out.push(c.name, `${c.name} `, `${c.name.toLowerCase()} a`, `${c.name} a b `, `${c.name} a b c d e `);
    }
  }
  out.push('SET "a b" ', "SET 'x y' v", 'SET "unbalanced', '  set   k  ', 'ZADD k NX 1 m ', 'zadd k 1');
  out.push('HELP SET', 'help ', 'CONFIG GET a b c', 'client kill id 3 ', 'x');
  return out;
}

const HELP_CASES = [
  [],
  ['set'],
  ['SET'],
  ['config'],
  ['config', 'get'],
  ['@hyperloglog'],
  ['@string'],
  ['nosuch'],
  ['@nosuch'],
  ['client', 'kill'],
  ['Client', 'NoSuch'],
];

async function main(): Promise<void> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  await sleep(500);
  try {
    const r = new Redis({ port });
    const raw = (await r.call('COMMAND', 'DOCS')) as Flat;
    r.disconnect();
    const byName = pairs(raw);
    const docs = Object.keys(byName)
      .sort()
      .map((k) => doc(k, byName[k] as Flat));
    writeFileSync(join(OUT, 'redis-7.0-command-docs.json'), `${JSON.stringify(docs)}\n`);
    const hints = await captureHints(port, hintInputs(docs));
    writeFileSync(join(OUT, 'redis-cli-7.0-hints.json'), `[\n${hints.map((h) => JSON.stringify(h)).join(',\n')}\n]\n`);
    const help = HELP_CASES.map((args) => [
      args,
      execFileSync('redis-cli', ['-p', String(port), 'help', ...args], { encoding: 'latin1' }),
    ]);
    writeFileSync(join(OUT, 'redis-cli-7.0-help.json'), `[\n${help.map((h) => JSON.stringify(h)).join(',\n')}\n]\n`);
    execFileSync('npx', ['biome', 'format', '--write', OUT], { stdio: 'inherit' });
  } finally {
    server.kill();
  }
}

await main();
