// Filesystem-aware recovery: turn deleted (and trashed) directory entries into found files by
// trying the layouts their clusters may have and letting the format module judge each one.
import type { ByteReader, Extent, FormatId, FoundFile, OriginalInfo } from '../core/types.ts';
import { extentReader, truncateExtents } from '../core/readers.ts';
import { probeAny } from '../carver/registry.ts';
import type { Measurement } from '../carver/format.ts';
import type { FsEntry, Volume } from '../fs/types.ts';

const MEDIA_EXT = /\.(jpe?g|heic|heif|hif|mp4|m4v|mov|3gp|3g2|lrv|thm)$/i;

export interface UndeleteResult {
  found: FoundFile[];
  /** Media entries whose data is gone (overwritten) or could not be placed. */
  lost: { entry: FsEntry; volume: Volume; reason: string }[];
}

interface Layout {
  how: string;
  extents: Extent[];
}

/** Every file entry worth recovering on a volume (deleted and trash; live too when asked). */
export function candidateEntries(volume: Volume, includeLive: boolean): FsEntry[] {
  // Entries in orphan folders (found in the data area after a quick format) are not live,
  // whatever their own flags say: the card no longer reaches them.
  return volume.entries().filter((e) => !e.isDir && e.size > 0 && (includeLive || e.state !== 'live' || e.orphan));
}

export function undeleteVolume(medium: ByteReader, volume: Volume, types: readonly FormatId[], includeLive: boolean, partitionName: string): UndeleteResult {
  const found: FoundFile[] = [];
  const lost: UndeleteResult['lost'] = [];
  for (const entry of candidateEntries(volume, includeLive)) {
    const r = undeleteEntry(medium, volume, entry, types);
    if (r.file) {
      r.file.original = originalInfo(entry, partitionName, entry.orphan ? 'formatted' : entry.state);
      found.push(r.file);
    } else if (MEDIA_EXT.test(entry.name) && r.reason) {
      lost.push({ entry, volume, reason: r.reason });
    }
  }
  return { found, lost };
}

function originalInfo(e: FsEntry, partition: string, state: OriginalInfo['state']): OriginalInfo {
  return {
    partition,
    folder: e.folder,
    name: e.name,
    nameInferred: e.nameInferred,
    state,
    trashOriginalPath: e.trashOriginalPath,
    modified: e.modified,
    created: e.created,
    accessed: e.accessed,
    size: e.size,
  };
}

/** Try each plausible layout; the first the format judges complete wins, else the longest partial. */
export function undeleteEntry(medium: ByteReader, volume: Volume, entry: FsEntry, types: readonly FormatId[]): { file?: FoundFile; reason?: string } {
  const cs = volume.clusterSize;
  const need = Math.ceil(entry.size / cs);
  // A size larger than the volume is a hostile or broken entry.
  if (need > volume.clusterCount) return { reason: 'size larger than the volume' };
  // After a Windows delete the stored start may point at another file's header: when the fs layer
  // says it is unlikely, the alternatives (high word restored) are tried first.
  const alts = entry.altFirstClusters ?? [];
  const ordered = entry.firstClusterUnlikely ? [...alts, entry.firstCluster] : [entry.firstCluster, ...alts];
  const starts = ordered.filter((c) => c >= 2 && c < volume.clusterCount + 2);
  if (starts.length === 0) return { reason: 'no start cluster' };

  let best: { layout: Layout; m: Measurement; format: FormatId; ext: string } | null = null;
  let probed = false;
  for (const start of starts) {
    for (const layout of layouts(volume, entry, start, need)) {
      const file = extentReader(medium, truncateExtents(layout.extents, entry.size));
      const head = file.read(0, 4096);
      const hit = probeAny(head, types);
      if (!hit) break; // every layout shares the first cluster: no header, no file here
      probed = true;
      const m = hit.module.measure(file, hit.probe, { expectedLength: entry.size });
      if (m.status === 'complete' && m.length <= entry.size && entry.size - m.length < Math.max(cs, 4096)) {
        return { file: toFound(entry, layout, hit.module.id, hit.probe.ext, entry.size, 'complete') };
      }
      if (m.status === 'complete' && m.length > entry.size) {
        // The structure is longer than the entry says: trust the structure only if it fits the layout.
        continue;
      }
      if (m.status !== 'invalid' && (!best || m.length > best.m.length)) best = { layout, m, format: hit.module.id, ext: hit.probe.ext };
    }
  }
  if (best && best.m.length > 0) {
    const f = toFound(entry, best.layout, best.format, best.ext, best.m.length, 'partial');
    f.reason = `${best.m.reason ?? 'incomplete'} (${best.layout.how})`;
    return { file: f };
  }
  return { reason: probed ? 'data does not validate' : 'overwritten: its first cluster no longer holds a photo or video' };
}

