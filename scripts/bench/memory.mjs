// Memory (issue 11's target 4), in Chromium with precise heap figures:
// (a) during one large disk-backed upload with upload() (one POST), the JS heap's peak growth
//     (performance.memory, sampled every 20 ms) and the wasm linear memory's growth: the file's
//     bytes should stay in the browser's blob and network code, never in JS or wasm memory;
// (b) after batches of many small in-memory files, what stays on the JS heap once every batch
//     has ended and a full collection ran: nothing per file should stay (upload() forgets its
//     batch when it settles, web/batch.js), and engine().files (the File of every upload not yet
//     forgotten) should be empty.
// The page does not expose the engine's wasm memory: web/engine.js keeps the glue's module to
// itself and the minimal runtime keeps its exports in local variables. So an init script, run
// before any page script, wraps WebAssembly.instantiate and keeps each Instance it resolves
// with; the memory is the Instance's exported WebAssembly.Memory (its export name is minified).

/** Before any script of the page: remember every wasm Instance the page creates. */
export async function watchWasm(page) {
  await page.addInitScript(() => {
    const instances = (window.benchWasmInstances = []);
    const keep = (result) => { instances.push(result.instance || result); return result; };
    const { instantiate, instantiateStreaming } = WebAssembly;
    WebAssembly.instantiate = (...args) => instantiate.apply(WebAssembly, args).then(keep);
    if (instantiateStreaming) WebAssembly.instantiateStreaming = (...args) => instantiateStreaming.apply(WebAssembly, args).then(keep);
  });
}

/**
 * (a) One upload() of #bench-file (put there by `setup(page)`) in a fresh page: peak JS heap
 * growth and wasm memory bytes before and after (the engine loaded and one small upload done
 * first, so the first upload's one-off allocations are not counted against the large file).
 */
export async function largeUploadMemory(page, app, setup) {
  await page.goto(`${app}/`);
  await setup(page);
  return page.evaluate(async () => {
    const file = document.getElementById('bench-file').files[0];
    const { upload } = await import('/s3file.js');
    await upload([new File(['warm-up'], 'w.bin')], { policyUrl: '/api/policy' });
    const memories = () => window.benchWasmInstances.flatMap((instance) =>
      Object.values(instance.exports).filter((e) => e instanceof WebAssembly.Memory));
    const wasmBytes = () => memories().reduce((sum, memory) => sum + memory.buffer.byteLength, 0);
    const wasmBefore = wasmBytes();
    const base = performance.memory.usedJSHeapSize;
    let peak = base;
    const sampler = setInterval(() => { peak = Math.max(peak, performance.memory.usedJSHeapSize); }, 20);
    const started = performance.now();
    await upload([file], { policyUrl: '/api/policy' });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, performance.memory.usedJSHeapSize);
    return { seconds, heapGrowth: peak - base, wasmBefore, wasmAfter: wasmBytes(), memories: memories().length };
  });
}

/**
 * (b) `count` in-memory files of `size` bytes, made once and kept (they are the page's, not the
 * upload's): one warm-up batch, full collections, the baseline; then `batches` batches, full
 * collections after each, and the heap against the baseline. Needs Chromium with
 * --js-flags=--expose-gc (window.gc).
 */
export async function retainedAfterBatches(page, app, { count, size, batches }) {
  await page.goto(`${app}/demo/library-only.html`);
  return page.evaluate(async ({ count, size, batches }) => {
    const bytes = new Uint8Array(size).fill(97);
    const files = Array.from({ length: count }, (_, i) => new File([bytes], `f${i}.txt`, { type: 'text/plain' }));
    const { upload, engine } = await import('/s3file.js');
    // Several collections with a turn of the event loop between them: objects freed by one
    // (weak maps' entries, finalizers, the XHRs' last callbacks) are collected by the next.
    const settle = async () => {
      for (let i = 0; i < 5; i += 1) {
        window.gc();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return performance.memory.usedJSHeapSize;
    };
    await upload(files, { policyUrl: '/api/policy' });  // warm-up: engine, code, sockets, first-batch growth
    const baseline = await settle();
    const after = [];
    for (let b = 0; b < batches; b += 1) {
      // The results are the caller's to keep; not holding them (a local would live across the
      // awaits below) measures what the library keeps.
      if ((await upload(files, { policyUrl: '/api/policy' })).length !== count) throw new Error('not every file stored');
      after.push(await settle());
    }
    return { baseline, after, filesLeft: (await engine()).files.size };
  }, { count, size, batches });
}
