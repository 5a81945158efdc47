// The command groups outside the core (core.ts): the collection types, SORT, bitmaps, HLL, geo,
// streams, scripting, persistence, COMMAND, INFO, DEBUG/MEMORY, DUMP/RESTORE, CLIENT (with client-side
// caching), ACL, and the cluster,
// module, latency, LOLWUT and replication commands a standalone server answers. The browser worker
// loads them in its second chunk, once its terminal is ready (engine/worker/lab-server.ts).

import { ACL_COMMANDS } from './acl';
import { BITMAP_COMMANDS } from './bitmap';
import { CLUSTER_COMMANDS } from './cluster';
import { CLIENT } from './connection-client';
import type { CommandSpec } from './define';
import { GEO_COMMANDS } from './geo';
import { HASH_COMMANDS } from './hash';
import { HLL_COMMANDS } from './hll';
import { LATENCY } from './latency';
import { LOLWUT } from './lolwut';
import { MODULE } from './module';
import { DUMP_COMMANDS } from './keys-dump';
import { LIST_COMMANDS } from './list';
import { PERSISTENCE_COMMANDS } from './persistence';
import { REPLICATION_COMMANDS } from './replication';
import { FUNCTION_COMMANDS } from './scripting-functions';
import { SCRIPTING_COMMANDS } from './scripting';
import { COMMAND } from './server-command';
import { SERVER_DEBUG_COMMANDS } from './server-debug';
import { INFO } from './server-info';
import { SET_COMMANDS } from './set';
import { SORT_COMMANDS } from './sort';
import { STREAM_COMMANDS } from './stream';
import { ZSET_COMMANDS } from './zset';

export const REST_COMMANDS: readonly CommandSpec[] = [
  ...ACL_COMMANDS,
  CLIENT,
  ...ZSET_COMMANDS,
  ...HASH_COMMANDS,
  ...SET_COMMANDS,
  ...LIST_COMMANDS,
  ...SORT_COMMANDS,
  ...BITMAP_COMMANDS,
  ...HLL_COMMANDS,
  ...GEO_COMMANDS,
  ...PERSISTENCE_COMMANDS,
  ...STREAM_COMMANDS,
  ...SCRIPTING_COMMANDS,
  ...FUNCTION_COMMANDS,
  COMMAND,
  INFO,
  ...SERVER_DEBUG_COMMANDS,
  ...DUMP_COMMANDS,
  ...CLUSTER_COMMANDS,
  MODULE,
  LATENCY,
  LOLWUT,
  ...REPLICATION_COMMANDS,
];
