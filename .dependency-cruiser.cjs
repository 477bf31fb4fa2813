// The one direction of imports from DESIGN.md:
//   core <- source, fs, carver, organize, backup <- app <- tui, cli
const lower = ['source', 'fs', 'carver', 'organize', 'backup'];
const forbidden = [
  { name: 'core-imports-nothing', severity: 'error', from: { path: '^src/core/' }, to: { path: '^src/(?!core/)' } },
  ...lower.map((m) => ({
    name: `${m}-only-core`, severity: 'error',
    comment: `${m} may import only core (and itself)`,
    from: { path: `^src/${m}/` },
    to: { path: `^src/(?!core/|${m}/)` },
  })),
  { name: 'app-not-frontends', severity: 'error', from: { path: '^src/app/' }, to: { path: '^src/(tui|cli)/' } },
  { name: 'tui-not-cli', severity: 'error', from: { path: '^src/tui/' }, to: { path: '^src/cli/' } },
  { name: 'cli-not-lower', severity: 'error', comment: 'cli reaches the engine through app', from: { path: '^src/cli/' }, to: { path: '^src/(source|fs|carver|organize|backup)/' } },
  { name: 'tui-not-lower', severity: 'error', comment: 'tui reaches the engine through app', from: { path: '^src/tui/' }, to: { path: '^src/(source|fs|carver|organize|backup)/' } },
  { name: 'blessed-only-in-terminal', severity: 'error', from: { path: '^src/(?!tui/terminal/)' }, to: { path: 'node_modules/(neo-)?blessed/' } },
  { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
];
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
