// EVAL in the browser: the Lua VM (fengari) is a separate chunk the worker fetches after it starts;
// once it is there, scripts run and write keys like anywhere else.

import { expect, test } from '@playwright/test';
import { lines, openLab, PROMPT, send, text } from './lab';

test('EVAL runs a Lua script once the scripting chunk has loaded', async ({ page }) => {
  await openLab(page);
  // The first EVAL may race the chunk ("still loading, retry"): retry until the script runs.
  await expect
    .poll(
      async () => {
        await send(page, `EVAL "return redis.call('set', KEYS[1], ARGV[1])" 1 greeting hello`);
        return (await lines(page)).at(-2);
      },
      { timeout: 15_000 },
    )
    .toBe('OK');
  await send(page, 'GET greeting');
  await send(page, `EVAL "return {1, 2.9, 'x', tostring(10/2)}" 0`);
  await expect.poll(() => text(page)).toContain(`4) "5"\n${PROMPT}`);
  const out = await lines(page);
  expect(out.slice(-8)).toEqual([
    `${PROMPT}GET greeting`,
    '"hello"',
    `${PROMPT}EVAL "return {1, 2.9, 'x', tostring(10/2)}" 0`,
    '1) (integer) 1',
    '2) (integer) 2',
    '3) "x"',
    '4) "5"',
    PROMPT,
  ]);
});
