/**
 * Server CPU per request, measured so that a busy shared machine changes the figure little:
 *
 * - the CPU the server process itself spent (every thread's run time from /proc/<pid>/task/<tid>/schedstat, in
 *   nanoseconds; no 10 ms clock ticks), never wall time, so the client and the other work on the machine count only
 *   through what they do to the server's caches;
 * - the backend and its baseline in alternating rounds (which goes first alternates), the ratio taken per round and
 *   the median of the rounds' ratios reported: a change in the machine's load between rounds hits both sides of a
 *   round alike.
 *
 * Hardware instruction counters would be better still, but the VM here has none (`perf stat -e instructions`
 * reports "not supported") and valgrind makes one run take minutes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/** Run time of every thread of a process so far, in ns (threads that ended meanwhile are not counted). */
export function processCpuNs(pid: number): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      /* the thread ended between the listing and the read */
    }
  }
  return total;
}

/** Run time of the process's main thread (the event loop) so far, in ns. */
export function mainThreadCpuNs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]);
}

async function requests(side: Side, amount: number): Promise<void> {
  const { url } = side;
  const r = await autocannon({
    url,
    connections: side.connections ?? 4,
    amount,
    headers: side.headers ?? {},
    method: side.method ?? 'GET',
    ...(side.body === undefined ? {} : { body: side.body }),
  });
  const bad = r.non2xx + r.errors + r.timeouts;
  if (bad > 0)
    throw new Error(
      `${url}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts of ${r.requests.total} requests`,
    );
}

export interface Side {
  pid: number;
  url: string;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  body?: string;
  /** Requests in flight (default 4). */
  connections?: number;
}

/** CPU per request of one side, µs (process and main thread), around `amount` requests after a short warm-up. */
async function oneRound(side: Side, amount: number): Promise<{ process: number; main: number }> {
  await requests(side, Math.min(200, amount));
  const p0 = processCpuNs(side.pid);
  const m0 = mainThreadCpuNs(side.pid);
  await requests(side, amount);
  return {
    process: (processCpuNs(side.pid) - p0) / 1000 / amount,
    main: (mainThreadCpuNs(side.pid) - m0) / 1000 / amount,
  };
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export interface CpuComparison {
  /** Median over the rounds, µs per request. */
  subject: number;
  baseline: number;
  /** Median of the rounds' ratios (process CPU), and its spread over the rounds. */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  /** The same for the main thread alone (no GC helper threads, no libuv pool). */
  mainSubject: number;
  mainBaseline: number;
  mainRatio: number;
  rounds: number;
}

export async function compareServerCpu(
  subject: Side,
  baseline: Side,
  o: { rounds?: number; amount?: number; warmUp?: number } = {},
): Promise<CpuComparison> {
  const rounds = o.rounds ?? 7;
  const amount = o.amount ?? 2000;
  // JIT warm-up of both servers before anything counts.
  await requests(subject, o.warmUp ?? 2000);
  await requests(baseline, o.warmUp ?? 2000);
  const s: { process: number; main: number }[] = [];
  const b: { process: number; main: number }[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      s.push(await oneRound(subject, amount));
      b.push(await oneRound(baseline, amount));
    } else {
      b.push(await oneRound(baseline, amount));
      s.push(await oneRound(subject, amount));
    }
  }
  const ratios = s.map((x, i) => x.process / (b[i] as { process: number }).process);
  const mainRatios = s.map((x, i) => x.main / (b[i] as { main: number }).main);
  return {
    subject: median(s.map((x) => x.process)),
    baseline: median(b.map((x) => x.process)),
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
    mainSubject: median(s.map((x) => x.main)),
    mainBaseline: median(b.map((x) => x.main)),
    mainRatio: median(mainRatios),
    rounds,
  };
}
