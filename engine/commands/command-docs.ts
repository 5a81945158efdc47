// COMMAND INFO / DOCS / GETKEYS generated from our command table, in Redis 7.0's reply shapes
// (src/server.c addReplyCommandInfo / addReplyCommandDocs, db.c getKeysUsingKeySpecs): flags in
// Redis's table order, ACL categories derived as setImplicitACLCategories does, key specs and
// the legacy first/last/step computed as populateCommandLegacyRangeSpec does.

import type { ArgSpec, Command, CommandFlag, CommandGroup, CommandSpec, KeySpec, KeySpecFlag } from './define';
import { type Reply, array, bulk, int, map, NIL, status } from '../protocol/reply';

const setOf = (v: readonly Reply[]): Reply => ({ t: 'set', v });

/** addReplyFlagsForCommand's table order; may_replicate and protected are hidden on purpose. */
const FLAG_ORDER: readonly CommandFlag[] = [
  'write',
  'readonly',
  'denyoom',
  'admin',
  'pubsub',
  'noscript',
  'blocking',
  'loading',
  'stale',
  'skip_monitor',
  'skip_slowlog',
  'asking',
  'fast',
  'no_auth',
  'no_mandatory_keys',
  'no_async_loading',
  'no_multi',
  'movablekeys',
  'allow_busy',
];

/** ACLCommandCategories order (exported: ACL CAT and the ACL rules use it too). */
export const ACL_ORDER = [
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
];

/** The category every command of a group carries in src/commands/*.json (pub/sub gets it from its flag). */
const GROUP_CATEGORY: Partial<Record<CommandGroup, string>> = {
  string: 'string',
  hash: 'hash',
  list: 'list',
  set: 'set',
  'sorted-set': 'sortedset',
  stream: 'stream',
  hyperloglog: 'hyperloglog',
  geo: 'geo',
  bitmap: 'bitmap',
  scripting: 'scripting',
  transactions: 'transaction',
  connection: 'connection',
  generic: 'keyspace',
};

const KEY_FLAG_NAMES: readonly [KeySpecFlag, string][] = [
  ['RO', 'RO'],
  ['RW', 'RW'],
  ['OW', 'OW'],
  ['RM', 'RM'],
  ['ACCESS', 'access'],
  ['UPDATE', 'update'],
  ['INSERT', 'insert'],
  ['DELETE', 'delete'],
  ['NOT_KEY', 'not_key'],
  ['INCOMPLETE', 'incomplete'],
  ['VARIABLE_FLAGS', 'variable_flags'],
];

/** Categories as COMMAND INFO lists them: group + explicit (`-x` removes) + implicit from flags. */
export function aclCategories(spec: CommandSpec): string[] {
  const cats = new Set<string>();
  const group = GROUP_CATEGORY[spec.group];
  if (group && !spec.subcommands) cats.add(group);
  for (const a of spec.acl ?? []) if (!a.startsWith('-')) cats.add(a.replace(/^@/, ''));
  for (const a of spec.acl ?? []) if (a.startsWith('-')) cats.delete(a.slice(1));
  const f = new Set(spec.flags);
  if (f.has('write')) cats.add('write');
  if (f.has('readonly') && !cats.has('scripting')) cats.add('read');
  if (f.has('admin')) {
    cats.add('admin');
    cats.add('dangerous');
  }
  if (f.has('pubsub')) cats.add('pubsub');
  if (f.has('fast')) cats.add('fast');
  if (f.has('blocking')) cats.add('blocking');
  if (!cats.has('fast')) cats.add('slow');
  return ACL_ORDER.filter((c) => cats.has(c));
}

/** The declared key specs, or one derived from `keys` and the read/write flags. */
export function keySpecs(spec: CommandSpec): readonly KeySpec[] {
  if (spec.keySpecs) return spec.keySpecs;
  const k = spec.keys;
  if (!k) return [];
  const f = spec.flags;
  const flags: KeySpecFlag[] = f.includes('write') ? ['RW', 'UPDATE'] : f.includes('readonly') ? ['RO', 'ACCESS'] : [];
  return [
    {
      flags,
      begin: { index: k.first },
      find: { lastKey: k.last >= 0 ? k.last - k.first : k.last, step: k.step, limit: 0 },
    },
  ];
}

