// The typed event stream the engine emits (DESIGN §1): panels, the AOF writer, keyspace notifications
// and the worker host subscribe; the engine never knows who listens.

export type EngineEvent =
  | { type: 'key'; db: number; key: string; op: 'set' | 'overwrite' | 'del' | 'update' | 'expired' | 'evicted' }
  | { type: 'propagate'; db: number; argv: readonly string[] }
  | { type: 'notify'; db: number; event: string; key: string; cls: string }
  | { type: 'flush'; db: number | 'all' }
  | { type: 'config'; name: string; value: string };

export type EngineListener = (e: EngineEvent) => void;
