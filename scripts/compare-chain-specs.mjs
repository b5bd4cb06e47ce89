// Compares freshly generated chain specs with the committed ones, ignoring only the runtime
// code (see gen-chain-specs.sh). Usage: node compare-chain-specs.mjs FRESH_DIR COMMITTED_DIR FILE...
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [freshDir, committedDir, ...files] = process.argv.slice(2);
const CODE_KEY = '0x3a636f6465'; // twox-free well-known key ":code"

function withoutCode(spec) {
  const genesis = spec.genesis ?? {};
  if (genesis.runtimeGenesis) delete genesis.runtimeGenesis.code;
  if (genesis.raw?.top) delete genesis.raw.top[CODE_KEY];
  return spec;
}

let stale = 0;
for (const file of files) {
  const fresh = withoutCode(JSON.parse(readFileSync(join(freshDir, file), 'utf8')));
  const committed = withoutCode(JSON.parse(readFileSync(join(committedDir, file), 'utf8')));
  if (JSON.stringify(fresh) !== JSON.stringify(committed)) {
    console.error(`${committedDir}/${file} is stale: run scripts/gen-chain-specs.sh and commit the result`);
    stale += 1;
  }
}
if (stale) process.exit(1);
console.log(`chain specs are up to date (${files.length} files)`);
