// Every command group's declarations, gathered into the one table.

import { CONNECTION_COMMANDS } from './connection';
import type { CommandSpec } from './define';
import { HASH_COMMANDS } from './hash';
import { KEYS_COMMANDS } from './keys';
import { LIST_COMMANDS } from './list';
import { PUBSUB_COMMANDS } from './pubsub';
import { SERVER_COMMANDS } from './server';
import { SET_COMMANDS } from './set';
import { SORT_COMMANDS } from './sort';
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
];

export const commandTable = new CommandTable(ALL_COMMANDS);
