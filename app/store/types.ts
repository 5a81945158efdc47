// Slice plumbing shared by the store's slices.

import type { StoreApi } from 'zustand/vanilla';
import type { EngineSlice } from './engine-slice';
import type { LabData } from './initial-state';
import type { SessionsSlice } from './sessions-slice';
import type { SettingsSlice } from './settings-slice';
import type { UiSlice } from './ui-slice';

export type LabState = LabData & SessionsSlice & SettingsSlice & EngineSlice & UiSlice;

export type SliceCreator<T> = (set: StoreApi<LabState>['setState'], get: StoreApi<LabState>['getState']) => T;