/** populateCommandLegacyRangeSpec: [first, last, step] and whether the keys are "movable". */
function legacyRange(spec: CommandSpec): { first: number; last: number; step: number; movable: boolean } {
  const specs = keySpecs(spec);
  if (specs.length === 0) return { first: 0, last: 0, step: 0, movable: false };
  const range = (s: KeySpec) =>
    typeof s.begin === 'object' && 'index' in s.begin && typeof s.find === 'object' && 'lastKey' in s.find
      ? { pos: s.begin.index, lastKey: s.find.lastKey, step: s.find.step }
      : null;
  if (specs.length === 1) {
    const r = range(specs[0]);
    if (r) {
      return {
        first: r.pos,
        last: r.lastKey >= 0 ? r.lastKey + r.pos : r.lastKey,
        step: r.step,
        movable: specs[0].flags.includes('INCOMPLETE'),
      };
    }
  }
  let first = Number.MAX_SAFE_INTEGER;
  let last = 0;
  let prevLast = 0;
  let movable = false;
  let step = 0;
  // lastkey is compared as unsigned in Redis, so a negative (relative-to-end) index wins.
  const asUnsigned = (n: number) => (n < 0 ? 2 ** 32 + n : n);
  for (const s of specs) {
    const r = range(s);
    if (r === null || r.step !== 1 || (prevLast && prevLast !== r.pos - 1)) {
      movable = true;
      continue;
    }
    if (s.flags.includes('INCOMPLETE')) movable = true;
    first = Math.min(first, r.pos);
    const abs = r.lastKey >= 0 ? r.lastKey + r.pos : r.lastKey;
    last = asUnsigned(abs) > asUnsigned(last) ? abs : last;
    prevLast = last;
    step = 1;
  }
  if (first === Number.MAX_SAFE_INTEGER) return { first: 0, last: 0, step: 0, movable };
  return { first, last, step, movable };
}

function flagsReply(spec: CommandSpec): Reply {
  const f = new Set(spec.flags);
  if (legacyRange(spec).movable) f.add('movablekeys');
  return setOf(FLAG_ORDER.filter((x) => f.has(x)).map(status));
}

/** Key-spec flags in addReplyFlagsForKeyArgs's order and spelling (RO, RW, OW, RM, access...). */
export function keyFlagsReply(flags: readonly KeySpecFlag[]): Reply {
  return setOf(KEY_FLAG_NAMES.filter(([f]) => flags.includes(f)).map(([, name]) => status(name)));
}

function keySpecReply(s: KeySpec): Reply {
  const pairs: [Reply, Reply][] = [];
  if (s.notes) pairs.push([bulk('notes'), bulk(s.notes)]);
  pairs.push([bulk('flags'), keyFlagsReply(s.flags)]);
  let begin: Reply;
  if (s.begin === 'unknown')
    begin = map([
      [bulk('type'), bulk('unknown')],
      [bulk('spec'), map([])],
    ]);
  else if ('index' in s.begin)
    begin = map([
      [bulk('type'), bulk('index')],
      [bulk('spec'), map([[bulk('index'), int(s.begin.index)]])],
    ]);
  else
    begin = map([
      [bulk('type'), bulk('keyword')],
      [
        bulk('spec'),
        map([
          [bulk('keyword'), bulk(s.begin.keyword)],
          [bulk('startfrom'), int(s.begin.startFrom)],
        ]),
      ],
    ]);
  pairs.push([bulk('begin_search'), begin]);
  let find: Reply;
  if (s.find === 'unknown')
    find = map([
      [bulk('type'), bulk('unknown')],
      [bulk('spec'), map([])],
    ]);
  else if ('lastKey' in s.find)
    find = map([
      [bulk('type'), bulk('range')],
      [
        bulk('spec'),
        map([
          [bulk('lastkey'), int(s.find.lastKey)],
          [bulk('keystep'), int(s.find.step)],
          [bulk('limit'), int(s.find.limit)],
        ]),
      ],
    ]);
  else
    find = map([
      [bulk('type'), bulk('keynum')],
      [
        bulk('spec'),
        map([
          [bulk('keynumidx'), int(s.find.keyNumIdx)],
          [bulk('firstkey'), int(s.find.firstKey)],
          [bulk('keystep'), int(s.find.step)],
        ]),
      ],
    ]);
  pairs.push([bulk('find_keys'), find]);
  return map(pairs);
}

/** addReplyCommandInfo: the 10-element array (null for an unknown name). */
export function commandInfoReply(cmd: Command | undefined): Reply {
  if (cmd === undefined) return NIL;
  const spec = cmd.spec;
  const r = legacyRange(spec);
  const subs = cmd.subcommands ? [...cmd.subcommands.values()].map(commandInfoReply) : [];
  return array([
    bulk(cmd.fullname),
    int(spec.arity),
    flagsReply(spec),
    int(r.first),
    int(r.last),
    int(r.step),
    setOf(aclCategories(spec).map((c) => status(`@${c}`))),
    setOf((spec.tips ?? []).map((t) => bulk(t))),
    setOf(keySpecs(spec).map(keySpecReply)),
    cmd.subcommands ? array(subs) : setOf([]),
  ]);
}

