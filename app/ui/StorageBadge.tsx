// Where the lab's data lives, in the toolbar: "saved in this browser (OPFS)", or memory only (with
// the reason, e.g. another tab has the lab open); a storage failure (a full quota) shows as an alert
// that says the data in memory is intact and what Redis does about it.

import { useEffect, useState } from 'react';
import type { StorageStatus } from '../../engine/worker/protocol';
import { storageLabel } from '../lessons/restart-report';
import { useRuntime } from '../runtime-context';
import './storage.css';

export function StorageBadge() {
  const { client } = useRuntime();
  const [status, setStatus] = useState<StorageStatus | null>(client.storage);
  const [dismissed, setDismissed] = useState<string | null>(null);
  useEffect(() => {
    setStatus(client.storage);
    return client.onStorage(setStatus);
  }, [client]);
  if (status === null) return null;
  const saved = status.kind !== 'memory';
  const title = `Data ${storageLabel(status)}. ${status.note ?? (saved ? 'A reload restarts the server on these files.' : '')}`;
  return (
    <>
      <span
        className={`pill storage ${status.error ? 'error' : saved ? 'saved' : 'memory'}`}
        data-testid="storage-status"
        data-kind={status.kind}
        title={status.error ?? title}
      >
        {status.error ? 'storage full' : storageLabel(status, true)}
      </span>
      {status.error !== null && status.error !== dismissed && (
        <div className="storage-alert" role="alert" data-testid="storage-alert">
          <span>{status.error}</span>
          <button type="button" onClick={() => setDismissed(status.error)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
    </>
  );
}
