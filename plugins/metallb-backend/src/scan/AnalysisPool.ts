import type { LoggerService } from '@backstage/backend-plugin-api';
import type { OwnershipDetector } from '@lb-doctor/plugin-metallb-common';
import { Worker } from 'node:worker_threads';
import {
  ANALYSIS_MODULE,
  AnalysisInput,
  AnalysisResult,
  analyzeRead,
} from './analysis';

/**
 * The worker's whole program, evaluated as CommonJS. It requires the analysis module by path, so
 * it runs the same code as the main thread: the built file in production, the TypeScript source in
 * dev, where the backend's transpiler hook (`--require .../nodeTransform.cjs`, inherited through
 * `execArgv`) makes that possible. If the module cannot be loaded it says so and exits, and the
 * pool analyses on the calling thread instead.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let analyzeRead;
try {
  analyzeRead = require(workerData.module).analyzeRead;
  if (typeof analyzeRead !== 'function') throw new Error('analyzeRead is not exported');
} catch (error) {
  parentPort.postMessage({ type: 'unavailable', message: String((error && error.message) || error) });
}
if (analyzeRead) {
  parentPort.on('message', input => {
    let reply;
    try {
      reply = { type: 'result', result: analyzeRead(input) };
    } catch (error) {
      reply = { type: 'error', message: String((error && error.stack) || error) };
    }
    parentPort.postMessage(reply);
  });
  parentPort.postMessage({ type: 'ready' });
}
`;

type WorkerReply =
  | { type: 'ready' }
  | { type: 'unavailable'; message: string }
  | { type: 'result'; result: AnalysisResult }
  | { type: 'error'; message: string };

interface Job {
  input: AnalysisInput;
  resolve: (result: AnalysisResult) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  ready: boolean;
  job?: Job;
}

export interface AnalysisPoolOptions {
  /** Number of worker threads; 0 analyses on the calling thread. */
  size: number;
  logger: LoggerService;
  /** The workers' node options; default: the process's own (which carry dev's transpiler hook). */
  execArgv?: string[];
}

/**
 * A few worker threads that run the engine's analysis of a cluster read, so that analysis overlaps
 * the reads of other clusters and the event loop stays free for HTTP requests during a scan.
 * Detectors added by backend modules are functions, which cannot be sent to a thread: a scan with
 * such detectors analyses on the calling thread, as does a pool whose workers cannot load the
 * analysis module (logged once, at debug level).
 */
export class AnalysisPool {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Job[] = [];
  private unavailable = false;
  private closed = false;

  constructor(private readonly options: AnalysisPoolOptions) {}

  /** How the next analysis will run: `worker` once workers have loaded, else `thread`. */
  get mode(): 'worker' | 'thread' {
    return this.usable() && this.workers.some(w => w.ready)
      ? 'worker'
      : 'thread';
  }

  analyze(
    input: AnalysisInput,
    detectors: OwnershipDetector[] = [],
  ): Promise<AnalysisResult> {
    if (detectors.length > 0 || !this.usable()) {
      return this.inThread(input, detectors);
    }
    return new Promise<AnalysisResult>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      try {
        this.startWorkers();
      } catch (error) {
        // No thread could be started (e.g. resource limits): analyse here.
        this.options.logger.warn(
          `Cannot start analysis workers (${error}); analysing scans on the main thread`,
        );
        this.disable();
        return;
      }
      this.dispatch();
    });
  }

  /** Stops the workers; later analyses run on the calling thread. */
  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers.splice(0);
    // Analyses still running in a worker finish here instead of never.
    for (const w of workers) if (w.job) this.queue.unshift(w.job);
    await Promise.all(workers.map(w => w.worker.terminate()));
    this.drainInThread();
  }

  private usable(): boolean {
    return this.options.size > 0 && !this.unavailable && !this.closed;
  }

  private async inThread(
    input: AnalysisInput,
    detectors: OwnershipDetector[],
  ): Promise<AnalysisResult> {
    return analyzeRead(input, detectors);
  }

  private startWorkers() {
    while (this.workers.length < this.options.size) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module: ANALYSIS_MODULE },
        ...(this.options.execArgv ? { execArgv: this.options.execArgv } : {}),
      });
      const entry: PoolWorker = { worker, ready: false };
      worker.unref();
      worker.on('message', (reply: WorkerReply) => this.onReply(entry, reply));
      worker.on('error', error => this.onFailure(entry, error));
      worker.on('exit', code => {
        if (!this.closed) {
          this.onFailure(entry, new Error(`exited with code ${code}`));
        }
      });
      this.workers.push(entry);
    }
  }

  private onReply(entry: PoolWorker, reply: WorkerReply) {
    switch (reply.type) {
      case 'ready':
        if (!this.workers.some(w => w.ready)) {
          this.options.logger.debug(
            `Analysing scans in ${this.options.size} worker thread(s)`,
          );
        }
        entry.ready = true;
        this.dispatch();
        return;
      case 'unavailable':
        this.options.logger.debug(
          `Analysis workers cannot load ${ANALYSIS_MODULE} (${reply.message}); analysing scans on the main thread`,
        );
        this.disable();
        return;
      default: {
        const job = entry.job;
        entry.job = undefined;
        entry.worker.unref();
        if (reply.type === 'result') job?.resolve(reply.result);
        else job?.reject(new Error(`analysis failed: ${reply.message}`));
        this.dispatch();
      }
    }
  }

  /** A worker died: its job and the queue go to the calling thread, and so do later scans. */
  private onFailure(entry: PoolWorker, error: Error) {
    if (this.unavailable || this.closed) return;
    this.options.logger.warn(
      `An analysis worker failed (${error.message}); analysing scans on the main thread`,
    );
    if (entry.job) this.queue.unshift(entry.job);
    entry.job = undefined;
    this.disable();
  }

  private disable() {
    this.unavailable = true;
    const workers = this.workers.splice(0);
    for (const w of workers) {
      if (w.job) this.queue.unshift(w.job);
      w.job = undefined;
      w.worker.terminate().catch(() => undefined);
    }
    this.drainInThread();
  }

  private drainInThread() {
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      const { resolve, reject } = job;
      this.inThread(job.input, []).then(resolve, reject);
    }
  }

  private dispatch() {
    for (const entry of this.workers) {
      if (!entry.ready || entry.job) continue;
      const job = this.queue.shift();
      if (!job) return;
      entry.job = job;
      // Referenced while it works, so a pending analysis keeps the process alive.
      entry.worker.ref();
      entry.worker.postMessage(job.input);
    }
  }
}
