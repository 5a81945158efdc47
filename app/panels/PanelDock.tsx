// The panel dock beside the terminals: tabs for the skip-list, memory, keyspace, persistence and event-log
// panels, a collapse button (Alt+V from anywhere), each panel loaded lazily when first shown. Panels read
// engine events and inspect snapshots only (see usePanels.ts).

import { type CSSProperties, Suspense, useEffect } from 'react';
import { FONT_SIZE_DEFAULT } from '../store/initial-state';
import { useLab } from '../store/useLab';
import { useRuntime } from '../runtime-context';
import { preloadable } from '../ui/preloadable';
import type { PanelTab } from './panel-store';
import { useEventLogFeed } from './event-log-feed';
import { usePersistFeed } from './persistence-feed';
import { panelStoreOf, usePanel, usePanelFeed } from './usePanels';
import './panels.css';

const skipList = preloadable(() => import('./SkipListPanel'));
const memory = preloadable(() => import('./MemoryPanel'));
const keyspace = preloadable(() => import('./KeyspacePanel'));
const persistence = preloadable(() => import('./PersistencePanel'));
const eventLog = preloadable(() => import('./EventLogPanel'));
const PANEL_CODE = [skipList, memory, keyspace, persistence, eventLog];
const SkipListPanel = skipList.Component;
const MemoryPanel = memory.Component;
const KeyspacePanel = keyspace.Component;
const PersistencePanel = persistence.Component;
const EventLogPanel = eventLog.Component;

const TABS: readonly { id: PanelTab; label: string }[] = [
  { id: 'skiplist', label: 'Sorted set' },
  { id: 'memory', label: 'Memory' },
  { id: 'keyspace', label: 'Keyspace' },
  { id: 'persistence', label: 'Persistence' },
  { id: 'events', label: 'Events' },
];

export default function PanelDock() {
  const runtime = useRuntime();
  const store = panelStoreOf(runtime);
  const open = usePanel((s) => s.open);
  const tab = usePanel((s) => s.tab);
  // The lab's text size (Alt+= for a projector) scales the panels too.
  const scale = useLab((s) => s.fontSize) / FONT_SIZE_DEFAULT;
  const style = { '--panel-scale': scale } as CSSProperties;
  usePanelFeed(open);
  usePersistFeed(open);
  useEventLogFeed(open);
  // Once the dock is open, the other panels' code loads in the background: a first tab click
  // then only renders, without suspending (a million-member skip list's first frame stays within
  // its budget).
  useEffect(() => {
    if (!open) return;
    const h = setTimeout(() => {
      for (const panel of PANEL_CODE) void panel.preload().catch(() => {});
    }, 300);
    return () => clearTimeout(h);
  }, [open]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyV') {
        e.preventDefault();
        e.stopPropagation();
        const s = store.getState();
        s.setOpen(!s.open);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [store]);

  if (!open) {
    return (
      <aside className="panel-dock collapsed" aria-label="Panels" style={style}>
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            className="rail-button"
            onClick={() => store.getState().setTab(t.id)}
            title={`Show the ${t.label.toLowerCase()} panel (Alt+V toggles the panels)`}
            data-testid={`open-${t.id}`}
          >
            {t.label}
          </button>
        ))}
      </aside>
    );
  }
  return (
    <aside className="panel-dock" aria-label="Panels" data-testid="panel-dock" style={style}>
      <div className="dock-head">
        <div role="tablist" aria-label="Panels" className="dock-tabs">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls="panel-body"
              className={tab === t.id ? 'tab active' : 'tab'}
              onClick={() => store.getState().setTab(t.id)}
              data-testid={`tab-${t.id}`}
            >
              {t.label}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="dock-close"
          onClick={() => store.getState().setOpen(false)}
          title="Hide the panels (Alt+V)"
          aria-label="Hide the panels"
        >
          ⟩
        </button>
      </div>
      <section id="panel-body" role="tabpanel" aria-labelledby={`tab-${tab}`} className="dock-body">
        <Suspense fallback={<p className="panel-note">Loading…</p>}>
          {tab === 'skiplist' && <SkipListPanel />}
          {tab === 'memory' && <MemoryPanel />}
          {tab === 'keyspace' && <KeyspacePanel />}
          {tab === 'persistence' && <PersistencePanel />}
          {tab === 'events' && <EventLogPanel />}
        </Suspense>
      </section>
    </aside>
  );
}
