// The core command groups: what the browser worker's first chunk serves while the rest of the engine
// loads (strings, generic keys, connection, server, transactions, and pub/sub, whose module RESET
// needs anyway). ALL_COMMANDS (index.ts) is these plus REST_COMMANDS (rest.ts); Node and the tests
// always load both at once.

import { CONNECTION_COMMANDS } from './connection';
import type { CommandSpec } from './define';
import { KEYS_COMMANDS } from './keys';
import { PUBSUB_COMMANDS } from './pubsub';
import { SERVER_COMMANDS } from './server';
import { STRING_COMMANDS } from './string';
import { TRANSACTION_COMMANDS } from './transactions';

export const CORE_COMMANDS: readonly CommandSpec[] = [
  ...STRING_COMMANDS,
  ...SERVER_COMMANDS,
  ...CONNECTION_COMMANDS,
  ...KEYS_COMMANDS,
  ...TRANSACTION_COMMANDS,
  ...PUBSUB_COMMANDS,
];
