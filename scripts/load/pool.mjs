// Runs task(item) over items with at most `concurrency` in flight; stops starting new ones once
// `signal` aborts (hard timeout, Ctrl-C). Tasks record their own outcome and must not throw.
export async function runPool(items, concurrency, task, signal) {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) await task(items[next++]);
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return { started: next, startedAt, seconds: (performance.now() - startedAt) / 1000 };
}
