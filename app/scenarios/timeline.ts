// The Twitter timeline (fan-out on write): a tweet posted by an account is pushed into every
// follower's `timeline:<id>` sorted set (ZADD, then ZREMRANGEBYRANK to keep the newest N), so a
// read is one ZRANGE ... REV. The figures compare the writes paid at post time with the reads.

import { type Conn, replyArr, replyInt, rng, type ScenarioPort } from './port';
import { type Choice, type Figure, type Scenario, Trace, traced } from './scenario';

const AUTHOR = 1;
const tl = (user: number) => `timeline:${user}`;

export class TimelineScenario implements Scenario {
  readonly title = 'Timeline fan-out';
  readonly description =
    "Account 1 posts; each tweet is written into every follower's timeline:<id> sorted set (ZADD) and the " +
    'set is trimmed to the newest tweets (ZREMRANGEBYRANK). Reading a timeline is then a single ZRANGE … REV. ' +
    'Change the follower count: the cost moves to post time, reads stay one command.';
  rate = 10;
  readonly rateRange = [1, 50] as const;
  readonly rateLabel = 'events / s';
  followers = 100;
  keep = 50;
  readsPerPost = 20;
  private conn: Conn | null = null;
  private readonly log = new Trace();
  private readonly random: () => number;
  private ready = false;
  stats = { posts: 0, fanoutWrites: 0, trims: 0, reads: 0, tweetsRead: 0 };

  constructor(
    private readonly port: ScenarioPort,
    seed = 11,
  ) {
    this.random = rng(seed);
  }

  async setup(): Promise<void> {
    this.conn ??= traced(await this.port.open('timeline-app'), 'app', this.log);
    if (this.ready) return;
    const ids = Array.from({ length: this.followers }, (_, i) => String(i + 100));
    await this.conn.pipeline([
      ['DEL', `followers:${AUTHOR}`],
      ['SADD', `followers:${AUTHOR}`, ...ids],
    ]);
    this.ready = true;
  }

  /** Account 1 tweets: store the tweet, then fan it out to every follower's timeline. */
  async post(): Promise<number> {
    await this.setup();
    const c = this.conn as Conn;
    const id = replyInt(await c.call(['INCR', 'next_tweet_id']));
    const now = Math.floor(this.port.timing.now());
    const [, members] = await c.pipeline([
      ['HSET', `tweet:${id}`, 'author', String(AUTHOR), 'text', `tweet number ${id}`, 'ts', String(now)],
      ['SMEMBERS', `followers:${AUTHOR}`],
    ]);
    const fanout: string[][] = [];
    for (const m of replyArr(members)) {
      if (m.t !== 'bulk' || m.v === null) continue;
      fanout.push(['ZADD', `timeline:${m.v}`, String(id), `tweet:${id}`]);
      // Keep the newest `keep`: remove ranks 0 .. -(keep+1), the oldest.
      fanout.push(['ZREMRANGEBYRANK', `timeline:${m.v}`, '0', String(-(this.keep + 1))]);
    }
    const replies = await c.pipeline(fanout);
    this.stats.posts++;
    this.stats.fanoutWrites += fanout.length / 2;
    this.stats.trims += replies.filter((r, i) => i % 2 === 1 && replyInt(r) > 0).length;
    return id;
  }

  /** A follower opens the app: the newest 10 tweets of their timeline. */
  async read(user = 100 + Math.floor(this.random() * this.followers)): Promise<string[]> {
    await this.setup();
    const r = await (this.conn as Conn).call(['ZRANGE', tl(user), '0', '9', 'REV']);
    const ids = replyArr(r).map((x) => (x.t === 'bulk' ? (x.v ?? '') : ''));
    this.stats.reads++;
    this.stats.tweetsRead += ids.length;
    return ids;
  }

  async tick(): Promise<void> {
    // The first event is a post, so the first reads find something.
    if (this.random() < 1 / (this.readsPerPost + 1) || this.stats.posts === 0) await this.post();
    else await this.read();
  }

  choices(): readonly Choice[] {
    return [
      {
        id: 'followers',
        label: 'Followers',
        value: String(this.followers),
        options: ['10', '100', '1000'].map((v) => ({ value: v, label: v })),
      },
      {
        id: 'keep',
        label: 'Timeline keeps',
        value: String(this.keep),
        options: ['5', '50'].map((v) => ({ value: v, label: `${v} tweets` })),
      },
      {
        id: 'reads',
        label: 'Reads per post',
        value: String(this.readsPerPost),
        options: ['1', '20', '100'].map((v) => ({ value: v, label: v })),
      },
    ];
  }

  async choose(id: string, value: string): Promise<void> {
    if (id === 'followers') {
      this.followers = Number(value);
      this.ready = false;
      await this.setup();
    }
    if (id === 'keep') this.keep = Number(value);
    if (id === 'reads') this.readsPerPost = Number(value);
  }

  actions() {
    return [{ id: 'post', label: 'Post a tweet now' }];
  }

  async act(id: string): Promise<void> {
    if (id === 'post') await this.post();
  }

  figures(): readonly Figure[] {
    const s = this.stats;
    return [
      { id: 'posts', label: 'Tweets posted', value: String(s.posts) },
      { id: 'fanout', label: 'ZADDs at post time', value: String(s.fanoutWrites), tone: 'bad' },
      { id: 'per-post', label: 'Writes per tweet', value: s.posts === 0 ? '–' : String(s.fanoutWrites / s.posts) },
      { id: 'trims', label: 'Trims that removed tweets', value: String(s.trims) },
      { id: 'reads', label: 'Timeline reads (1 command each)', value: String(s.reads), tone: 'good' },
      {
        id: 'ratio',
        label: 'Reads per write',
        value: s.fanoutWrites === 0 ? '–' : (s.reads / s.fanoutWrites).toFixed(2),
      },
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
