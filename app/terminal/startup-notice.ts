// The start-up notice the first terminal prints once per page: where the lab keeps its data and what
// the server loaded from it (app/lessons/restart-report.ts describeStartup).

import { describeStartup } from '../lessons/restart-report';
import type { LabRuntime } from '../runtime';

const shown = new WeakSet<LabRuntime>();

/** The notice for the first terminal to ask (then ''): empty on a first visit with working storage. */
export function takeStartupNotice(runtime: LabRuntime): string {
  if (shown.has(runtime)) return '';
  shown.add(runtime);
  const status = runtime.client.storage;
  return status === null ? '' : describeStartup(status);
}
