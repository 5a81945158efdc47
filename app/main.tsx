// Page entry: the runtime (store + engine worker) starts at once, React mounts the shell; the
// terminal code (xterm) arrives as a lazy chunk while the worker boots.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { UpdatePrompt } from './pwa/UpdatePrompt';
import { createRuntime } from './runtime';
import { RuntimeContext } from './runtime-context';
import { LabStoreContext } from './store/useLab';
import './styles.css';

const runtime = createRuntime();
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <RuntimeContext.Provider value={runtime}>
        <LabStoreContext.Provider value={runtime.store}>
          <App />
          <UpdatePrompt />
        </LabStoreContext.Provider>
      </RuntimeContext.Provider>
    </StrictMode>,
  );
}
