// Loads the wasm engine once per page. The .wasm sits beside this module, found through
// import.meta.url, so dist/ works from any static host or CDN without a bundler.
import loadEngine from './s3file-engine.mjs';

let loading = null;

/** The page's engine: {api, state, events}; `events` is the EventTarget all engine events hit. */
export function engine() {
  loading ??= (async () => {
    const response = await fetch(new URL('./s3file-engine.wasm', import.meta.url));
    if (!response.ok) throw new Error(`s3file: could not load its engine (HTTP ${response.status})`);
    // The minimal runtime instantiates from bytes (it expects {instance} back, not a Module).
    const module = await loadEngine({ wasm: await response.arrayBuffer() });
    const events = new EventTarget();
    module.s3f.target = events;
    return { api: module.s3f.api(), state: module.s3f, events };
  })();
  return loading;
}
