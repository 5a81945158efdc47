// A distributed lock contended by several workers: SET lock NX PX <ttl> with a random token to take
// it, a Lua compare-and-delete to release it. A "slow" worker (a GC pause) can outlive the lock's
// TTL: another worker takes it, and the safe release then refuses to delete the other's lock. With
// the naive release (plain DEL) the late worker deletes it, and a third worker gets in too.

import { type Conn, isOk, replyInt, rng, type ScenarioPort } from './port';
import { type Choice, type Figure, type Scenario, Trace, traced } from './scenario';

export const LOCK_KEY = 'lock:invoice-run';
export const LOCK_TTL_MS = 500;
const WORK_MS = 200;
const RETRY_MS = 100;

/** Delete the lock only if it still holds our token (returns 1 if deleted). */
export const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
else
  return 0
end`;

type WorkerState = 'idle' | 'working';

interface Worker {
  readonly name: string;
  conn: Conn;
  state: WorkerState;
  token: string;
  /** When the current step ends (work done, or the next try). */
  until: number;
}

export class LockScenario implements Scenario {
  readonly title = 'A lock, contended';
  readonly description =
    `Three workers want the same lock (TTL ${LOCK_TTL_MS} ms); each holds it for about ${WORK_MS} ms. Turn on ` +
    'the pause: worker 1 sometimes stalls past the TTL, the lock expires under it and another worker takes ' +
    'it. The safe release (Lua compare-and-delete) then refuses to delete a lock that is no longer its own.';
  rate = 20;
  readonly rateRange = [5, 40] as const;
  readonly rateLabel = 'steps / s';
  release: 'safe' | 'naive' = 'safe';
  pauses = false;
  private workers: Worker[] = [];
  private readonly log = new Trace(8);
  private readonly random: () => number;
  private seq = 0;
  stats = { acquired: 0, busy: 0, done: 0, expiredUnder: 0, refusedReleases: 0, wrongDeletes: 0, overlaps: 0 };

  constructor(
    private readonly port: ScenarioPort,
    seed = 3,
  ) {
    this.random = rng(seed);
  }

  async setup(): Promise<void> {
    if (this.workers.length > 0) return;
    for (let i = 1; i <= 3; i++) {
      const name = `worker ${i}`;
      const conn = traced(await this.port.open(`lock-worker-${i}`), name, this.log);
      this.workers.push({ name, conn, state: 'idle', token: '', until: 0 });
    }
  }

  /** How many workers believe they are inside the critical section. */
  inside(): number {
    return this.workers.filter((w) => w.state === 'working').length;
  }

  /** Advance every worker whose step is due. */
  async tick(): Promise<void> {
    await this.setup();
    const now = this.port.timing.now();
    for (const w of this.workers) {
      if (w.until > now) continue;
      if (w.state === 'idle') await this.tryAcquire(w, now);
      else await this.finish(w);
    }
  }

  private async tryAcquire(w: Worker, now: number): Promise<void> {
    const token = `${w.name.replace(' ', '-')}:${++this.seq}`;
    const r = await w.conn.call(['SET', LOCK_KEY, token, 'NX', 'PX', String(LOCK_TTL_MS)]);
    if (!isOk(r)) {
      this.stats.busy++;
      w.until = now + RETRY_MS;
      return;
    }
    this.stats.acquired++;
    if (this.inside() > 0) this.stats.overlaps++;
    w.state = 'working';
    w.token = token;
    // Worker 1, with pauses on, stalls every other time for twice the TTL.
    const stall = this.pauses && w === this.workers[0] && this.random() < 0.5;
    w.until = now + (stall ? 2 * LOCK_TTL_MS : WORK_MS * (0.5 + this.random()));
  }

  private async finish(w: Worker): Promise<void> {
    this.stats.done++;
    if (this.release === 'safe') {
      const deleted = replyInt(await w.conn.call(['EVAL', RELEASE_LUA, '1', LOCK_KEY, w.token]));
      if (deleted === 0) {
        this.stats.expiredUnder++;
        this.stats.refusedReleases++;
      }
    } else {
      const [value] = await w.conn.pipeline([['GET', LOCK_KEY]]);
      if (!(value.t === 'bulk' && value.v === w.token)) {
        this.stats.expiredUnder++;
        if (value.t === 'bulk' && value.v !== null) this.stats.wrongDeletes++;
      }
      // LAB: the naive release, for contrast — it deletes whatever lock is there.
      await w.conn.call(['DEL', LOCK_KEY]);
    }
    w.state = 'idle';
    w.token = '';
    w.until = this.port.timing.now() + RETRY_MS;
  }

  choices(): readonly Choice[] {
    return [
      {
        id: 'pauses',
        label: 'Worker 1 pauses',
        value: this.pauses ? 'on' : 'off',
        options: [
          { value: 'off', label: 'never' },
          { value: 'on', label: 'past the TTL' },
        ],
      },
      {
        id: 'release',
        label: 'Release',
        value: this.release,
        options: [
          { value: 'safe', label: 'Lua compare-and-delete' },
          { value: 'naive', label: 'plain DEL (unsafe)' },
        ],
      },
    ];
  }

  async choose(id: string, value: string): Promise<void> {
    if (id === 'pauses') this.pauses = value === 'on';
    if (id === 'release') this.release = value === 'naive' ? 'naive' : 'safe';
  }

  actions() {
    return [];
  }

  async act(): Promise<void> {}

  figures(): readonly Figure[] {
    const s = this.stats;
    const holders = this.workers.filter((w) => w.state === 'working').map((w) => w.name);
    return [
      {
        id: 'holders',
        label: 'Inside now',
        value: holders.length === 0 ? 'nobody' : holders.join(', '),
        tone: holders.length > 1 ? 'bad' : undefined,
      },
      { id: 'acquired', label: 'Lock taken', value: String(s.acquired), tone: 'good' },
      { id: 'busy', label: 'Found it taken (retry)', value: String(s.busy) },
      { id: 'expired', label: 'Expired under its holder', value: String(s.expiredUnder), tone: 'bad' },
      { id: 'refused', label: 'Releases refused (not ours)', value: String(s.refusedReleases), tone: 'good' },
      { id: 'wrong-deletes', label: "Deleted another's lock", value: String(s.wrongDeletes), tone: 'bad' },
      { id: 'overlaps', label: 'Entered while another was inside', value: String(s.overlaps), tone: 'bad' },
    ];
  }

  trace(): readonly string[] {
    return this.log.get();
  }

  async dispose(): Promise<void> {
    for (const w of this.workers) await w.conn.close();
    this.workers = [];
  }
}
