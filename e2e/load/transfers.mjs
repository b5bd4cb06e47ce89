// Load: pre-signed balance transfers from many accounts flooded into a dev node for a bounded
// time, then a report per block and a verdict (scripts/load.sh starts the node and runs this).
//
//   node e2e/load/transfers.mjs WS_URL NODE_LOG SECONDS ACCOUNTS
//
// //Alice funds ACCOUNTS derived accounts; each signs transfers with consecutive nonces, and
// they are submitted in waves that keep the pool full for SECONDS. Every block is read:
// extrinsics, weight used against the limit, the authoring time the node logged ("Prepared
// block ... (N ms)"), the gap from its parent's timestamp (a gap of two slots or more is a
// missed slot) and the finality lag. Every transaction is accounted for: included in a block,
// or refused by the pool with its reason. Pass: no block over its weight limit, no
// transaction lost, finality never more than 5 blocks behind. Figures are reported, not
// asserted: they depend on the machine.
import fs from 'node:fs';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';

const [url = 'ws://127.0.0.1:9988', nodeLog = '', seconds = '120', accountCount = '200'] = process.argv.slice(2);
const DURATION_MS = Number(seconds) * 1000;
const ACCOUNTS = Number(accountCount);
const MAX_FINALITY_LAG = 5;
const IN_FLIGHT = 4_000; // submitted and not yet included, at most: well over a full block
const POOL_FULL = /Immediately Dropped|couldn't enter the pool because of the limit/;
const MDT = 1_000_000_000n;

const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
const keyring = new Keyring({ type: 'sr25519' });
const alice = keyring.addFromUri('//Alice');
const accounts = Array.from({ length: ACCOUNTS }, (_, i) => keyring.addFromUri(`//load//${i}`));
const slotMs = api.consts.babe.expectedBlockTime.toNumber();
const maxWeight = api.consts.system.blockWeights.maxBlock.refTime.toBigInt();

function inBlock(tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, dispatchError }) => {
      if (dispatchError) reject(new Error(dispatchError.toString()));
      else if (status.isInBlock) resolve(status.asInBlock);
    }).catch(reject);
  });
}

// Fund the accounts, 250 transfers per batch.
for (let i = 0; i < ACCOUNTS; i += 250) {
  const calls = accounts.slice(i, i + 250).map((a) => api.tx.balances.transferKeepAlive(a.address, 100n * MDT));
  await inBlock(api.tx.utility.batchAll(calls), alice);
}
console.log(`[load] funded ${ACCOUNTS} accounts; flooding for ${seconds} s`);

const pending = new Map(); // hash -> submitted at
const included = new Map(); // hash -> block number
const refused = new Map(); // reason -> count
const blocks = [];
let lastNumber = (await api.rpc.chain.getHeader()).number.toNumber();
const startNumber = lastNumber;

// Read every new best block (by number, so none is skipped).
const unsubscribe = await api.rpc.chain.subscribeNewHeads(async (head) => {
  const number = head.number.toNumber();
  for (let n = lastNumber + 1; n <= number; n += 1) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const [block, at, finalizedHash] = await Promise.all([api.rpc.chain.getBlock(hash), api.at(hash), api.rpc.chain.getFinalizedHead()]);
    const finalized = (await api.rpc.chain.getHeader(finalizedHash)).number.toNumber();
    const weight = await at.query.system.blockWeight();
    const used = weight.normal.refTime.toBigInt() + weight.operational.refTime.toBigInt() + weight.mandatory.refTime.toBigInt();
    const now = (await at.query.timestamp.now()).toNumber();
    const parentNow = (await (await api.at(block.block.header.parentHash)).query.timestamp.now()).toNumber();
    let transfers = 0;
    for (const ext of block.block.extrinsics) {
      const extHash = ext.hash.toHex();
      if (pending.delete(extHash)) {
        included.set(extHash, n);
        transfers += 1;
      }
    }
    blocks.push({ number: n, extrinsics: block.block.extrinsics.length, transfers, used, gapMs: now - parentNow, lag: n - finalized });
  }
  lastNumber = Math.max(lastNumber, number);
});

