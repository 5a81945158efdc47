// The RDB snapshots lessons can load with ":load-rdb <name>" (lessons/fixtures/<name>.rdb, written
// by real redis-server 7.0.15 — lessons/fixtures/README.md says how): bundled as asset URLs, fetched
// only when a lesson asks for one.

const URLS = import.meta.glob('../../lessons/fixtures/*.rdb', {
  query: '?url',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/** Fixture name ("shop") → its URL. */
export const RDB_FIXTURES: ReadonlyMap<string, string> = new Map(
  Object.entries(URLS).map(([path, url]) => [/([^/]+)\.rdb$/.exec(path)?.[1] ?? path, url]),
);

/** The bytes of a bundled snapshot, or an error text naming the ones there are. */
export async function fetchRdbFixture(name: string): Promise<Uint8Array | string> {
  const url = RDB_FIXTURES.get(name);
  if (url === undefined) return `no snapshot named '${name}' (there are: ${[...RDB_FIXTURES.keys()].join(', ')})`;
  // Small files are inlined by the bundler as data: URLs, which the lab's CSP does not let fetch().
  const inline = /^data:[^,]*;base64,(.*)$/.exec(url);
  if (inline) return Uint8Array.from(atob(inline[1]), (c) => c.charCodeAt(0));
  const res = await fetch(url);
  if (!res.ok) return `could not load the snapshot '${name}': HTTP ${res.status}`;
  return new Uint8Array(await res.arrayBuffer());
}
