// Load: pre-signed balance transfers from many accounts flooded into a dev node for a bounded
// time, then a report per block and a verdict (scripts/load.sh starts the node and runs this).
//
//   node e2e/load/transfers.mjs WS_URL NODE_LOG SECONDS ACCOUNTS [SUBNETS]
//
// //Alice funds ACCOUNTS derived accounts; each signs transfers with consecutive nonces, and
// they are submitted in waves that keep the pool full for SECONDS. Every block is read:
// extrinsics, weight used against the limit, the authoring time the node logged ("Prepared
// block ... (N ms)"), the gap from its parent's timestamp (a gap of two slots or more is a
// missed slot) and the finality lag. Every transaction is accounted for: included in a block,
// or refused by the pool with its reason. Also reported: the share of offers the pool took at
// once (a full pool turns the rest away, and they are offered again), and each transaction's
// latency from its first offer to the first best block that holds it and to that block's
// finality (median, 95th percentile, maximum). Pass: no block over its weight limit, no
// transaction lost, finality never more than 5 blocks behind. Figures are reported, not
// asserted: they depend on the machine.
//
// With SUBNETS > 0 the flood is a mix (mix.mjs): that many subnets with epochs due every 10
// blocks, their validators setting weights every block, and some of the accounts adding and
// removing stake instead of transferring. Every block's epochs and failed dispatches are read
// too, and no subnet may go two tempos without an epoch.
import fs from 'node:fs';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';

import { clients, setUpSubnets, stakerCount, TEMPO } from './mix.mjs';

const [url = 'ws://127.0.0.1:9988', nodeLog = '', seconds = '120', accountCount = '200', subnetCount = '0'] = process.argv.slice(2);
const DURATION_MS = Number(seconds) * 1000;
const ACCOUNTS = Number(accountCount);
const SUBNETS = Number(subnetCount);
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

/** Signs and submits `tx`; resolves with its block's hash and events once it is in one. */
function inBlock(tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, dispatchError, events }) => {
      if (dispatchError) reject(new Error(dispatchError.toString()));
      else if (status.isInBlock) resolve({ hash: status.asInBlock, events });
    }).catch(reject);
  });
}

// Fund the accounts, 250 transfers per batch.
for (let i = 0; i < ACCOUNTS; i += 250) {
  const calls = accounts.slice(i, i + 250).map((a) => api.tx.balances.transferKeepAlive(a.address, 100n * MDT));
  await inBlock(api.tx.utility.batchAll(calls), alice);
}
const subnets = SUBNETS > 0 ? await setUpSubnets(api, keyring, alice, SUBNETS, inBlock) : [];
const stakers = Math.min(stakerCount(subnets), ACCOUNTS);
if (SUBNETS > 0) {
  console.log(`[load] subnets ${subnets.map((s) => s.netuid).join(', ')}: tempo ${TEMPO}, 4 validators with permits and 12 miners each; ` +
    `${stakers} accounts stake instead of transferring`);
}
console.log(`[load] funded ${ACCOUNTS} accounts; flooding for ${seconds} s`);

const KINDS = ['transfer', 'stake', 'weights'];
const pending = new Map(); // hash -> kind
// Each account's transfers not yet included, by nonce: a full pool may drop one it took (a
// higher-priority arrival evicts it, unseen by an unwatched submission), and then every later
// nonce of the account waits on it. Wallets offer a transaction again when it does not show
// up; so does this, for each account's lowest nonce, once it has waited a few slots.
const waiting = new Map(); // account index -> (nonce -> { tx, hash })
const transferOf = new Map(); // hash -> { account, nonce }
const lastOffer = new Map(); // hash -> when it was last offered (ms)
// Still in the pool, or already in a block this script has not read yet (outdated nonce).
const STILL_ON_ITS_WAY = /1013|Already Imported|outdated|stale/i;
let reoffered = 0;
let foundDropped = 0;
const included = new Map(); // hash -> block number
const includedByKind = Object.fromEntries(KINDS.map((k) => [k, 0]));
const submittedByKind = Object.fromEntries(KINDS.map((k) => [k, 0]));
const refused = new Map(); // reason -> count
const offeredAt = new Map(); // hash -> when it was first offered (ms)
const awaitingFinality = new Map(); // block number -> first-offer times of what it holds
const latency = { inclusion: [], finality: [] }; // ms, per transaction
const blocks = [];
const epochs = new Map(subnets.map((s) => [s.netuid, []])); // netuid -> blocks with its epoch
const failedDispatch = new Map(); // pallet.Error -> count
let mix = null; // the validators and stakers, while the flood lasts
let lastNumber = (await api.rpc.chain.getHeader()).number.toNumber();
const startNumber = lastNumber;

