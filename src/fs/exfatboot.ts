// The exFAT boot sector: geometry, every field checked.

export interface ExfatGeometry {
  bytesPerSector: number;
  clusterSize: number;
  /** Byte offsets relative to the volume start. */
  fatOffset: number;
  fatLength: number;
  heapOffset: number;
  clusterCount: number;
  rootCluster: number;
  volumeLength: number;
}

export function parseExfatBoot(b: Buffer): ExfatGeometry | string {
  if (b.length < 512) return 'boot sector is short';
  if (b.subarray(3, 11).toString('latin1') !== 'EXFAT   ') return 'no EXFAT signature';
  if (b.readUInt16LE(510) !== 0xaa55) return 'no boot signature';
  for (let i = 11; i < 64; i++) if (b[i] !== 0) return 'MustBeZero area is not zero';
  const bpsShift = b[108];
  const spcShift = b[109];
  if (bpsShift < 9 || bpsShift > 12) return `bytes-per-sector shift ${bpsShift}`;
  if (spcShift > 25 - bpsShift) return `sectors-per-cluster shift ${spcShift}`;
  const bps = 2 ** bpsShift;
  const volSectors = Number(b.readBigUInt64LE(72));
  const fatOffset = b.readUInt32LE(80);
  const fatLength = b.readUInt32LE(84);
  const heapOffset = b.readUInt32LE(88);
  const clusterCount = b.readUInt32LE(92);
  const rootCluster = b.readUInt32LE(96);
  const numFats = b[110];
  if (numFats !== 1 && numFats !== 2) return `FAT count ${numFats}`;
  if (fatOffset < 24 || fatLength === 0) return 'FAT offset/length out of range';
  if (heapOffset < fatOffset + fatLength * numFats) return 'cluster heap overlaps the FAT';
  if (clusterCount === 0 || clusterCount > 0xfffffff5) return `cluster count ${clusterCount}`;
  if ((clusterCount + 2) * 4 > fatLength * bps) return 'FAT too small for the cluster count';
  if (!Number.isSafeInteger(volSectors * bps)) return 'volume length out of range';
  const clusterSize = bps * 2 ** spcShift;
  if (heapOffset * bps + clusterCount * clusterSize > volSectors * bps) return 'cluster heap runs past the volume';
  if (rootCluster < 2 || rootCluster > clusterCount + 1) return `root cluster ${rootCluster} out of range`;
  // VolumeFlags bit 0: the second FAT is the active one (TexFAT only).
  const active = numFats === 2 && b.readUInt16LE(106) & 1 ? 1 : 0;
  return {
    bytesPerSector: bps,
    clusterSize,
    fatOffset: (fatOffset + active * fatLength) * bps,
    fatLength: fatLength * bps,
    heapOffset: heapOffset * bps,
    clusterCount,
    rootCluster,
    volumeLength: volSectors * bps,
  };
}

export function looksLikeExfatBoot(b: Buffer): boolean {
  return typeof parseExfatBoot(b) !== 'string';
}
