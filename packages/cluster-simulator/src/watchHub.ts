import { KubeObject } from './types';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchRecord {
  rv: number;
  storageKey: string;
  type: WatchEventType;
  object: KubeObject;
  /** The state before a MODIFIED write, so watches can tell objects entering or leaving a selector. */
  previous?: KubeObject;
}

/**
 * Fan-out of store changes to open watches, with a bounded history so a watch may start from a
 * recent resourceVersion (like the watch cache); older versions are "compacted" and answer 410.
 */
export class WatchHub {
  private readonly history: WatchRecord[] = [];
  private readonly listeners = new Set<(record: WatchRecord) => void>();
  /** Highest resourceVersion no longer covered by the history. */
  compactedRv = 0;

  constructor(private readonly capacity = 1000) {}

  publish(record: WatchRecord): void {
    this.history.push(record);
    while (this.history.length > this.capacity) {
      const dropped = this.history.shift();
      if (dropped) this.compactedRv = dropped.rv;
    }
    for (const listener of [...this.listeners]) listener(record);
  }

  /** Records after `rv`, or undefined when `rv` is older than the retained history. */
  since(rv: number): WatchRecord[] | undefined {
    if (rv < this.compactedRv) return undefined;
    return this.history.filter(r => r.rv > rv);
  }

  subscribe(listener: (record: WatchRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get watcherCount(): number {
    return this.listeners.size;
  }
}