function argsReply(args: readonly ArgSpec[], keyIndex: { next: number; max: number }): Reply {
  return array(
    args.map((a) => {
      const pairs: [Reply, Reply][] = [
        [bulk('name'), bulk(a.name)],
        [bulk('type'), bulk(a.type)],
      ];
      if (a.type === 'key') {
        const idx = a.keySpecIndex ?? Math.min(keyIndex.next++, Math.max(0, keyIndex.max));
        pairs.push([bulk('key_spec_index'), int(idx)]);
      } else if (a.keySpecIndex !== undefined) {
        // Patterns that name keys (SORT BY/GET) carry their key spec too.
        pairs.push([bulk('key_spec_index'), int(a.keySpecIndex)]);
      }
      if (a.token) pairs.push([bulk('token'), bulk(a.token)]);
      if (a.since) pairs.push([bulk('since'), bulk(a.since)]);
      if (a.deprecatedSince) pairs.push([bulk('deprecated_since'), bulk(a.deprecatedSince)]);
      const flags: Reply[] = [];
      if (a.optional) flags.push(status('optional'));
      if (a.multiple) flags.push(status('multiple'));
      if (a.multipleToken) flags.push(status('multiple_token'));
      if (flags.length > 0) pairs.push([bulk('flags'), setOf(flags)]);
      if (a.type === 'oneof' || a.type === 'block') pairs.push([bulk('arguments'), argsReply(a.args ?? [], keyIndex)]);
      return map(pairs);
    }),
  );
}

/** addReplyCommandDocs: the docs map of one command. */
export function commandDocsReply(cmd: Command): Reply {
  const s = cmd.spec;
  const pairs: [Reply, Reply][] = [
    [bulk('summary'), bulk(s.summary)],
    [bulk('since'), bulk(s.since)],
    [bulk('group'), bulk(s.group)],
  ];
  if (s.complexity) pairs.push([bulk('complexity'), bulk(s.complexity)]);
  if (s.docFlags && s.docFlags.length > 0) pairs.push([bulk('doc_flags'), setOf(s.docFlags.map(status))]);
  if (s.deprecatedSince) pairs.push([bulk('deprecated_since'), bulk(s.deprecatedSince)]);
  if (s.replacedBy) pairs.push([bulk('replaced_by'), bulk(s.replacedBy)]);
  if (s.history && s.history.length > 0)
    pairs.push([bulk('history'), setOf(s.history.map(([v, text]) => array([bulk(v), bulk(text)])))]);
  if (s.args && s.args.length > 0)
    pairs.push([bulk('arguments'), argsReply(s.args, { next: 0, max: keySpecs(s).length - 1 })]);
  if (cmd.subcommands) {
    const subs: [Reply, Reply][] = [...cmd.subcommands.values()].map((sub) => [
      bulk(sub.fullname),
      commandDocsReply(sub),
    ]);
    pairs.push([bulk('subcommands'), map(subs)]);
  }
  return map(pairs);
}

const INT64_MAX = (1n << 63n) - 1n;

/** getKeysUsingKeySpecs: positions and flags of the keys in argv, or null when the specs do not fit. */
export function keysFromSpecs(
  spec: CommandSpec,
  argv: readonly string[],
): { pos: number; flags: readonly KeySpecFlag[] }[] | null {
  const out: { pos: number; flags: readonly KeySpecFlag[] }[] = [];
  const argc = argv.length;
  for (const s of keySpecs(spec)) {
    if (s.flags.includes('NOT_KEY')) continue;
    let first = 0;
    if (s.begin === 'unknown') return null;
    if ('index' in s.begin) first = s.begin.index;
    else {
      const from = s.begin.startFrom;
      const start = from > 0 ? from : argc + from;
      const end = from > 0 ? argc - 1 : 1;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i].toLowerCase() === s.begin.keyword.toLowerCase()) {
          first = i + 1;
          break;
        }
      }
      if (!first) continue;
    }
    let last: number;
    let step: number;
    if (s.find === 'unknown') return null;
    if ('lastKey' in s.find) {
      step = s.find.step;
      if (s.find.lastKey >= 0) last = first + s.find.lastKey;
      else if (!s.find.limit) last = argc + s.find.lastKey;
      else last = first + (Math.floor((argc - first) / s.find.limit) + s.find.lastKey);
    } else {
      step = s.find.step;
      if (s.find.keyNumIdx >= argc || first + s.find.keyNumIdx >= argc) return null;
      const n = argv[first + s.find.keyNumIdx];
      if (!/^(0|-?[1-9]\d*)$/.test(n) || n.startsWith('-') || BigInt(n) > INT64_MAX) return null;
      first += s.find.firstKey;
      last = first + Number(BigInt.asIntN(32, BigInt(n))) - 1; // Redis adds (int)numkeys
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) out.push({ pos: i, flags: s.flags });
    if (s.flags.includes('INCOMPLETE')) return null;
  }
  return out;
}
