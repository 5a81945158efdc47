// A work queue two ways. On a stream with a consumer group (XADD, XREADGROUP, XACK), a message a
// consumer read stays pending until acknowledged: when the consumer dies, XAUTOCLAIM hands its
// messages to a live one. On a list with BRPOP, a popped message exists only in the consumer:
// kill it mid-job and the message is lost.

import type { Reply } from '../../engine/protocol/reply';
import { type Conn, replyArr, replyStr, type ScenarioPort } from './port';
import { type Choice, type Figure, type Scenario, Trace, traced } from './scenario';

export const STREAM = 'jobs:stream';
export const LIST = 'jobs:list';
const GROUP = 'workers';
export const JOB_MS = 300;
/** A pending message idle this long is taken over by XAUTOCLAIM. */
export const CLAIM_IDLE_MS = 2000;

export type QueueKind = 'stream' | 'list';

interface Consumer {
  readonly name: string;
  conn: Conn | null;
  /** The message being worked on: stream id or list payload. */
  job: string | null;
  /** Its payload (the job's name), for the figures. */
  label: string;
  until: number;
}

export class WorkQueueScenario implements Scenario {
  readonly title = 'A work queue: stream vs list';
  readonly description =
    `A producer adds jobs; two consumers take them, each job taking ${JOB_MS} ms. Kill consumer 1 while it ` +
    "works. On the stream its message stays in the group's pending list and, after " +
    `${CLAIM_IDLE_MS / 1000} s idle, consumer 2 takes it over with XAUTOCLAIM. On the list, BRPOP already ` +
    'removed it: the job is lost.';
  rate = 5;
  readonly rateRange = [1, 20] as const;
  readonly rateLabel = 'steps / s';
  kind: QueueKind = 'stream';
  private producer: Conn | null = null;
  private consumers: Consumer[] = [];
  private readonly log = new Trace(8);
  private seq = 0;
  /** Jobs in the list not yet popped, as the producer counts them (so BRPOP never waits in vain). */
  private listed = 0;
  stats = { produced: 0, done: 0, recovered: 0, lost: 0, deaths: 0 };

  constructor(private readonly port: ScenarioPort) {}

  async setup(): Promise<void> {
    if (this.producer) return;
    this.producer = traced(await this.port.open('queue-producer'), 'producer', this.log);
    const r = await this.producer.call(['XGROUP', 'CREATE', STREAM, GROUP, '$', 'MKSTREAM']);
    if (r.t === 'error' && !r.v.startsWith('BUSYGROUP')) throw new Error(r.v);
    for (const name of ['consumer-1', 'consumer-2'])
      this.consumers.push({ name, conn: null, job: null, label: '', until: 0 });
    for (const c of this.consumers) await this.connect(c);
  }

  private async connect(c: Consumer): Promise<void> {
    c.conn = traced(await this.port.open(c.name), c.name, this.log);
    c.job = null;
  }

  consumer(name: string): Consumer | undefined {
    return this.consumers.find((c) => c.name === name);
  }

  async produce(): Promise<void> {
    const p = this.producer as Conn;
    const job = `job-${++this.seq}`;
    if (this.kind === 'stream') await p.call(['XADD', STREAM, '*', 'job', job]);
    else {
      await p.call(['LPUSH', LIST, job]);
      this.listed++;
    }
    this.stats.produced++;
  }

  /** One step: a job produced, then every live consumer finishes or takes work. */
  async tick(): Promise<void> {
    await this.setup();
    await this.produce();
    const now = this.port.timing.now();
    for (const c of this.consumers) {
      if (c.conn === null || c.until > now) continue;
      if (c.job !== null) await this.complete(c);
      await this.take(c, now);
    }
  }

  private async complete(c: Consumer): Promise<void> {
    if (this.kind === 'stream') await (c.conn as Conn).call(['XACK', STREAM, GROUP, c.job as string]);
    this.stats.done++;
    c.job = null;
  }