// Read every new best block (by number, so none is skipped).
const unsubscribe = await api.rpc.chain.subscribeNewHeads(async (head) => {
  const seen = Date.now();
  const number = head.number.toNumber();
  for (let n = lastNumber + 1; n <= number; n += 1) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const [block, at, finalizedHash] = await Promise.all([api.rpc.chain.getBlock(hash), api.at(hash), api.rpc.chain.getFinalizedHead()]);
    const finalized = (await api.rpc.chain.getHeader(finalizedHash)).number.toNumber();
    const weight = await at.query.system.blockWeight();
    const used = weight.normal.refTime.toBigInt() + weight.operational.refTime.toBigInt() + weight.mandatory.refTime.toBigInt();
    const now = (await at.query.timestamp.now()).toNumber();
    const parentNow = (await (await api.at(block.block.header.parentHash)).query.timestamp.now()).toNumber();
    const counts = Object.fromEntries(KINDS.map((k) => [k, 0]));
    for (const ext of block.block.extrinsics) {
      const extHash = ext.hash.toHex();
      const kind = pending.get(extHash);
      if (kind) {
        pending.delete(extHash);
        settleTransfer(extHash);
        included.set(extHash, n);
        counts[kind] += 1;
        includedByKind[kind] += 1;
        const offered = offeredAt.get(extHash);
        if (offered !== undefined) {
          latency.inclusion.push(seen - offered);
          if (!awaitingFinality.has(n)) awaitingFinality.set(n, []);
          awaitingFinality.get(n).push(offered);
        }
      }
    }
    let paid = 0;
    let deferred = 0;
    if (SUBNETS > 0) {
      for (const { event } of await at.query.system.events()) {
        if (api.events.emission.EpochPaid.is(event)) {
          paid += 1;
          epochs.get(event.data.netuid.toNumber())?.push(n);
        } else if (api.events.emission.EpochDeferred.is(event)) {
          deferred += 1;
        } else if (api.events.system.ExtrinsicFailed.is(event)) {
          const error = event.data.dispatchError;
          const name = error.isModule ? (({ section, name: e }) => `${section}.${e}`)(api.registry.findMetaError(error.asModule)) : error.type;
          failedDispatch.set(name, (failedDispatch.get(name) ?? 0) + 1);
        }
      }
    }
    blocks.push({ number: n, extrinsics: block.block.extrinsics.length, ...counts, paid, deferred, used, gapMs: now - parentNow, lag: n - finalized });
  }
  lastNumber = Math.max(lastNumber, number);
  reofferDropped().catch((e) => console.error(`[load] re-offer: ${e.message}`));
  mix?.onHead((hash) => !pending.has(hash)).catch((e) => console.error(`[load] mix: ${e.message}`));
});

// Finality latency: when a block is finalized, every transaction included up to it is final.
const unsubscribeFinalized = await api.rpc.chain.subscribeFinalizedHeads((head) => {
  const now = Date.now();
  const finalized = head.number.toNumber();
  for (const [n, offered] of awaitingFinality) {
    if (n > finalized) continue;
    for (const t of offered) latency.finality.push(now - t);
    awaitingFinality.delete(n);
  }
});

// Each transferring account's transfers, signed ahead with consecutive nonces, round-robin
// over the accounts (the first `stakers` accounts stake instead, in mix.mjs).
const transferring = accounts.slice(stakers);
const nonces = await Promise.all(transferring.map((a) => api.rpc.system.accountNextIndex(a.address).then((n) => n.toNumber())));
let round = 0;
const signRound = () => Promise.all(transferring.map((a, i) => api.tx.balances.transferKeepAlive(alice.address, 1n)
  .signAsync(a, { nonce: nonces[i] + round, era: 0 })));

