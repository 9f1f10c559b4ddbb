#!/usr/bin/env node
/**
 * Make the embedded database's cluster template at install time (npm's
 * `prepare` in a checkout, `postinstall` from the registry), so that the first
 * `vsg init` or `vsg demo` copies a cluster instead of running PGlite's initdb
 * (5-10 s of WebAssembly), and keep PGlite's file bundle there so that
 * commands mount it instead of loading it. Only ever a shortcut, and it always exits 0:
 * without a build or with VSG_CACHE_DIR empty it does nothing, on a failure it
 * says so in one line, and `vsg init` then makes the template itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'db', 'template.js');
if (!fs.existsSync(built)) process.exit(0); // postinstall before the build in a checkout: prepare comes back to it
if (process.env.VSG_CACHE_DIR === '') process.exit(0);
try {
  const { cacheDir, clusterTemplate } = await import(pathToFileURL(built).href);
  const { bundleCached } = await import(pathToFileURL(path.join(path.dirname(built), 'bundle.js')).href);
  const { openEmbeddedThrowaway } = await import(pathToFileURL(path.join(path.dirname(built), 'embedded.js')).href);
  const started = Date.now();
  await clusterTemplate();
  // A first start keeps PGlite's file bundle in the cache (src/db/bundle.ts).
  if (!bundleCached()) await (await openEmbeddedThrowaway()).close();
  console.log(`vsg: embedded database template ready in ${cacheDir()} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} catch (e) {
  console.log(`vsg: embedded database template not made now (${e instanceof Error ? e.message : e}); the first vsg init will make it`);
}
