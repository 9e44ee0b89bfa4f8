/**
 * Opt-in memory breakdown for a benchmark run: `node --import ./backend/bench/memory-sampler.mjs …` with
 * BENCH_MEMORY_LOG=<file> appends one JSON line every 100 ms per thread (the main thread and every worker thread,
 * which inherit the preload): process RSS, this isolate's heap, external and array buffers.
 */
import { appendFileSync } from 'node:fs';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { isMainThread, threadId } from 'node:worker_threads';

const file = process.env.BENCH_MEMORY_LOG;
if (file) {
  const MiB = (n) => Math.round((n / 1048576) * 10) / 10;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    const h = getHeapStatistics();
    appendFileSync(
      file,
      `${JSON.stringify({ t: Date.now(), pid: process.pid, thread: isMainThread ? 'main' : `worker-${threadId}`, rss: MiB(m.rss), heapTotal: MiB(h.total_heap_size), heapUsed: MiB(h.used_heap_size), external: MiB(h.external_memory), mallocedNow: MiB(h.malloced_memory), peakMalloced: MiB(h.peak_malloced_memory), arrayBuffers: MiB(m.arrayBuffers), spaces: Object.fromEntries(getHeapSpaceStatistics().map((x) => [x.space_name, MiB(x.space_size)])) })}\n`,
    );
  }, 100);
  timer.unref();
}