async function reofferDropped() {
  const now = Date.now();
  await Promise.all([...waiting.values()].map(async (byNonce) => {
    if (byNonce.size === 0) return;
    const { tx, hash } = byNonce.get(Math.min(...byNonce.keys()));
    if (!pending.has(hash) || now - (lastOffer.get(hash) ?? now) < 3 * slotMs) return;
    lastOffer.set(hash, now);
    reoffered += 1;
    try {
      await api.rpc.author.submitExtrinsic(tx);
      foundDropped += 1;
    } catch (e) {
      if (STILL_ON_ITS_WAY.test(e.message) || POOL_FULL.test(e.message)) return;
      settleTransfer(hash);
      pending.delete(hash);
      const reason = `transfer offered again: ${e.message.replace(/0x[0-9a-f]+/g, '…')}`;
      refused.set(reason, (refused.get(reason) ?? 0) + 1);
    }
  }));
}
/** Forgets a transfer that left the pool for good (included or refused). */
function settleTransfer(hash) {
  const transfer = transferOf.get(hash);
  if (transfer) waiting.get(transfer.account)?.delete(transfer.nonce);
  transferOf.delete(hash);
}

let submitted = 0;
let poolFull = 0;
let offers = 0;
/** Submits `tx`, counted as `kind`, until the pool takes or refuses it. */
async function submit(tx, kind) {
  const hash = tx.hash.toHex();
  pending.set(hash, kind);
  offeredAt.set(hash, Date.now());
  submitted += 1;
  submittedByKind[kind] += 1;
  // A full pool is back-pressure, not a verdict: the same transaction is offered again (a
  // dropped nonce would leave the account's later ones waiting forever).
  for (;;) {
    offers += 1;
    lastOffer.set(hash, Date.now());
    try {
      if (kind === 'transfer') {
        await api.rpc.author.submitExtrinsic(tx);
      } else {
        // The subnet calls are watched: the pool may still drop one it took (evicted when
        // full, or invalid when a block changed the state), which counts as refused.
        const unsubscribe = await api.rpc.author.submitAndWatchExtrinsic(tx, (status) => {
          if (status.isInBlock || status.isFinalized) {
            unsubscribe.then?.((u) => u());
          } else if (status.isDropped || status.isInvalid || status.isUsurped) {
            if (pending.delete(hash)) {
              const reason = `${kind}: ${status.type} after the pool took it`;
              refused.set(reason, (refused.get(reason) ?? 0) + 1);
            }
          }
        });
      }
      return;
    } catch (e) {
      if (POOL_FULL.test(e.message)) {
        poolFull += 1;
        await new Promise((r) => setTimeout(r, slotMs / 2));
        continue;
      }
      pending.delete(hash);
      settleTransfer(hash);
      const reason = `${kind}: ${e.message.replace(/0x[0-9a-f]+/g, '…')}`;
      refused.set(reason, (refused.get(reason) ?? 0) + 1);
      return;
    }
  }
}

const started = Date.now();
const floodFrom = lastNumber + 1;
if (SUBNETS > 0) mix = clients(api, subnets, accounts.slice(0, stakers), submit);
while (Date.now() - started < DURATION_MS) {
  if (pending.size >= IN_FLIGHT) {
    await new Promise((r) => setTimeout(r, 200));
    continue;
  }
  const wave = await signRound();
  wave.forEach((tx, account) => {
    const nonce = nonces[account] + round;
    if (!waiting.has(account)) waiting.set(account, new Map());
    waiting.get(account).set(nonce, { tx, hash: tx.hash.toHex() });
    transferOf.set(tx.hash.toHex(), { account, nonce });
  });
  round += 1;
  await Promise.all(wave.map((tx) => submit(tx, 'transfer')));
}
mix = null;
const floodTo = lastNumber;
console.log(`[load] submitted ${submitted} transactions; waiting for the pool to drain`);
const drainBy = Date.now() + 120_000;
while (pending.size > 0 && Date.now() < drainBy) await new Promise((r) => setTimeout(r, 1_000));
await new Promise((r) => setTimeout(r, 2 * slotMs));
// Finality of the last blocks follows a few slots behind.
const finalityBy = Date.now() + 10 * slotMs;
while (awaitingFinality.size > 0 && Date.now() < finalityBy) await new Promise((r) => setTimeout(r, 1_000));
unsubscribe();
unsubscribeFinalized();

// Authoring times the node logged, by block number.
const authored = new Map();
if (nodeLog && fs.existsSync(nodeLog)) {
  for (const m of fs.readFileSync(nodeLog, 'utf8').matchAll(/Prepared block for proposing at (\d+) \((\d+) ms\)/g)) authored.set(Number(m[1]), Number(m[2]));
}

