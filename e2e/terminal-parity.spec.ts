// Line-for-line parity with the real redis-cli 7.0: a scripted session of every data type is typed
// into the lab with the keyboard, and fed to `redis-cli --no-raw` (redis-cli's TTY format without a
// terminal) against a real redis-server started here on a free port. Each command's reply lines in
// the lab must equal redis-cli's, and the prompt must carry the [db] redis-cli would show.

import { expect, test } from '@playwright/test';
import { CLI_SESSION } from './cli-session.data';
import { lines, openLab, run } from './lab';
import { type RealRedis, redisCliSession, redisCliVersion, startRealRedis } from './oracle';

let real: RealRedis;

test.beforeAll(async () => {
  real = await startRealRedis();
});

test.afterAll(async () => {
  await real?.stop();
});

/** HELLO's reply holds the connection's client id, which differs between the lab and real Redis. */
function maskClientId(command: string, reply: string[]): string[] {
  if (!/^HELLO\b/i.test(command)) return reply;
  return reply.map((line, i) =>
    line.includes('"id" =>') || reply[i - 1]?.endsWith(') "id"')
      ? line.replace(/\(integer\) \d+$/, '(integer) <id>')
      : line,
  );
}

const PROMPT_RE = /^127\.0\.0\.1:6379(\[\d+\])?(\(TX\))?> /;

/** Cut the lab's screen into [prompt line, reply lines] per command, in order. */
function perCommand(screen: string[], commands: readonly string[]): { prompt: string; reply: string[] }[] {
  const out: { prompt: string; reply: string[] }[] = [];
  let at = 0;
  for (const command of commands) {
    while (at < screen.length && !(PROMPT_RE.test(screen[at]) && screen[at].endsWith(command))) at++;
    if (at >= screen.length) throw new Error(`the lab's screen has no prompt line for: ${command}`);
    const prompt = screen[at].slice(0, screen[at].length - command.length);
    let end = at + 1;
    while (end < screen.length && !PROMPT_RE.test(screen[end])) end++;
    out.push({ prompt, reply: screen.slice(at + 1, end) });
    at = end;
  }
  return out;
}

test(`a ${CLI_SESSION.length}-command session prints what the real redis-cli prints`, async ({ page }) => {
  test.setTimeout(180_000);
  expect(CLI_SESSION.length).toBeGreaterThanOrEqual(50);
  expect(redisCliVersion()).toMatch(/^redis-cli 7\.0\./);
  const expected = redisCliSession(real.port, CLI_SESSION);

  await openLab(page);
  // Every command fits on one row, so the screen's rows are the lines redis-cli printed.
  const cols = await page.evaluate(() => window.__lab?.geometry().cols ?? 0);
  const longest = Math.max(...CLI_SESSION.map((c) => c.length)) + '127.0.0.1:6379[2]> '.length;
  expect(cols).toBeGreaterThan(longest);
  for (const command of CLI_SESSION) await run(page, command);

  const got = perCommand(await lines(page), CLI_SESSION);
  let db = 0;
  let compared = 0;
  const mismatches: string[] = [];
  CLI_SESSION.forEach((command, i) => {
    // A row's trailing blanks are not in the terminal's text (redis-cli ends the unknown-command
    // error with one): compare lines without them.
    const want = maskClientId(
      command,
      expected[i].map((l) => l.trimEnd()),
    );
    const have = maskClientId(
      command,
      got[i].reply.map((l) => l.trimEnd()),
    );
    const prompt = `127.0.0.1:6379${db === 0 ? '' : `[${db}]`}> `;
    if (got[i].prompt !== prompt) mismatches.push(`prompt before ${command}: ${got[i].prompt} != ${prompt}`);
    if (JSON.stringify(want) !== JSON.stringify(have)) {
      mismatches.push(`${command}\n  redis-cli: ${JSON.stringify(want)}\n  lab:       ${JSON.stringify(have)}`);
    }
    compared += want.length;
    const select = /^SELECT (\d+)$/.exec(command);
    if (select && want[0] === 'OK') db = Number(select[1]);
  });
  console.log(
    `redis-cli parity: ${CLI_SESSION.length} commands, ${compared} reply lines compared, ${mismatches.length} mismatches`,
  );
  expect(mismatches).toEqual([]);
  await page.screenshot({ path: 'e2e/screenshots/terminal-parity.png' });
});
