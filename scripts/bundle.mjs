// The esbuild build of the page entries, shared by scripts/dist.mjs and the bench's start-up
// variant (scripts/bench/startup.mjs), so both split and name the chunks alike.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';

/** One entry per way of use; what they share lands in chunk-<hash>.js files. */
export const ENTRIES = ['s3file', 's3file-django', 's3file-element', 'locales/de'];

/**
 * Copies build/wasm/<name>.wasm to `outdir` as <name>-<HASH>.wasm, named by its content like
 * esbuild's chunks: the server caches such names for a year (a new build gets a new name), so a
 * return visit loads the engine without a request. {name: fileName}.
 */
export function copyEngines(root, outdir) {
  const names = {};
  for (const name of ['s3file-engine', 's3file-engine-mp']) {
    const hash = createHash('sha256').update(readFileSync(`${root}build/wasm/${name}.wasm`)).digest('hex').slice(0, 8).toUpperCase();
    names[name] = `${name}-${hash}.wasm`;
    copyFileSync(`${root}build/wasm/${name}.wasm`, `${outdir}${names[name]}`);
  }
  return names;
}

/**
 * Bundles `${web}<entry>.js` into `outdir` with the Emscripten glue from `glue` (a folder with
 * s3file-engine.mjs and s3file-engine-mp.mjs); `engines` are copyEngines()'s names, which the
 * loaders fetch beside themselves (import.meta.url). Resolves to esbuild's metafile.
 */
export async function bundle({ web, glue, outdir, engines }) {
  const { metafile } = await build({
    entryPoints: Object.fromEntries(ENTRIES.map((name) => [name, `${web}${name}.js`])),
    outdir,
    chunkNames: 'chunk-[hash]',  // beside the .wasm: the engine finds it through import.meta.url
    splitting: true,
    metafile: true,
    bundle: true,
    format: 'esm',
    minify: true,
    target: ['es2021'],
    legalComments: 'none',
    logLevel: 'warning',
    define: { S3FILE_ENGINE_WASM: JSON.stringify(engines['s3file-engine']), S3FILE_ENGINE_MP_WASM: JSON.stringify(engines['s3file-engine-mp']) },
    plugins: [{
      name: 's3file-engine',  // the glue comes from the wasm build, not from web/
      setup(context) {
        context.onResolve({ filter: /s3file-engine(-mp)?\.mjs$/ }, (args) => ({ path: `${glue}${args.path.split('/').pop()}` }));
      },
    }],
  });
  return metafile;
}
