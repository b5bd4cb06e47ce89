// A 2/2 network partition of the 4-validator local network (scripts/partition.sh runs it):
// zombienet's native provider cannot cut links between nodes, so this script runs the four
// validators itself and partitions them by restarting each half with `--reserved-only`, its
// only peer the other node of its half (mDNS off, so nothing else is found).
//   1. alice, bob, charlie and dave (the local chain spec, their dev keys) connect and finalize.
//   2. Partition {alice, bob} | {charlie, dave} for PARTITION_SECONDS: both halves keep
//      authoring their BABE slots on their own forks, and neither finalizes (2 of 4 GRANDPA
//      votes is no supermajority).
//   3. Heal: all four restart connected. They must agree on one chain and finalize past both
//      forks' heads, and every block finalized before the partition keeps its hash on every
//      node: the partition forked unfinalized blocks only.
// Usage: node scripts/partition.mjs <node binary> <raw chain spec> <work dir> [PARTITION_SECONDS]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [nodeBin, spec, workDir, partitionArg = '90'] = process.argv.slice(2);
if (!nodeBin || !spec || !workDir) {
  console.error('usage: node scripts/partition.mjs <node binary> <raw chain spec> <work dir> [PARTITION_SECONDS]');
  process.exit(2);
}
const PARTITION_MS = Number(partitionArg) * 1000;
const BASE_PORT = 31_400;
const NAMES = ['alice', 'bob', 'charlie', 'dave'];
const HALVES = [['alice', 'bob'], ['charlie', 'dave']];
const TIMEOUT_MS = 240_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (...parts) => console.log(`[partition] ${parts.join(' ')}`);

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

// Fixed node keys, so each node's peer id (and so its address) is known before it starts.
const nodes = Object.fromEntries(NAMES.map((name, i) => [name, {
  name,
  key: (i + 1).toString(16).padStart(64, '0'),
  p2p: BASE_PORT + i,
  rpc: BASE_PORT + 100 + i,
  process: null,
  log: path.join(workDir, `${name}.log`),
}]));

