// The functions with the most self time in a V8 CPU profile: node hottest.mjs FILE [COUNT]
import { readFileSync } from 'node:fs';

const [file, count = 15] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const sampled = new Map();
profile.samples.forEach((id, i) => sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const selfTime = new Map();
for (const node of profile.nodes) {
  const name = node.callFrame.functionName || '(anonymous)';
  selfTime.set(name, (selfTime.get(name) ?? 0) + (sampled.get(node.id) ?? 0));
}
const total = [...selfTime.values()].reduce((a, b) => a + b, 0);
for (const [name, micros] of [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
  console.log(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(5)} ms  ${name.slice(0, 110)}`);
}
