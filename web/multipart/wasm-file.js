// Fetching a .wasm that sits beside the modules, for an engine a page does not carry (the
// multipart engine; web/engine.js carries the POST engine's bytes).

/**
 * The .wasm at `url` for an Emscripten glue: its Response when the server says
 * application/wasm, so it is compiled while it downloads and instantiated in the same step
 * (instantiateStreaming requires that type; scripts/bundle.mjs adapts the glue, as Emscripten
 * 3.1.6's minimal runtime expects bytes), else its bytes.
 */
export async function fetchWasm(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`s3file: could not load its engine (HTTP ${response.status})`);
  return /application\/wasm/i.test(response.headers.get('Content-Type')) ? response : response.arrayBuffer();
}
