// Start the dashboard the way `photorescue` with no arguments will (until the CLI routes to it).
// Usage: node test/e2e/helpers/launch-dashboard.ts [--demo-image PATH] [--image PATH]
import { openDashboard } from '../../../src/tui/index.ts';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
await openDashboard({ demoImage: opt('--demo-image'), image: opt('--image') });
process.exit(0);