async function rpc(node, method, params = []) {
  const response = await fetch(`http://127.0.0.1:${node.rpc}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(5000),
  });
  const body = await response.json();
  if (body.error) throw new Error(`${node.name} ${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

async function heads(node) {
  const best = await rpc(node, 'chain_getHeader');
  const finalizedHash = await rpc(node, 'chain_getFinalizedHead');
  const finalized = await rpc(node, 'chain_getHeader', [finalizedHash]);
  return {
    best: parseInt(best.number, 16),
    bestHash: await rpc(node, 'chain_getBlockHash', [parseInt(best.number, 16)]),
    finalized: parseInt(finalized.number, 16),
    finalizedHash,
  };
}

/** Polls `probe()` until it returns a value (errors while a node starts count as not yet). */
async function until(what, probe, timeoutMs = TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const node of Object.values(nodes)) {
      if (node.process && node.process.exitCode !== null) throw new Error(`${node.name} exited (${node.process.exitCode}): see ${node.log}`);
    }
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      if (!/fetch failed|ECONNREFUSED|aborted|timeout/i.test(error.message)) throw error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(1000);
  }
}

const address = (node, peerId) => `/ip4/127.0.0.1/tcp/${node.p2p}/p2p/${peerId}`;

function start(node, peers, reservedOnly) {
  const args = [
    '--chain', spec, '--base-path', path.join(workDir, node.name), `--${node.name}`, '--validator',
    '--node-key', node.key, '--port', String(node.p2p), '--rpc-port', String(node.rpc),
    '--no-mdns', '--no-prometheus', '--no-telemetry',
  ];
  if (reservedOnly) args.push('--reserved-only', '--reserved-nodes', ...peers);
  else if (peers.length) args.push('--bootnodes', ...peers);
  const out = fs.openSync(node.log, 'a');
  node.process = spawn(nodeBin, args, { stdio: ['ignore', out, out] });
}

async function stop(node) {
  if (!node.process || node.process.exitCode !== null) return;
  const exited = new Promise((resolve) => node.process.once('exit', resolve));
  node.process.kill('SIGTERM');
  await exited;
}

async function stopAll() {
  await Promise.all(Object.values(nodes).map(stop));
}

async function main() {
  fs.mkdirSync(workDir, { recursive: true });
  // Each node's peer id (from its fixed key), asked once.
  for (const node of Object.values(nodes)) start(node, [], false);
  for (const node of Object.values(nodes)) node.peerId = await until(`${node.name}'s peer id`, () => rpc(node, 'system_localPeerId'));
  const addresses = Object.fromEntries(NAMES.map((name) => [name, address(nodes[name], nodes[name].peerId)]));
  await stopAll();

  // 1. Connected.
  const connect = () => {
    for (const name of NAMES) start(nodes[name], NAMES.filter((other) => other !== name).map((other) => addresses[other]), false);
  };
  connect();
  const before = await until('finality before the partition', async () => {
    const all = await Promise.all(NAMES.map((name) => heads(nodes[name])));
    return all.every((h) => h.finalized >= 5) ? all : null;
  });
  log(`connected: finalized #${Math.min(...before.map((h) => h.finalized))} on all four`);

  // 2. Partitioned. A block any node had finalized before the split stays final.
  await stopAll();
  for (const half of HALVES) {
    for (const name of half) start(nodes[name], [addresses[half.find((other) => other !== name)]], true);
  }
  const splitAt = Date.now();
  const atSplit = await until('both halves up', () => Promise.all(NAMES.map((name) => heads(nodes[name]))));
  const finalizedAtSplit = Math.max(...atSplit.map((h) => h.finalized));
  const holder = nodes[NAMES[atSplit.findIndex((h) => h.finalized === finalizedAtSplit)]];
  const recorded = [];
  for (let n = 1; n <= finalizedAtSplit; n += 1) recorded.push(await rpc(holder, 'chain_getBlockHash', [n]));
  log(`partitioned {alice, bob} | {charlie, dave}: finalized #${finalizedAtSplit}, bests ${atSplit.map((h) => `#${h.best}`).join(' ')}`);
  await sleep(Math.max(0, PARTITION_MS - (Date.now() - splitAt)));
  const split = await Promise.all(NAMES.map((name) => heads(nodes[name])));
  const [a, c] = [split[0], split[2]];
  log(`after ${Math.round((Date.now() - splitAt) / 1000)} s: ` +
    NAMES.map((name, i) => `${name} best #${split[i].best} finalized #${split[i].finalized}`).join(', '));
  check(a.best > atSplit[0].best && c.best > atSplit[2].best, 'both halves kept authoring');
  check(a.bestHash !== c.bestHash, 'the halves are on different forks');
  for (const [i, h] of split.entries()) {
    check(h.finalized <= finalizedAtSplit, `${NAMES[i]} finalized #${h.finalized} without a supermajority`);
  }
  const forkHeads = { ab: a.best, cd: c.best };
  const forkHashes = { ab: a.bestHash, cd: c.bestHash };

  // 3. Healed.
  await stopAll();
  const healAt = Date.now();
  connect();
  const target = Math.max(forkHeads.ab, forkHeads.cd) + 1;
  const healed = await until(`finality past both forks (#${target}) on all four`, async () => {
    const all = await Promise.all(NAMES.map((name) => heads(nodes[name])));
    if (!all.every((h) => h.finalized >= target)) return null;
    const common = Math.min(...all.map((h) => h.finalized));
    const hashes = await Promise.all(NAMES.map((name) => rpc(nodes[name], 'chain_getBlockHash', [common])));
    return hashes.every((hash) => hash === hashes[0]) ? { common, hash: hashes[0] } : null;
  });
  const healSeconds = Math.round((Date.now() - healAt) / 1000);
  const kept = async (half) => (await rpc(nodes.alice, 'chain_getBlockHash', [forkHeads[half]])) === forkHashes[half];
  const winner = (await kept('ab')) ? 'alice and bob\'s fork' : (await kept('cd')) ? 'charlie and dave\'s fork' : 'neither fork\'s head';
  for (const name of NAMES) {
    for (let n = 1; n <= recorded.length; n += 1) {
      const hash = await rpc(nodes[name], 'chain_getBlockHash', [n]);
      check(hash === recorded[n - 1], `${name}'s block #${n} was finalized before the partition and kept its hash`);
    }
  }
  log(`healed: all four finalized #${healed.common} (${healed.hash.slice(0, 18)}…) ${healSeconds} s after reconnecting; ` +
    `the forks had reached #${forkHeads.ab} (alice, bob) and #${forkHeads.cd} (charlie, dave), and the chain kept ${winner}; ` +
    `the ${recorded.length} blocks finalized before the split kept their hashes on every node`);
}

try {
  await main();
  log('passed');
} catch (error) {
  console.error(`[partition] FAILED: ${error.message}; node logs in ${workDir}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
