// npm run bench [-- --only NAME[,NAME] --runs N --quick --tools photorescue,photorec,tsk --synth DIR --timeout S]
//
// Benchmarks photorescue against PhotoRec and The Sleuth Kit's tsk_recover on the corpus cards:
// builds what it needs into bench/work/ (synthetic media, the public scenario cards, the extra
// ones in bench/scenarios, a 2 GiB throughput card), then for every card times `cat image` and
// each tool (median of N runs, each after sync + a warm read), scores each tool's output (every
// run) with ../shared/corpus/score.py, and writes
// bench/results/latest.md (+ latest.json). Not part of the test suite: it takes minutes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultCards, ensureCard, type Paths } from './lib/cards.ts';
import { machine } from './lib/machine.ts';
import { runTimed, syncAndWarm } from './lib/measure.ts';
import { markdown, type CardResult, type ToolResult } from './lib/report.ts';
import { score } from './lib/score.ts';
import { ALL_TOOLS, toolRun, type ToolName } from './lib/tools.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

function main(): number {
  const { values: v } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      runs: { type: 'string', default: '3' },
      quick: { type: 'boolean', default: false },
      tools: { type: 'string', default: ALL_TOOLS.join(',') },
      corpus: { type: 'string', default: process.env.PHOTORESCUE_CORPUS ?? join(ROOT, '../shared/corpus') },
      synth: { type: 'string' },
      timeout: { type: 'string', default: '3600' },
      help: { type: 'boolean', default: false },
    },
  });
  if (v.help) {
    process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(0, 8).join('\n') + '\n');
    return 0;
  }
  const runs = Number(v.runs);
  const timeoutS = Number(v.timeout);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs wants a positive integer, got ${v.runs}`);
  if (!(timeoutS > 0)) throw new Error(`--timeout wants seconds, got ${v.timeout}`);
  const tools = v.tools.split(',').map((t) => t.trim()) as ToolName[];
  for (const t of tools) if (!ALL_TOOLS.includes(t)) throw new Error(`unknown tool ${t} (${ALL_TOOLS.join(', ')})`);

  const work = join(ROOT, 'bench/work');
  const p: Paths = { root: ROOT, corpus: resolve(v.corpus), work, synth: resolve(v.synth ?? join(work, 'synth')) };
  const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
  const names = v.only?.length ? v.only.flatMap((s) => s.split(',')).filter(Boolean) : defaultCards(p, v.quick);

  if (tools.includes('photorescue')) {
    // measure what users run: the bundle (bin/photorescue.js falls back to the TS sources when
    // dist/ is missing or older than src/, which starts slower)
    const b = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (b.status !== 0) log(`npm run build failed (${b.status}); photorescue runs from its sources\n${b.stderr ?? ''}`);
  }
  const m = machine(ROOT); // before the run: the commit and tree state that was measured
  const results: CardResult[] = [];
  for (const name of names) {
    const card = ensureCard(p, name, log);
    const truth = JSON.parse(readFileSync(card.truth, 'utf8')) as { scenario: { fs: string } };
    const outRoot = join(work, 'out', name);
    mkdirSync(outRoot, { recursive: true });
    const r: CardResult = { card, fs: truth.scenario.fs, catWalls: [], tools: [] };
    const byTool = new Map<string, ToolResult>();
    for (const t of tools) {
      const tr: ToolResult = { tool: t, walls: [], rss: [], exitCodes: [], timedOut: false };
      byTool.set(t, tr);
      r.tools.push(tr);
    }
    for (let run = 1; run <= runs; run++) {
      syncAndWarm(card.image);
      const cat = runTimed(['cat', card.image], {
        cwd: outRoot, logFile: join(outRoot, 'cat.log'), timeFile: join(outRoot, 'cat.time'), timeoutS, stdoutToNull: true,
      });
      r.catWalls.push(cat.wallS);
      for (const t of tools) {
        const tr = byTool.get(t)!;
        const tool = toolRun(t, card, outRoot, ROOT);
        tool.prepare();
        syncAndWarm(card.image);
        const m = runTimed(tool.cmd, {
          cwd: tool.cwd, logFile: join(outRoot, `${t}.log`), timeFile: join(outRoot, `${t}.time`), timeoutS,
        });
        tr.walls.push(m.wallS);
        tr.rss.push(m.maxRssMiB);
        tr.exitCodes.push(m.exitCode);
        tr.timedOut ||= m.timedOut;
        log(`${name} run ${run}/${runs}: ${t} ${m.wallS.toFixed(2)} s, ${m.maxRssMiB.toFixed(0)} MiB, exit ${m.exitCode}`);
        // judge every run's output (the tool may change under us while others work on it); the
        // table shows the last run's score and flags runs that scored differently
        try {
          const s = score(p.corpus, tool.scoreDir, card.truth, t, join(outRoot, `${t}.score.json`), tool.tidy(), ROOT);
          if (tr.score && tr.score.target.recovered !== s.score.target.recovered) tr.varies = true;
          tr.score = s.score;
          tr.error = undefined;
          log(s.summary);
        } catch (e) {
          tr.error = (e as Error).message.split('\n')[0];
          log(`${name}: ${t}: ${tr.error}`);
        }
      }
    }
    results.push(r);
  }

  const md = markdown(m, runs, results);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/latest.md'), md + '\n');
  writeFileSync(join(ROOT, 'bench/results/latest.json'), JSON.stringify({ machine: m, runs, results }, null, 1) + '\n');
  process.stdout.write(md + '\n');
  return 0;
}

process.exitCode = main();
