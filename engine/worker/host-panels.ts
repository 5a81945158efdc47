// What the host's panels need beyond the engine core: the inspectors (zset, memory, keyspace, key,
// persistence) and the zset operation trace. Handed to EngineHost (HostOptions.panels) — by the
// browser worker once its second chunk arrives, so the first chunk carries none of the data types
// or the persistence code they import (worker.ts).

import { watchZsets } from '../commands/zset-trace';
import { inspectKey, inspectKeyspace, inspectMemory, inspectZset } from './inspect-panels';
import { inspectPersistence } from './persistence-panel';

export interface HostPanels {
  readonly inspectZset: typeof inspectZset;
  readonly inspectMemory: typeof inspectMemory;
  readonly inspectKeyspace: typeof inspectKeyspace;
  readonly inspectKey: typeof inspectKey;
  readonly inspectPersistence: typeof inspectPersistence;
  readonly watchZsets: typeof watchZsets;
}

export const HOST_PANELS: HostPanels = {
  inspectZset,
  inspectMemory,
  inspectKeyspace,
  inspectKey,
  inspectPersistence,
  watchZsets,
};
