// The recovery tools under test, each run on a whole card image into its own output folder.
// PhotoRec is run exactly as ../shared/corpus/run_peers.sh does (batch mode, whole image as one
// raw volume, JPEG + the ISO-BMFF family, carving allocated space too); tsk_recover -e gives
// the filesystem view (names, exact files of intact deleted entries) on the card's partition.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Card } from './cards.ts';

export type ToolName = 'photorescue' | 'photorec' | 'tsk';
export const ALL_TOOLS: ToolName[] = ['photorescue', 'photorec', 'tsk'];

export interface ToolRun {
  /** the command, run with cwd */
  cmd: string[];
  cwd: string;
  /** folder score.py judges */
  scoreDir: string;
  /** before the run: make the folders the tool expects */
  prepare(): void;
  /** after the run: remove the tool's bookkeeping; returns score.py --exclude globs */
  tidy(): string[];
}

export function toolRun(tool: ToolName, card: Card, outRoot: string, repoRoot: string): ToolRun {
  const out = join(outRoot, tool);
  const fresh = () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(outRoot, { recursive: true });
  };
  switch (tool) {
    case 'photorescue':
      // The CLI writes DIR/recovered and DIR/partial (plus its report); only those two are scored.
      return {
        cmd: [process.execPath, join(repoRoot, 'bin/photorescue.js'), 'recover', card.image, '--out', out],
        cwd: repoRoot,
        scoreDir: out,
        prepare: fresh,
        tidy: () => {
          if (!existsSync(out)) return [];
          const ex: string[] = [];
          for (const e of readdirSync(out)) {
            if (e === 'recovered' || e === 'partial') continue;
            ex.push(e);
            if (statSync(join(out, e)).isDirectory()) ex.push(`${e}/*`);
          }
          return ex;
        },
      };
    case 'photorec':
      return {
        cmd: [
          'photorec', '/log', '/d', join(out, 'recup'), '/cmd', card.image,
          'partition_none,fileopt,everything,disable,jpg,enable,mov,enable,wholespace,search',
        ],
        cwd: outRoot, // photorec.log lands here, outside the scored folder
        scoreDir: out,
        prepare: () => {
          fresh();
          mkdirSync(out);
        },
        tidy: () => ['*/report.xml', 'report.xml'],
      };
    case 'tsk':
      return {
        cmd: ['tsk_recover', '-e', '-o', String(Math.floor(card.partitionOffset / 512)), card.image, out],
        cwd: outRoot,
        scoreDir: out,
        prepare: () => {
          fresh();
          mkdirSync(out);
        },
        tidy: () => [],
      };
  }
}