function toFound(entry: FsEntry, layout: Layout, format: FormatId, ext: string, size: number, verdict: 'complete' | 'partial'): FoundFile {
  const extents = truncateExtents(layout.extents, size);
  return {
    id: `${format}@${extents[0]?.offset ?? 0}`,
    format,
    ext,
    size,
    extents,
    foundBy: 'filesystem',
    verdict,
    reason: layout.how === 'contiguous' || layout.how === 'chain' ? undefined : `assembled: ${layout.how}`,
  };
}

/** The layouts a file's clusters may have, most trustworthy first. */
function* layouts(volume: Volume, entry: FsEntry, start: number, need: number): Generator<Layout> {
  const cs = volume.clusterSize;
  const run = (first: number, count: number): Extent[] => [{ offset: volume.clusterOffset(first), length: count * cs }];
  if (entry.contiguous) {
    yield { how: 'contiguous', extents: run(start, need) };
    return;
  }
  const chain = volume.chain(start, need);
  if (chain && chain.length >= need && (entry.state !== 'deleted' || chain.every((c) => volume.isFree(c)))) {
    yield { how: 'chain', extents: clustersToExtents(volume, chain.slice(0, need)) };
  }
  // Deleted FAT files have lost their chain. If the run from the start cluster is all free, the
  // file most likely lay there; if other (live) files hold clusters inside it, the file was
  // fragmented around them: take the free clusters from the start on first, as Sleuthkit does.
  const last = volume.clusterCount + 2;
  let runFree = start + need <= last;
  for (let c = start + 1; runFree && c < start + need; c++) if (!volume.isFree(c)) runFree = false;
  const free: number[] = [];
  if (!runFree) for (let c = start; c < last && free.length < need; c++) if (c === start || volume.isFree(c)) free.push(c);
  if (free.length === need) yield { how: 'free clusters', extents: clustersToExtents(volume, free) };
  yield { how: 'contiguous', extents: run(start, need) };
}

export function clustersToExtents(volume: Volume, clusters: readonly number[]): Extent[] {
  const out: Extent[] = [];
  for (const c of clusters) {
    const off = volume.clusterOffset(c);
    const last = out[out.length - 1];
    if (last && last.offset + last.length === off) last.length += volume.clusterSize;
    else out.push({ offset: off, length: volume.clusterSize });
  }
  return out;
}

/**
 * The free clusters of a volume from the cluster at `offset` on, as extents, up to `maxBytes`.
 * A carved file cut short where a live file's clusters begin most likely went on in the next
 * free clusters (the allocator skipped the live ones): this is the layout to measure again.
 */
export function freeExtentsFrom(volume: Volume, offset: number, maxBytes: number): Extent[] | null {
  const cs = volume.clusterSize;
  const rel = offset - volume.dataOffset;
  if (rel < 0 || rel % cs !== 0) return null;
  const first = 2 + rel / cs;
  const last = volume.clusterCount + 2;
  const clusters: number[] = [];
  for (let c = first; c < last && clusters.length * cs < maxBytes; c++) if (c === first || volume.isFree(c)) clusters.push(c);
  return clustersToExtents(volume, clusters);
}