  private async take(c: Consumer, now: number): Promise<void> {
    const conn = c.conn as Conn;
    if (this.kind === 'list') {
      if (this.listed === 0) return;
      this.listed--;
      const r = replyArr(await conn.call(['BRPOP', LIST, '1']));
      c.job = r.length === 2 ? replyStr(r[1]) : null;
      c.label = c.job ?? '';
    } else {
      // First what dead consumers left behind, then new messages.
      const claimed = replyArr(
        await conn.call(['XAUTOCLAIM', STREAM, GROUP, c.name, String(CLAIM_IDLE_MS), '0-0', 'COUNT', '1']),
      );
      const taken = replyArr(claimed[1] ?? { t: 'array', v: [] });
      if (taken.length > 0) {
        this.hold(c, taken[0]);
        this.stats.recovered++;
      } else {
        const r = replyArr(
          await conn.call(['XREADGROUP', 'GROUP', GROUP, c.name, 'COUNT', '1', 'STREAMS', STREAM, '>']),
        );
        const entries = r.length > 0 ? replyArr(replyArr(r[0])[1]) : [];
        if (entries.length > 0) this.hold(c, entries[0]);
        else c.job = null;
      }
    }
    if (c.job !== null) c.until = now + JOB_MS;
  }

  /** Take a stream entry [id, [field, value...]] as `c`'s job. */
  private hold(c: Consumer, entry: Reply): void {
    const [id, fields] = replyArr(entry);
    c.job = replyStr(id);
    c.label = replyStr(replyArr(fields)[1] ?? { t: 'bulk', v: null }) ?? c.job ?? '';
  }

  /** The consumer's process dies: its connection closes with whatever job it had. */
  async kill(name: string): Promise<void> {
    const c = this.consumer(name);
    if (!c?.conn) return;
    await c.conn.close();
    c.conn = null;
    this.stats.deaths++;
    // A stream's job stays pending in the group; a popped list item existed only in this process.
    if (c.job !== null && this.kind === 'list') this.stats.lost++;
    c.job = null;
  }

  async revive(name: string): Promise<void> {
    const c = this.consumer(name);
    if (c && c.conn === null) await this.connect(c);
  }

  /** Messages read but not acknowledged (the stream's pending list). */
  async pending(): Promise<number> {
    const r = replyArr(await (this.producer as Conn).call(['XPENDING', STREAM, GROUP]));
    return r[0]?.t === 'int' ? Number(r[0].v) : 0;
  }

  choices(): readonly Choice[] {
    return [
      {
        id: 'kind',
        label: 'Queue on',
        value: this.kind,
        options: [
          { value: 'stream', label: 'a stream + consumer group' },
          { value: 'list', label: 'a list + BRPOP' },
        ],
      },
    ];
  }

  async choose(id: string, value: string): Promise<void> {
    if (id === 'kind' && (value === 'stream' || value === 'list') && value !== this.kind) {
      this.kind = value;
      // Jobs in progress finish in the old mode's bookkeeping: start the consumers clean.
      for (const c of this.consumers) c.job = null;
    }
  }

  actions() {
    const c1 = this.consumer('consumer-1');
    const alive = c1?.conn != null;
    return [
      { id: 'kill', label: 'Kill consumer 1', disabled: !alive },
      { id: 'revive', label: 'Restart consumer 1', disabled: alive || c1 === undefined },
    ];
  }

  async act(id: string): Promise<void> {
    await this.setup();
    if (id === 'kill') await this.kill('consumer-1');
    if (id === 'revive') await this.revive('consumer-1');
  }

  figures(): readonly Figure[] {
    const s = this.stats;
    const state = (c: Consumer) => (c.conn === null ? 'dead' : c.job === null ? 'waiting' : `working on ${c.label}`);
    return [
      { id: 'produced', label: 'Jobs produced', value: String(s.produced) },
      { id: 'done', label: 'Jobs done', value: String(s.done), tone: 'good' },
      { id: 'recovered', label: 'Recovered by XAUTOCLAIM', value: String(s.recovered), tone: 'good' },
      { id: 'lost', label: 'Lost with a dead consumer', value: String(s.lost), tone: 'bad' },
      ...this.consumers.map((c) => ({ id: c.name, label: c.name.replace('-', ' '), value: state(c) })),
    ];
  }

  trace(): readonly string[] {
    return this.log.get();
  }

  async dispose(): Promise<void> {
    for (const c of this.consumers) await c.conn?.close();
    await this.producer?.close();
    this.consumers = [];
    this.producer = null;
  }
}
