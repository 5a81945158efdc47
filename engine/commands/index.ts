// Every command group's declarations, gathered into the one table.

import type { CommandSpec } from './define';
import { SERVER_COMMANDS } from './server';
import { STRING_COMMANDS } from './string';
import { CommandTable } from './table';

export const ALL_COMMANDS: readonly CommandSpec[] = [...STRING_COMMANDS, ...SERVER_COMMANDS];

export const commandTable = new CommandTable(ALL_COMMANDS);
