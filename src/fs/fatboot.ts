// The FAT boot sector (BPB): every field is checked before the geometry is trusted.

export interface FatGeometry {
  kind: 'fat12' | 'fat16' | 'fat32';
  bytesPerSector: number;
  sectorsPerCluster: number;
  clusterSize: number;
  reservedSectors: number;
  numFats: number;
  /** Sectors per FAT. */
  fatSectors: number;
  /** The FAT used (FAT32 may mirror or pick one with extFlags). */
  activeFat: number;
  /** The FAT copies are kept equal (not FAT32 with mirroring turned off). */
  mirrored: boolean;
  rootEntries: number;
  totalSectors: number;
  clusterCount: number;
  /** Byte offsets relative to the start of the volume. */
  fatOffset: number;
  rootDirOffset: number;
  dataOffset: number;
  rootCluster: number;
  /** Label from the BPB ('' when "NO NAME" or blank). */
  bpbLabel: string;
}

const isPow2 = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

function label11(buf: Buffer, at: number): string {
  const raw = buf.subarray(at, at + 11).toString('latin1').replace(/[\0 ]+$/, '');
  return raw === 'NO NAME' ? '' : raw;
}

/** Parse a FAT boot sector. Returns the geometry or a reason it is not a usable FAT volume. */
export function parseFatBoot(b: Buffer): FatGeometry | string {
  if (b.length < 512) return 'boot sector is short';
  const bps = b.readUInt16LE(11);
  const spc = b[13];
  const reserved = b.readUInt16LE(14);
  const numFats = b[16];
  const rootEntries = b.readUInt16LE(17);
  const tot16 = b.readUInt16LE(19);
  const media = b[21];
  const fat16 = b.readUInt16LE(22);
  const tot32 = b.readUInt32LE(32);
  const fat32 = b.readUInt32LE(36);
  if (![512, 1024, 2048, 4096].includes(bps)) return `bytes per sector ${bps} is not 512..4096`;
  if (!isPow2(spc) || spc > 128) return `sectors per cluster ${spc} is not a power of two <= 128`;
  if (bps * spc > 256 * 1024) return 'cluster size above 256 KiB';
  if (reserved < 1) return 'no reserved sectors';
  if (numFats < 1 || numFats > 4) return `FAT count ${numFats}`;
  if (media !== 0xf0 && media < 0xf8) return `media byte 0x${media.toString(16)}`;
  const totalSectors = tot16 || tot32;
  const fatSectors = fat16 || fat32;
  if (totalSectors === 0) return 'total sectors is zero';
  if (fatSectors === 0) return 'FAT size is zero';
  const rootSectors = Math.ceil((rootEntries * 32) / bps);
  const meta = reserved + numFats * fatSectors + rootSectors;
  if (meta >= totalSectors) return 'FATs and root directory fill the whole volume';
  const clusterCount = Math.floor((totalSectors - meta) / spc);
  // FAT type by cluster count, as the specification says (not by the type string).
  const kind = clusterCount < 4085 ? 'fat12' : clusterCount < 65525 ? 'fat16' : 'fat32';
  if (clusterCount < 1) return 'no data clusters';
  if (kind === 'fat32') {
    if (fat16 !== 0 || rootEntries !== 0) return 'FAT32 by cluster count but FAT16 fields are set';
    if (clusterCount > 0x0ffffff5) return 'too many clusters for FAT32';
  } else if (rootEntries === 0) return `${kind} without root directory entries`;
  const bits = kind === 'fat12' ? 12 : kind === 'fat16' ? 16 : 32;
  if (Math.floor((fatSectors * bps * 8) / bits) < clusterCount + 2) return 'FAT too small for the cluster count';
  // The volume may be longer than the image (a truncated dump): allowed, reads come back as zeros.
  let activeFat = 0;
  let mirrored = true;
  let rootCluster = 0;
  let bpbLabel: string;
  if (kind === 'fat32') {
    const ext = b.readUInt16LE(40);
    if (ext & 0x80) {
      activeFat = ext & 0x0f;
      mirrored = false;
    }
    if (activeFat >= numFats) return 'active FAT number out of range';
    rootCluster = b.readUInt32LE(44);
    if (rootCluster < 2 || rootCluster > clusterCount + 1) return `root cluster ${rootCluster} out of range`;
    bpbLabel = b[66] === 0x29 ? label11(b, 71) : '';
  } else {
    bpbLabel = b[38] === 0x29 ? label11(b, 43) : '';
  }
  const fatOffset = reserved * bps;
  const rootDirOffset = (reserved + numFats * fatSectors) * bps;
  return {
    kind,
    bytesPerSector: bps,
    sectorsPerCluster: spc,
    clusterSize: bps * spc,
    reservedSectors: reserved,
    numFats,
    fatSectors,
    activeFat,
    mirrored,
    rootEntries,
    totalSectors,
    clusterCount,
    fatOffset,
    rootDirOffset,
    dataOffset: rootDirOffset + rootSectors * bps,
    rootCluster,
    bpbLabel,
  };
}

/** Quick test used to tell a boot sector at offset 0 from an MBR. */
export function looksLikeFatBoot(b: Buffer): boolean {
  if (b.length < 512 || b.readUInt16LE(510) !== 0xaa55) return false;
  if (b[0] !== 0xeb && b[0] !== 0xe9) return false;
  return typeof parseFatBoot(b) !== 'string';
}
