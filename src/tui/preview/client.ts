// The UI side of the preview worker: one worker, started on first use, one request at a time
// with only the newest waiting (moving through a list does not queue every file passed).
import { Worker } from 'node:worker_threads';
import type { FoundFile } from '../../core/types.ts';
import type { PreviewReply, PreviewRequest } from './worker.ts';

export class PreviewClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private busy: PreviewRequest | null = null;
  private waiting: PreviewRequest | null = null;
  private readonly onReply: (r: PreviewReply) => void;

  constructor(onReply: (r: PreviewReply) => void) {
    this.onReply = onReply;
  }

  request(source: string, file: FoundFile, want: number): void {
    const req: PreviewRequest = { id: this.nextId++, source, file, want };
    if (this.busy) {
      this.waiting = req;
      return;
    }
    this.send(req);
  }

  private send(req: PreviewRequest): void {
    this.busy = req;
    this.ensure().postMessage(req);
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    // From the sources the worker is worker.ts; from the dist/ bundle it is preview-worker.js.
    const w = new Worker(new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './preview-worker.js', import.meta.url));
    w.unref();
    w.on('message', (reply: PreviewReply) => {
      this.busy = null;
      this.onReply(reply);
      const next = this.waiting;
      this.waiting = null;
      if (next) this.send(next);
    });
    w.on('error', (e) => {
      const req = this.busy;
      this.busy = null;
      this.worker = null;
      if (req) this.onReply({ id: req.id, fileId: req.file.id, meta: [], error: `preview worker: ${e.message}` });
    });
    this.worker = w;
    return w;
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}