const mixColumns = SUBNETS > 0 ? '  stake  weights  epochs  deferred' : '';
console.log(`[load] block  extrinsics  transfers${mixColumns}  weight%  authored_ms  gap_s  finality_lag`);
for (const b of blocks) {
  const pct = Number((b.used * 10_000n) / maxWeight) / 100;
  const mix = SUBNETS > 0
    ? ` ${String(b.stake).padStart(6)} ${String(b.weights).padStart(8)} ${String(b.paid).padStart(7)} ${String(b.deferred).padStart(9)}` : '';
  console.log(`[load] #${String(b.number).padEnd(5)} ${String(b.extrinsics).padStart(10)} ${String(b.transfer).padStart(10)}${mix} ${pct.toFixed(1).padStart(8)} ` +
    `${String(authored.get(b.number) ?? '-').padStart(12)} ${(b.gapMs / 1000).toFixed(1).padStart(6)} ${String(b.lag).padStart(13)}`);
}
const loaded = blocks.filter((b) => b.transfer + b.stake + b.weights > 0);
const seconds_ = loaded.length ? loaded.length * (slotMs / 1000) : 1;
const missed = blocks.filter((b) => b.gapMs >= 2 * slotMs).length;
const overweight = blocks.filter((b) => b.used > maxWeight);
const maxLag = Math.max(0, ...blocks.map((b) => b.lag));
const lost = pending.size;
console.log(`[load] ${submitted} submitted, ${included.size} included, ${[...refused.values()].reduce((a, b) => a + b, 0)} refused, ${lost} lost`);
if (SUBNETS > 0) {
  console.log(`[load]   included by kind: ${KINDS.map((k) => `${k} ${includedByKind[k]} of ${submittedByKind[k]}`).join(', ')}`);
  for (const [error, count] of failedDispatch) console.log(`[load]   failed in dispatch ${count}: ${error}`);
}
for (const [reason, count] of refused) console.log(`[load]   refused ${count}: ${reason}`);
console.log(`[load] the pool took ${(100 * (offers - poolFull) / Math.max(offers, 1)).toFixed(1)}% of ${offers} offers at once; ` +
  `${poolFull} met a full pool and were offered again`);
console.log(`[load] ${reoffered} transfers waited 3 slots and were offered again; the pool had dropped ${foundDropped} of them after taking them`);
/** Median, 95th percentile and maximum of `values` (ms), in seconds. */
const spread = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => ((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) / 1000).toFixed(1);
  return `median ${at(0.5)} s, 95% ${at(0.95)} s, max ${at(1)} s (${sorted.length} transactions)`;
};
console.log(`[load] from first offer to a best block: ${spread(latency.inclusion)}`);
console.log(`[load] from first offer to finality: ${spread(latency.finality)}`);
console.log(`[load] ${loaded.length} loaded blocks since #${startNumber}: ${(included.size / Math.max(loaded.length, 1)).toFixed(0)} transactions per block, ` +
  `${(included.size / seconds_).toFixed(0)} per second; max ${Math.max(0, ...blocks.map((b) => b.transfer + b.stake + b.weights))} in a block; ` +
  `missed slots ${missed}; max finality lag ${maxLag}`);
// An epoch is starved when its subnet goes more than two tempos without one during the flood.
const starved = [];
for (const [netuid, at] of epochs) {
  const during = [floodFrom - 1, ...at.filter((n) => n >= floodFrom && n <= floodTo), floodTo];
  const gap = Math.max(...during.slice(1).map((n, i) => n - during[i]));
  console.log(`[load] subnet ${netuid}: ${during.length - 2} epochs in blocks #${floodFrom}..#${floodTo}, longest gap ${gap} blocks`);
  if (gap > 2 * TEMPO) starved.push(`subnet ${netuid} went ${gap} blocks without an epoch`);
}
await api.disconnect();

const failures = [
  ...starved,
  ...overweight.map((b) => `block #${b.number} used ${b.used} of ${maxWeight}`),
  ...(lost ? [`${lost} transactions neither included nor refused`] : []),
  ...(maxLag > MAX_FINALITY_LAG ? [`finality lagged ${maxLag} blocks`] : []),
];
if (failures.length) {
  console.error(`[load] FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('[load] passed');
