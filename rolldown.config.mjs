// Bundles the CLI (and the workers it starts) into dist/ so a run starts in milliseconds
// instead of type-stripping every source file in the main thread and in each worker.
export default {
  input: {
    cli: 'src/cli/main.ts',
    'scan-worker': 'src/app/scan-worker.ts',
    'preview-worker': 'src/tui/preview/worker.ts',
  },
  platform: 'node',
  // npm packages and node: built-ins stay imports; only our own sources are bundled.
  external: [/^[^./]/],
  output: { dir: 'dist', format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name].js' },
};
