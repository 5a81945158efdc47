// One client's CLIENT LIST / CLIENT INFO line (networking.c catClientInfoString) and CLIENT KILL's
// freeClient, shared by CLIENT (commands/connection-client.ts) and ACL (a denied command's log entry,
// a deleted user's connections). Kept apart from the CLIENT command so that the worker's first chunk
// (which holds ACL's check) does not carry CLIENT and client-side caching.

import type { Client } from './client';
import type { TrackingState } from './keyspace/tracking';
import { multiState } from './multi';
import { pubsubCounts } from './commands/pubsub';

/** Bytes of the query buffer allocation (PROTO_IOBUF_LEN 16 KiB, rounded up by jemalloc, minus header). */
const QUERY_BUF_ALLOC = 20474;

/** The client's CLIENT TRACKING state (tracking.c's client fields), undefined while tracking is off. */
export function trackingState(c: Client): TrackingState | undefined {
  return c.ext.tracking as TrackingState | undefined;
}

function encodedLength(argv: readonly string[]): number {
  let n = `*${argv.length}\r\n`.length;
  for (const a of argv) n += `$${a.length}\r\n`.length + a.length + 2;
  return n;
}

/**
 * catClientInfoString. `current` is the client running CLIENT LIST/INFO with its argv: Redis shows
 * that command in its own line (cmd, qbuf, argv-mem).
 */
export function clientInfoLine(c: Client, current: Client, argv: readonly string[], fullname: string): string {
  const nowSec = Math.floor(c.engine.now() / 1000);
  const self = c === current;
  const multi = multiState(c);
  const subs = pubsubCounts(c);
  const qbuf = self ? encodedLength(argv) : c.queryBufferLength;
  const argvMem = self ? argv.reduce((n, a) => n + a.length, 0) : 0;
  // LAB: reply-buffer sizes and tot-mem are modelled (an active client keeps 16 KiB, an idle one 1 KiB).
  const rbs = self ? 16384 : 1024;
  const rbp = self ? 16384 : 0;
  const totMem = QUERY_BUF_ALLOC + rbs + argvMem + 774 + (self ? 8 * argv.length : 0);
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${c.fd} name=${c.name}` +
    ` age=${nowSec - Math.floor(c.createdAt / 1000)} idle=${nowSec - Math.floor(c.lastInteraction / 1000)}` +
    ` flags=${c.flagString()} db=${c.db.id} sub=${subs.sub} psub=${subs.psub} ssub=${subs.ssub}` +
    ` multi=${multi ? multi.queue.length : -1} qbuf=${qbuf} qbuf-free=${Math.max(0, QUERY_BUF_ALLOC - qbuf)}` +
    ` argv-mem=${argvMem} multi-mem=0 rbs=${rbs} rbp=${rbp} obl=0 oll=0 omem=0 tot-mem=${totMem}` +
    ` events=r cmd=${self ? fullname : c.lastCommand} user=${c.user.name} redir=${trackingState(c)?.redirect ?? -1} resp=${c.resp}`
  );
}

/** CLIENT KILL: free another client now, or close this one after its reply. */
export function killClient(target: Client, self: Client): void {
  if (target === self) {
    self.closeAsap = true;
    return;
  }
  target.engine.removeClient(target);
  target.close();
}
