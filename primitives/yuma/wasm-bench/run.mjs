// Times the wasm32 epoch: node run.mjs WASM [N] [VALIDATORS] [RUNS]
import { readFileSync } from 'node:fs';

const [wasmPath, n = 4096, validators = 256, runs = 5] = process.argv.slice(2);
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {});
instance.exports.setup(Number(n), Number(validators));
const times = [];
for (let i = 0; i < Number(runs); i++) {
  const start = performance.now();
  const paid = instance.exports.run();
  times.push(performance.now() - start);
  if (paid === 0n) throw new Error('the epoch paid nothing');
}
// The first run includes tier-up from the baseline compiler.
const steady = times.slice(1).sort((a, b) => a - b);
const median = steady[Math.floor(steady.length / 2)] ?? times[0];
console.log(`epoch in wasm32 (V8), ${n} uids, ${validators} validators: median ${median.toFixed(1)} ms of ${steady.length} runs after the first (${times.map((t) => t.toFixed(1)).join(', ')})`);
