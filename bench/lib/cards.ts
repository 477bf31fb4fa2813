// The benchmark's cards: the public corpus scenarios, our harder extra scenarios
// (bench/scenarios: Windows-style deletes, lost directory entries, free noise gaps, interleaved
// exFAT clips, FAT16, no partition table) and a 2 GiB throughput card, built at bench time by
// the corpus's make_card.py into bench/work/cards/<name>/ (never committed), plus the committed
// fixture cards by name. A card is rebuilt only when its recipe changed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runChecked } from './measure.ts';

export interface Card {
  name: string;
  image: string;
  truth: string;
  /** byte offset of the filesystem (tsk_recover -o wants it in sectors) */
  partitionOffset: number;
  imageBytes: number;
}

export interface Paths {
  root: string;
  corpus: string;
  work: string;
  synth: string;
}

interface Recipe {
  scenario: string;
  sets: string[];
}

/** The 3 GiB throughput scenario scaled to 2 GiB: smaller noise files so everything still fits. */
function throughput2g(corpus: string): Recipe {
  const sc = JSON.parse(readFileSync(join(corpus, 'scenarios/throughput-3g.json'), 'utf8')) as {
    steps: Record<string, unknown>[];
  };
  const steps = sc.steps.map((s) => (s.op === 'write' && s.filler_mb ? { ...s, filler_mb: [10, 38] } : s));
  return {
    scenario: join(corpus, 'scenarios/throughput-3g.json'),
    sets: ['size_mb=2048', 'name="throughput-2g"', `steps=${JSON.stringify(steps)}`],
  };
}

export function publicScenarios(corpus: string): string[] {
  return readdirSync(join(corpus, 'scenarios'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

export function extraScenarios(root: string): string[] {
  return readdirSync(join(root, 'bench/scenarios'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

/** Default set: every public scenario but the 3 GiB one, the extra ones, and the 2 GiB throughput card. */
export function defaultCards(p: Paths, quick: boolean): string[] {
  const names = [...publicScenarios(p.corpus).filter((n) => n !== 'throughput-3g'), ...extraScenarios(p.root)];
  return quick ? names : [...names, 'throughput-2g'];
}

function fixtureCard(root: string, name: string): Card | null {
  const image = join(root, 'fixtures/disk-images', `${name}.img`);
  const truth = join(root, 'fixtures/disk-images', `${name}.truth.json`);
  if (!existsSync(image) || !existsSync(truth)) return null;
  return cardFrom(name, image, truth);
}

function cardFrom(name: string, image: string, truth: string): Card {
  const t = JSON.parse(readFileSync(truth, 'utf8')) as { partition_offset: number; image_size: number };
  return { name, image, truth, partitionOffset: t.partition_offset, imageBytes: t.image_size };
}

/** Synthetic media (gen_media.sh, ~4 min, once) unless the pool is already there. */
export function ensureSynth(p: Paths, log: (s: string) => void): void {
  const stamp = join(p.synth, '.complete');
  if (existsSync(stamp) || (existsSync(join(p.synth, 'synth_3gp_01.3gp')) && p.synth !== join(p.work, 'synth'))) return;
  log(`making synthetic media in ${p.synth} (gen_media.sh, a few minutes)`);
  mkdirSync(p.synth, { recursive: true });
  runChecked([join(p.corpus, 'gen_media.sh'), p.synth], p.root);
  writeFileSync(stamp, 'gen_media.sh exit 0\n');
}

/** Resolves a card name to an image + truth, building it with make_card.py when needed. */
export function ensureCard(p: Paths, name: string, log: (s: string) => void): Card {
  const pub = publicScenarios(p.corpus);
  let recipe: Recipe;
  if (name === 'throughput-2g') recipe = throughput2g(p.corpus);
  else if (pub.includes(name)) recipe = { scenario: join(p.corpus, 'scenarios', `${name}.json`), sets: [] };
  else if (extraScenarios(p.root).includes(name)) recipe = { scenario: join(p.root, 'bench/scenarios', `${name}.json`), sets: [] };
  else {
    const f = fixtureCard(p.root, name);
    if (f) return f;
    throw new Error(`unknown card ${name}: not a public scenario (${pub.join(', ')}), bench/scenarios/*.json, throughput-2g, or a fixture card`);
  }
  const dir = join(p.work, 'cards', name);
  const image = join(dir, 'card.img');
  const truth = join(dir, 'truth.json');
  const stampFile = join(dir, 'recipe.sha256');
  const stamp = createHash('sha256')
    .update(readFileSync(recipe.scenario))
    .update(JSON.stringify(recipe.sets))
    .update(p.synth)
    .digest('hex');
  if (existsSync(image) && existsSync(truth) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    return cardFrom(name, image, truth);
  }
  ensureSynth(p, log);
  log(`building card ${name} (make_card.py)`);
  rmSync(dir, { recursive: true, force: true });
  const args = ['python3', join(p.corpus, 'make_card.py'), recipe.scenario, dir, '--media', `synth=${p.synth}`];
  for (const s of recipe.sets) args.push('--set', s);
  log(runChecked(args, p.root).trim());
  writeFileSync(stampFile, stamp);
  return cardFrom(name, image, truth);
}
