/** Starting the worker processes through throng, with its signal handling taken out. */
import throng from 'throng';

const THRONG_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Forks the workers through throng with revival off. throng merges `signals: []` with its
 * defaults (lodash defaultsDeep) and installs SIGTERM/SIGINT handlers that kill the workers and
 * call process.exit() after its grace time, cutting a commit short and exiting 0. Its handlers
 * are removed as soon as it has installed them (synchronously, before any signal can arrive):
 * signals belong to the run session alone.
 */
export async function startCluster(count: number): Promise<void> {
  const before = new Map(THRONG_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  await throng({ master: () => {}, worker: () => {}, count, lifetime: 0, signals: [] });
  for (const sig of THRONG_SIGNALS) {
    for (const l of process.listeners(sig)) if (!before.get(sig)!.has(l)) process.off(sig, l);
  }
}
