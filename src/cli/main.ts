// Entry point: parse the command line and run the matching command headless, or open the dashboard.
import { parseArgs } from 'node:util';
import { ALL_FORMATS } from '../core/types.ts';
import type { FormatId, RecoveryEvent } from '../core/types.ts';
import { EXIT_CODES, UserError, isUserError } from '../core/errors.ts';
import { createRunControl, listDrives, listPartitions, recover, scan } from '../app/index.ts';
import { humanReporter, jsonReporter } from '../app/reporters.ts';

const HELP = `photorescue — get deleted photos and videos back from SD cards, disks and disk images

Usage:
  photorescue                                   open the dashboard
  photorescue --demo                            open the dashboard on the demo card
  photorescue recover <image|device> --out DIR  find and write every photo and video
  photorescue scan <image|device>               list what can be recovered; writes nothing
  photorescue partitions <image|device>         list partitions and filesystems
  photorescue devices                           list drives (removable first)

Options for recover and scan:
  --out DIR            output folder (recover): recovered/, partial/, report.json
  --types LIST         formats to look for: ${ALL_FORMATS.join(',')} (default: all)
  --deep               look for headers at every byte, not only sector starts
  --partition N        only partition N (see 'partitions'); default: all
  --include-live       also recover files that are not deleted, and carve their space
  --workers N          worker threads for the header scan (default: cores)
  --json               NDJSON events on stdout instead of a progress bar

Exit codes: 0 done, 1 internal error, 2 usage, 3 source problem, 4 output problem, 130 interrupted.
`;

function parseTypes(s: string | undefined): FormatId[] | undefined {
  if (!s) return undefined;
  const list = s.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  const alias: Record<string, FormatId> = { jpg: 'jpeg', heif: 'heic', '3gp': 'mp4', qt: 'mov' };
  const out = list.map((t) => alias[t] ?? t);
  for (const t of out) if (!(ALL_FORMATS as readonly string[]).includes(t)) throw new UserError('usage', `Unknown type "${t}": use ${ALL_FORMATS.join(', ')}.`);
  return [...new Set(out)] as FormatId[];
}

function parseIntOpt(name: string, s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw new UserError('usage', `--${name} takes a whole number, not "${s}".`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        types: { type: 'string' },
        deep: { type: 'boolean' },
        json: { type: 'boolean' },
        partition: { type: 'string' },
        'include-live': { type: 'boolean' },
        workers: { type: 'string' },
        demo: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new UserError('usage', `${(e as Error).message}. See 'photorescue --help'.`);
  }
  const { values: v, positionals } = parsed;
  const [cmd, ...rest] = positionals;
  if (v.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (v.version) {
    process.stdout.write('photorescue 0.1.0\n');
    return 0;
  }
  if (!cmd) {
    const { openDashboard } = await import('../tui/index.ts');
    await openDashboard({ demo: !!v.demo });
    return 0;
  }
  const needSource = () => {
    if (!rest[0]) throw new UserError('usage', `'${cmd}' needs an image file or device, e.g. photorescue ${cmd} card.img${cmd === 'recover' ? ' --out ./out' : ''}`);
    return rest[0];
  };
  switch (cmd) {
    case 'devices': {
      const drives = await listDrives();
      if (v.json) process.stdout.write(JSON.stringify(drives, null, 1) + '\n');
      else if (drives.length === 0) process.stdout.write('No drives found. To scan an image: photorescue recover card.img --out ./out\n');
      else for (const d of drives) process.stdout.write(`${d.path}\t${(d.size / 1e9).toFixed(1)} GB\t${d.removable ? 'removable' : 'fixed'}\t${d.model || ''}\t${d.partitions.map((p) => `${p.path}${p.fstype ? ` (${p.fstype})` : ''}`).join(' ')}\n`);
      return 0;
    }
    case 'partitions': {
      const parts = listPartitions(needSource());
      if (v.json) process.stdout.write(JSON.stringify(parts, null, 1) + '\n');
      else if (parts.length === 0) process.stdout.write('No partition table or filesystem recognised; recover will carve the whole medium.\n');
      else for (const p of parts) process.stdout.write(`${p.index}\t${p.scheme}\t${p.fs ?? '?'}\t${p.label ?? ''}\toffset ${p.offset}\t${(p.size / 1e6).toFixed(1)} MB\n`);
      return 0;
    }
    case 'scan':
    case 'recover': {
      const source = needSource();
      if (cmd === 'recover' && !v.out) throw new UserError('usage', `recover needs --out DIR, e.g. photorescue recover ${source} --out ./recovered`);
      const opts = {
        source,
        types: parseTypes(v.types),
        deep: !!v.deep,
        partition: parseIntOpt('partition', v.partition),
        includeLive: !!v['include-live'],
        workers: parseIntOpt('workers', v.workers),
      };
      const emit: (e: RecoveryEvent) => void = v.json ? jsonReporter(process.stdout) : humanReporter(process.stderr);
      const control = createRunControl();
      let interrupts = 0;
      const onSig = () => {
        interrupts++;
        if (interrupts === 1) {
          process.stderr.write('\nStopping… (press Ctrl-C again to quit at once)\n');
          control.cancel();
        } else process.exit(EXIT_CODES.cancelled);
      };
      process.on('SIGINT', onSig);
      process.on('SIGTERM', onSig);
      if (cmd === 'scan') {
        const r = await scan(opts, emit, control);
        if (!v.json) {
          for (const f of r.files) {
            const name = f.original ? [f.original.partition, f.original.folder, f.original.name].filter(Boolean).join('/') : `(carved) ${f.extents[0].offset.toString(16)}.${f.ext}`;
            process.stdout.write(`${f.verdict.padEnd(8)} ${f.format.padEnd(4)} ${String(f.size).padStart(10)}  ${f.foundBy.padEnd(10)} ${name}\n`);
          }
        }
        return r.status === 'cancelled' ? EXIT_CODES.cancelled : 0;
      }
      const r = await recover({ ...opts, out: v.out! }, emit, control);
      return r.status === 'cancelled' ? EXIT_CODES.cancelled : 0;
    }
    default:
      throw new UserError('usage', `Unknown command "${cmd}". See 'photorescue --help'.`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (isUserError(e)) {
      process.stderr.write(`photorescue: ${e.message}\n`);
      process.exitCode = EXIT_CODES[e.kind];
    } else {
      process.stderr.write(`photorescue: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = EXIT_CODES.internal;
    }
  },
);
