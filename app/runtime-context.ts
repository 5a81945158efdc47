// React access to the page's LabRuntime (engine client, history, help table).

import { createContext, useContext } from 'react';
import type { LabRuntime } from './runtime';

export const RuntimeContext = createContext<LabRuntime | null>(null);

export function useRuntime(): LabRuntime {
  const runtime = useContext(RuntimeContext);
  if (!runtime) throw new Error('RuntimeContext is missing');
  return runtime;
}
