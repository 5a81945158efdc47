// A rate limiter hit by a request generator: fixed window (INCR, and EXPIRE on the window's first
// request), sliding window (a sorted set of request times: ZREMRANGEBYSCORE, ZCARD, ZADD) and a
// token bucket in Lua (EVAL, atomic). Counts allowed and refused, and the last second's allowed.

import { type Conn, replyInt, type ScenarioPort } from './port';
import { type Choice, type Figure, type Scenario, Trace, traced } from './scenario';

export type Limiter = 'fixed' | 'sliding' | 'bucket';

const USER = 'user:42';

/**
 * Token bucket: KEYS[1] a hash {tokens, ts}; ARGV capacity, refill per second, now (ms).
 * Refills by the elapsed time, takes one token if there is one; returns 1 (allowed) or 0.
 */
export const TOKEN_BUCKET_LUA = `local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or capacity
local ts = tonumber(b[2]) or now
tokens = math.min(capacity, tokens + (math.max(0, now - ts) * rate / 1000))
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
return allowed`;

export class RateLimitScenario implements Scenario {
  readonly title = 'Rate limiter';
  readonly description =
    `Requests from ${USER} arrive at the generator's rate; the limiter allows a fixed number per second. ` +
    'Push the rate above the limit and watch the refusals. A fixed window lets a burst through at each ' +
    'window edge; the sliding window and the token bucket smooth it.';
  rate = 15;
  readonly rateRange = [1, 50] as const;
  readonly rateLabel = 'requests / s';
  limiter: Limiter = 'fixed';
  limit = 10;
  private conn: Conn | null = null;
  private readonly log = new Trace();
  private seq = 0;
  private readonly recent: number[] = [];
  stats = { sent: 0, allowed: 0, refused: 0 };

  constructor(private readonly port: ScenarioPort) {}

  async setup(): Promise<void> {
    this.conn ??= traced(await this.port.open('rate-limiter'), 'api', this.log);
  }

  /** One request through the current limiter: true if allowed. */
  async request(): Promise<boolean> {
    await this.setup();
    const c = this.conn as Conn;
    const now = Math.floor(this.port.timing.now());
    let allowed: boolean;
    switch (this.limiter) {
      case 'fixed': {
        const key = `rl:fixed:${USER}`;
        const n = replyInt(await c.call(['INCR', key]));
        // The window starts with its first request; the key's expiry ends it.
        if (n === 1) await c.call(['EXPIRE', key, '1']);
        allowed = n <= this.limit;
        break;
      }
      case 'sliding': {
        const key = `rl:sliding:${USER}`;
        const [, count] = await c.pipeline([
          ['ZREMRANGEBYSCORE', key, '-inf', String(now - 1000)],
          ['ZCARD', key],
        ]);
        // LAB: check-then-add is two round trips: two servers could both pass. The Lua bucket is atomic.
        allowed = replyInt(count) < this.limit;
        if (allowed)
          await c.pipeline([
            ['ZADD', key, String(now), `${now}-${++this.seq}`],
            ['PEXPIRE', key, '1000'],
          ]);
        break;
      }
      case 'bucket': {
        const r = await c.call([
          'EVAL',
          TOKEN_BUCKET_LUA,
          '1',
          `rl:bucket:${USER}`,
          String(this.limit),
          String(this.limit),
          String(now),
        ]);
        allowed = replyInt(r) === 1;
        break;
      }
    }
    this.stats.sent++;
    if (allowed) {
      this.stats.allowed++;
      this.recent.push(now);
    } else this.stats.refused++;
    return allowed;
  }

  async tick(): Promise<void> {
    await this.request();
  }

  /** Requests allowed in the last second (of the scenario's time). */
  allowedLastSecond(): number {
    const now = this.port.timing.now();
    while (this.recent.length > 0 && this.recent[0] <= now - 1000) this.recent.shift();
    return this.recent.length;
  }

  choices(): readonly Choice[] {
    return [
      {
        id: 'limiter',
        label: 'Algorithm',
        value: this.limiter,
        options: [
          { value: 'fixed', label: 'Fixed window (INCR + EXPIRE)' },
          { value: 'sliding', label: 'Sliding window (sorted set)' },
          { value: 'bucket', label: 'Token bucket (Lua)' },
        ],
      },
      {
        id: 'limit',
        label: 'Limit',
        value: String(this.limit),
        options: ['5', '10', '20'].map((v) => ({ value: v, label: `${v} / s` })),
      },
    ];
  }

  async choose(id: string, value: string): Promise<void> {
    if (id === 'limiter') this.limiter = value as Limiter;
    if (id === 'limit') this.limit = Number(value);
  }

  actions() {
    return [{ id: 'burst', label: 'Send a burst of 20' }];
  }

  async act(id: string): Promise<void> {
    if (id === 'burst') for (let i = 0; i < 20; i++) await this.request();
  }

  figures(): readonly Figure[] {
    const s = this.stats;
    return [
      { id: 'sent', label: 'Requests', value: String(s.sent) },
      { id: 'allowed', label: 'Allowed', value: String(s.allowed), tone: 'good' },
      { id: 'refused', label: 'Refused (429)', value: String(s.refused), tone: 'bad' },
      { id: 'last-second', label: 'Allowed in the last second', value: String(this.allowedLastSecond()) },
      { id: 'limit', label: 'Limit', value: `${this.limit} / s` },
    ];
  }

  trace(): readonly string[] {
    return this.log.get();
  }

  async dispose(): Promise<void> {
    await this.conn?.close();
    this.conn = null;
  }
}
