// Builds the one command table from every group's declarations (Redis's populateCommandTable):
// lower-cased lookup, subcommand maps, precomputed flags for dispatch. It can grow: the browser
// worker registers the later command groups when their chunk arrives.

import type { Command, CommandSpec } from './define';

export class CommandTable {
  private readonly byName = new Map<string, Command>();
  private readonly list: Command[] = [];

  constructor(specs: readonly CommandSpec[]) {
    this.add(specs);
  }

  /** Every command, in the order added. */
  get commands(): readonly Command[] {
    return this.list;
  }

  /**
   * Register more commands. The browser worker starts with the core groups and adds the rest when
   * their chunk arrives (engine/worker/engine-rest.ts); everything else builds the table at once.
   */
  add(specs: readonly CommandSpec[]): void {
    for (const spec of specs) {
      const cmd = resolve(spec, undefined);
      const lower = spec.name.toLowerCase();
      if (this.byName.has(lower)) throw new Error(`command ${spec.name} declared twice`);
      this.byName.set(lower, cmd);
      this.byName.set(spec.name, cmd);
      this.list.push(cmd);
    }
  }

  /** Case-insensitive lookup; exact-case hits skip the lower-casing. */
  lookup(name: string): Command | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  /**
   * lookupCommand of a command line: argv[0], or for a container given a second word its subcommand
   * argv[1] (undefined when unknown). Scripts, ACL DRYRUN and COMMAND GETKEYS name commands this way.
   */
  lookupArgv(argv: readonly string[]): Command | undefined {
    const base = argv.length > 0 ? this.lookup(argv[0]) : undefined;
    return base?.subcommands && argv.length >= 2 ? base.subcommands.get(argv[1].toLowerCase()) : base;
  }
}

function resolve(spec: CommandSpec, parent: Command | undefined): Command {
  const flags = new Set(spec.flags);
  const fullname = parent ? `${parent.fullname}|${spec.name.toLowerCase()}` : spec.name.toLowerCase();
  const subs = spec.subcommands ? new Map<string, Command>() : undefined;
  const cmd: Command = {
    spec,
    fullname,
    arity: spec.arity,
    exec: spec.exec,
    parent,
    subcommands: subs,
    isWrite: flags.has('write'),
    isReadonly: flags.has('readonly'),
    denyOom: flags.has('denyoom'),
    noAuth: flags.has('no_auth'),
    skipMonitor: flags.has('skip_monitor') || flags.has('admin'),
    noScript: flags.has('noscript'),
    isAdmin: flags.has('admin'),
  };
  if (subs && spec.subcommands) {
    for (const sub of spec.subcommands) subs.set(sub.name.toLowerCase(), resolve(sub, cmd));
  }
  return cmd;
}
