// Checks this build's migrations against a live chain's state, the way try-runtime's
// `on-runtime-upgrade` does, with nothing but the node (no try-runtime CLI fits stable2609):
//   1. reads every key and value of the state at a block of the live node (`state_getKeysPaged`,
//      `state_queryStorageAt`), and sets `:code` to the try-runtime build of the runtime;
//   2. writes a raw chain spec whose genesis is that state and starts a throwaway node on it
//      (no network, no authoring);
//   3. calls `TryRuntime_on_runtime_upgrade` there (`state_call`, checks "all": every
//      migration's pre_upgrade and post_upgrade, then every pallet's try_state) and prints the
//      weight the migrations take; a failed check comes back as the runtime's panic message.
// Usage (scripts/try-runtime.sh builds the WASM and passes these):
//   node scripts/try-runtime.mjs <live node http url> <try-runtime wasm> <node binary> <base raw spec> [block hash]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const PAGE = 1000;
const READY_TIMEOUT_MS = 120_000;
/** `frame_try_runtime::UpgradeCheckSelect::All`. */
const CHECKS_ALL = '0x01';

const [url, wasmPath, nodeBin, baseSpecPath, atArg] = process.argv.slice(2);
if (!url || !wasmPath || !nodeBin || !baseSpecPath) {
  console.error('usage: node scripts/try-runtime.mjs <live node http url> <try-runtime wasm> <node binary> <base raw spec> [block hash]');
  process.exit(2);
}

async function rpc(endpoint, method, params = []) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}${body.error.data ? `: ${body.error.data}` : ''}`);
  return body.result;
}

/** Every `[key, value]` of the top trie at block `at`. */
async function readState(at) {
  const state = {};
  let startKey = null;
  for (;;) {
    const keys = await rpc(url, 'state_getKeysPaged', ['0x', PAGE, startKey, at]);
    if (keys.length === 0) break;
    const [changes] = await rpc(url, 'state_queryStorageAt', [keys, at]);
    for (const [key, value] of changes.changes) {
      if (value !== null) state[key] = value;
    }
    startKey = keys[keys.length - 1];
    if (keys.length < PAGE) break;
  }
  return state;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** SCALE compact integer at `bytes[offset]`: `[value, next offset]`. */
function compact(bytes, offset) {
  const mode = bytes[offset] & 3;
  if (mode === 0) return [BigInt(bytes[offset] >> 2), offset + 1];
  if (mode === 1) return [BigInt((bytes[offset] | (bytes[offset + 1] << 8)) >> 2), offset + 2];
  if (mode === 2) return [BigInt(Buffer.from(bytes.subarray(offset, offset + 4)).readUInt32LE() >>> 2), offset + 4];
  const length = (bytes[offset] >> 2) + 4;
  let value = 0n;
  for (let i = length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[offset + 1 + i]);
  return [value, offset + 1 + length];
}

/** A SCALE `Weight { ref_time: Compact<u64>, proof_size: Compact<u64> }`. */
function weight(bytes, offset) {
  const [refTime, next] = compact(bytes, offset);
  const [proofSize, end] = compact(bytes, next);
  return [{ refTime, proofSize }, end];
}

const hex = (text) => Buffer.from(text.slice(2), 'hex');

async function main() {
  const at = atArg ?? (await rpc(url, 'chain_getFinalizedHead'));
  const header = await rpc(url, 'chain_getHeader', [at]);
  const version = await rpc(url, 'state_getRuntimeVersion', [at]);
  const started = Date.now();
  const state = await readState(at);
  const keys = Object.keys(state).length;
  const bytes = Object.values(state).reduce((sum, value) => sum + (value.length - 2) / 2, 0);
  console.log(`[try-runtime] state of #${parseInt(header.number, 16)} (${at}, ${version.specName} spec ${version.specVersion}): ` +
    `${keys} keys, ${bytes} bytes of values, read in ${Date.now() - started} ms`);

  const code = readFileSync(wasmPath);
  state['0x3a636f6465'] = `0x${code.toString('hex')}`; // ":code"
  const spec = JSON.parse(readFileSync(baseSpecPath, 'utf8'));
  spec.name = `${spec.name} (try-runtime fork)`;
  spec.id = `${spec.id}_try_runtime`;
  spec.bootNodes = [];
  spec.genesis = { raw: { top: state, childrenDefault: {} } };

  const dir = mkdtempSync(path.join(os.tmpdir(), 'luxtensor-try-runtime-'));
  const specPath = path.join(dir, 'fork.json');
  writeFileSync(specPath, JSON.stringify(spec));
  const [rpcPort, p2pPort] = [await freePort(), await freePort()];
  const logPath = path.join(dir, 'node.log');
  const node = spawn(nodeBin, [
    '--chain', specPath, '--base-path', path.join(dir, 'db'), '--rpc-port', String(rpcPort), '--port', String(p2pPort),
    '--no-mdns', '--no-prometheus', '--no-telemetry', '--reserved-only', '--rpc-max-response-size', '100',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const log = [];
  node.stderr.on('data', (chunk) => log.push(chunk));
  const forkUrl = `http://127.0.0.1:${rpcPort}`;
  try {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let genesis = null;
    while (!genesis) {
      if (node.exitCode !== null) throw new Error(`the fork node exited (${node.exitCode})`);
      if (Date.now() > deadline) throw new Error('the fork node did not answer RPC in time');
      genesis = await rpc(forkUrl, 'chain_getBlockHash', [0]).catch(() => null);
      if (!genesis) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const forked = await rpc(forkUrl, 'state_getRuntimeVersion', [genesis]);
    console.log(`[try-runtime] fork genesis ${genesis} runs ${forked.specName} spec ${forked.specVersion} (the try-runtime build)`);
    const called = Date.now();
    const result = hex(await rpc(forkUrl, 'state_call', ['TryRuntime_on_runtime_upgrade', CHECKS_ALL, genesis]));
    const [used, next] = weight(result, 0);
    const [max] = weight(result, next);
    // What each migration logged (VersionedMigration: which ran, which are no-ops now).
    for (const line of Buffer.concat(log).toString().split('\n').filter((l) => l.includes('🚚'))) {
      console.log(`[try-runtime]   ${line.replace(/^.*?🚚/, '🚚')}`);
    }
    const percent = (part, whole) => ((Number(part) * 100) / Number(whole)).toFixed(2);
    console.log(`[try-runtime] on_runtime_upgrade passed every pre/post check and try_state in ${Date.now() - called} ms: ` +
      `weight ${used.refTime} ref time (${percent(used.refTime, max.refTime)}% of a block), ` +
      `${used.proofSize} proof bytes (${percent(used.proofSize, max.proofSize)}%)`);
  } catch (error) {
    writeFileSync(logPath, Buffer.concat(log));
    console.error(`[try-runtime] FAILED: ${error.message}\n[try-runtime] the fork node's log: ${logPath}`);
    process.exitCode = 1;
  } finally {
    if (node.exitCode === null) {
      const exited = new Promise((resolve) => node.once('exit', resolve));
      node.kill('SIGTERM');
      await exited;
    }
    if (process.exitCode !== 1) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`[try-runtime] ${error.message}`);
  process.exit(1);
});
