// The preview worker thread: reads a found file's bytes through the engine and decodes them,
// so a 20 MB photo never stalls the screen.
import { parentPort } from 'node:worker_threads';
import { readFoundFile } from '../../app/index.ts';
import type { FoundFile } from '../../core/types.ts';
import { decodePreview } from './decode.ts';

export interface PreviewRequest {
  id: number;
  source: string;
  file: FoundFile;
  want: number;
}

export interface PreviewReply {
  id: number;
  fileId: string;
  image?: { width: number; height: number; rgb: Uint8Array };
  meta: [string, string][];
  hex?: Uint8Array;
  error?: string;
}

/** Photos up to this size are read whole for the preview; videos only their first bytes. */
const MAX_PHOTO_BYTES = 64 * 1024 * 1024;

async function handle(req: PreviewRequest): Promise<PreviewReply> {
  try {
    const isVideo = req.file.format === 'mp4' || req.file.format === 'mov';
    const bytes = readFoundFile(req.source, req.file, isVideo ? 4096 : MAX_PHOTO_BYTES);
    const d = await decodePreview(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), req.file.format, req.want);
    return { id: req.id, fileId: req.file.id, image: d.image, meta: d.meta, hex: d.hex, error: d.error };
  } catch (e) {
    return { id: req.id, fileId: req.file.id, meta: [], error: (e as Error).message || String(e) };
  }
}

parentPort?.on('message', (req: PreviewRequest) => {
  void handle(req).then((reply) => {
    const transfer = [reply.image?.rgb.buffer, reply.hex?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    parentPort!.postMessage(reply, transfer);
  });
});
