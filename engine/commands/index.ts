// Every command group's declarations, gathered into the one table: the core groups (core.ts) and
// the rest (rest.ts), which the browser worker loads in two steps onto one growing table.

import { CORE_COMMANDS } from './core';
import type { CommandSpec } from './define';
import { REST_COMMANDS } from './rest';
import { CommandTable } from './table';

export const ALL_COMMANDS: readonly CommandSpec[] = [...CORE_COMMANDS, ...REST_COMMANDS];

export const commandTable = new CommandTable(ALL_COMMANDS);
