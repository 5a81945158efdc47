// React access to the store: a context holding the page's store and a selector hook.

import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { LabStore } from './create-store';
import type { LabState } from './types';

export const LabStoreContext = createContext<LabStore | null>(null);

export function useLabStore(): LabStore {
  const store = useContext(LabStoreContext);
  if (!store) throw new Error('LabStoreContext is missing');
  return store;
}

/** Subscribe to one piece of lab state. */
export function useLab<T>(selector: (s: LabState) => T): T {
  return useStore(useLabStore(), selector);
}
