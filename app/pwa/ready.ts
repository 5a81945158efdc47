// The moment the first terminal takes keys: a performance mark ('terminal-ready', the end point of
// the start-up budgets in bench/BUDGETS.md) and a promise for work that should wait until then
// (registering the service worker, whose precaching would compete with the first load).

export const TERMINAL_READY_MARK = 'terminal-ready';

let resolveReady: () => void = () => {};
export const terminalReady: Promise<void> = new Promise((r) => {
  resolveReady = r;
});

let marked = false;

/** Called once the first terminal is attached and shows its prompt; later calls do nothing. */
export function markTerminalReady(): void {
  if (marked) return;
  marked = true;
  performance.mark(TERMINAL_READY_MARK);
  resolveReady();
}
