// The dashboard's entry point: `photorescue` with no arguments calls openDashboard().
import { existsSync } from 'node:fs';
import { DEMO_IMAGE } from '../app/index.ts';
import { startApp } from './app.ts';
import { detectCaps } from './render/color.ts';
import { loadSettings, settingsPath } from './settings.ts';
import { openTerminal } from './terminal/terminal.ts';

/** The demo card shipped with the package (fixtures/disk-images/demo.img). */
export { DEMO_IMAGE };

export interface DashboardOptions {
  /** Use this image as the demo card (tests; default: the packaged demo card). */
  demoImage?: string;
  /** Open and scan this image (or device) at start. */
  image?: string;
  /** Open and scan the demo card at start (`photorescue --demo`). */
  demo?: boolean;
}

/** Open the full-screen workbench on this terminal; resolves when the person quits. */
export async function openDashboard(opts: DashboardOptions = {}): Promise<void> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new Error('the dashboard needs a terminal; use `photorescue recover …` in scripts');
  }
  const demoImage = opts.demoImage ?? DEMO_IMAGE;
  const image = opts.image ?? (opts.demo ? demoImage : undefined);
  if (image && !existsSync(image)) throw new Error(`no such image: ${image}`);
  const term = openTerminal();
  const restore = () => term.close();
  // Whatever happens, give the terminal back in a usable state.
  const onSignal = () => {
    restore();
    process.exit(130);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  const onCrash = (e: unknown) => {
    restore();
    process.stderr.write(`photorescue: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', onCrash);
  try {
    const file = settingsPath();
    const app = startApp({
      term,
      caps: detectCaps(),
      demoImage,
      image,
      settings: loadSettings(file),
      settingsFile: file,
    });
    await app.done;
  } finally {
    process.off('uncaughtException', onCrash);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    restore();
  }
}
