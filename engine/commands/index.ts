// Every command group's declarations, gathered into the one table.

import { BITMAP_COMMANDS } from './bitmap';
import { CONNECTION_COMMANDS } from './connection';
import type { CommandSpec } from './define';
import { GEO_COMMANDS } from './geo';
import { HASH_COMMANDS } from './hash';
import { HLL_COMMANDS } from './hll';
import { KEYS_COMMANDS } from './keys';
import { LIST_COMMANDS } from './list';
import { PERSISTENCE_COMMANDS } from './persistence';
import { PUBSUB_COMMANDS } from './pubsub';
import { FUNCTION_COMMANDS } from './scripting-functions';
import { SCRIPTING_COMMANDS } from './scripting';
import { SERVER_COMMANDS } from './server';
import { SET_COMMANDS } from './set';
import { SORT_COMMANDS } from './sort';
import { STREAM_COMMANDS } from './stream';
import { STRING_COMMANDS } from './string';
import { CommandTable } from './table';
import { TRANSACTION_COMMANDS } from './transactions';
import { ZSET_COMMANDS } from './zset';

export const ALL_COMMANDS: readonly CommandSpec[] = [
  ...STRING_COMMANDS,
  ...SERVER_COMMANDS,
  ...CONNECTION_COMMANDS,
  ...KEYS_COMMANDS,
  ...ZSET_COMMANDS,
  ...HASH_COMMANDS,
  ...SET_COMMANDS,
  ...TRANSACTION_COMMANDS,
  ...PUBSUB_COMMANDS,
  ...LIST_COMMANDS,
  ...SORT_COMMANDS,
  ...BITMAP_COMMANDS,
  ...HLL_COMMANDS,
  ...GEO_COMMANDS,
  ...PERSISTENCE_COMMANDS,
  ...STREAM_COMMANDS,
  ...SCRIPTING_COMMANDS,
  ...FUNCTION_COMMANDS,
];

export const commandTable = new CommandTable(ALL_COMMANDS);