// Each account's transfers, signed ahead with consecutive nonces, round-robin over accounts.
const nonces = await Promise.all(accounts.map((a) => api.rpc.system.accountNextIndex(a.address).then((n) => n.toNumber())));
let round = 0;
const signRound = () => Promise.all(accounts.map((a, i) => api.tx.balances.transferKeepAlive(alice.address, 1n)
  .signAsync(a, { nonce: nonces[i] + round, era: 0 })));

const started = Date.now();
let submitted = 0;
let poolFull = 0;
while (Date.now() - started < DURATION_MS) {
  if (pending.size >= IN_FLIGHT) {
    await new Promise((r) => setTimeout(r, 200));
    continue;
  }
  const wave = await signRound();
  round += 1;
  await Promise.all(wave.map(async (tx) => {
    const hash = tx.hash.toHex();
    pending.set(hash, Date.now());
    submitted += 1;
    // A full pool is back-pressure, not a verdict: the same transaction is offered again (a
    // dropped nonce would leave the account's later ones waiting forever).
    for (;;) {
      try {
        await api.rpc.author.submitExtrinsic(tx);
        return;
      } catch (e) {
        if (POOL_FULL.test(e.message)) {
          poolFull += 1;
          await new Promise((r) => setTimeout(r, slotMs / 2));
          continue;
        }
        pending.delete(hash);
        const reason = e.message.replace(/0x[0-9a-f]+/g, '…');
        refused.set(reason, (refused.get(reason) ?? 0) + 1);
        return;
      }
    }
  }));
}
console.log(`[load] submitted ${submitted} transfers; waiting for the pool to drain`);
const drainBy = Date.now() + 120_000;
while (pending.size > 0 && Date.now() < drainBy) await new Promise((r) => setTimeout(r, 1_000));
await new Promise((r) => setTimeout(r, 2 * slotMs));
unsubscribe();

// Authoring times the node logged, by block number.
const authored = new Map();
if (nodeLog && fs.existsSync(nodeLog)) {
  for (const m of fs.readFileSync(nodeLog, 'utf8').matchAll(/Prepared block for proposing at (\d+) \((\d+) ms\)/g)) authored.set(Number(m[1]), Number(m[2]));
}

console.log('[load] block  extrinsics  transfers  weight%  authored_ms  gap_s  finality_lag');
for (const b of blocks) {
  const pct = Number((b.used * 10_000n) / maxWeight) / 100;
  console.log(`[load] #${String(b.number).padEnd(5)} ${String(b.extrinsics).padStart(10)} ${String(b.transfers).padStart(10)} ${pct.toFixed(1).padStart(8)} ` +
    `${String(authored.get(b.number) ?? '-').padStart(12)} ${(b.gapMs / 1000).toFixed(1).padStart(6)} ${String(b.lag).padStart(13)}`);
}
const loaded = blocks.filter((b) => b.transfers > 0);
const seconds_ = loaded.length ? loaded.length * (slotMs / 1000) : 1;
const missed = blocks.filter((b) => b.gapMs >= 2 * slotMs).length;
const overweight = blocks.filter((b) => b.used > maxWeight);
const maxLag = Math.max(0, ...blocks.map((b) => b.lag));
const lost = pending.size;
console.log(`[load] ${submitted} submitted, ${included.size} included, ${[...refused.values()].reduce((a, b) => a + b, 0)} refused, ${lost} lost`);
for (const [reason, count] of refused) console.log(`[load]   refused ${count}: ${reason}`);
console.log(`[load] ${poolFull} submissions met a full pool and were offered again`);
console.log(`[load] ${loaded.length} loaded blocks since #${startNumber}: ${(included.size / Math.max(loaded.length, 1)).toFixed(0)} transfers per block, ` +
  `${(included.size / seconds_).toFixed(0)} per second; max ${Math.max(0, ...blocks.map((b) => b.transfers))} in a block; ` +
  `missed slots ${missed}; max finality lag ${maxLag}`);
await api.disconnect();

const failures = [
  ...overweight.map((b) => `block #${b.number} used ${b.used} of ${maxWeight}`),
  ...(lost ? [`${lost} transactions neither included nor refused`] : []),
  ...(maxLag > MAX_FINALITY_LAG ? [`finality lagged ${maxLag} blocks`] : []),
];
if (failures.length) {
  console.error(`[load] FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('[load] passed');
