import type { RunControl } from './types.ts';

/** Cancel/pause/resume for one run. Pausing holds the scan between chunks. */
export function createRunControl(): RunControl {
  const ac = new AbortController();
  let paused = false;
  let wake: (() => void) | null = null;
  let gate: Promise<void> = Promise.resolve();
  const release = () => {
    wake?.();
    wake = null;
  };
  ac.signal.addEventListener('abort', release, { once: true });
  return {
    signal: ac.signal,
    cancel() {
      ac.abort();
    },
    pause() {
      if (paused || ac.signal.aborted) return;
      paused = true;
      gate = new Promise<void>((r) => (wake = r));
    },
    resume() {
      if (!paused) return;
      paused = false;
      release();
    },
    get paused() {
      return paused;
    },
    waitIfPaused() {
      return paused ? gate : Promise.resolve();
    },
  };
}
