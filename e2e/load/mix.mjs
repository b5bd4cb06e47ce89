// The subnet side of the load test (transfers.mjs with SUBNETS > 0): subnets whose epochs fall
// due every 10 blocks while the transfers flood the pool, validators setting weights every
// block, and coldkeys moving stake.
//
// Setup, by //Alice (the dev chain's sudo key and every hotkey's coldkey): SUBNETS subnets
// (root lifts the 12-hour rate limit between creations by clearing `LastNetworkLock`), each
// with a 10-block tempo, plain weights at most once a block, 4 validators staked 100 MDT and
// 12 miners; two forced epochs, in the same block for all subnets, give the validators their
// permits and put every subnet's epochs in the same blocks.
import { claimHotkeyCall } from '../lib/node.js';

export const TEMPO = 10;
const VALIDATORS = 4;
const MINERS = 12;
const MDT = 1_000_000_000n;
const VALIDATOR_STAKE = 100n * MDT;
/** What each staker adds in one round and removes in the next. */
const STAKE_STEP = MDT;
/**
 * The stakers' tip. The pool ranks zero-tip transactions by how many would fit in a block, so
 * a heavier stake call ranks below a transfer and a transfer flood evicts it from the full
 * pool; as a wallet would under congestion, the stakers tip.
 */
const STAKE_TIP = MDT / 1_000n;
const ANY_PRICE = 2n ** 128n - 1n;

/** `twox128("Subnets") ++ twox128("LastNetworkLock")`, as api.query builds it. */
const lastNetworkLockKey = (api) => api.query.subnets.lastNetworkLock.key();

/** Creates the subnets; returns `{ netuid, validators: [pair], miners: [uid] }` for each. */
export async function setUpSubnets(api, keyring, alice, count, inBlock) {
  const subnets = [];
  for (let s = 0; s < count; s += 1) {
    const owner = keyring.addFromUri(`//load//owner//${s}`);
    const created = await inBlock(api.tx.utility.batchAll([
      claimHotkeyCall(api, owner, alice),
      api.tx.subnets.registerNetwork(owner.address, ANY_PRICE),
      api.tx.sudo.sudo(api.tx.system.killStorage([lastNetworkLockKey(api)])),
    ]), alice);
    const netuid = created.events.find(({ event }) => api.events.subnets.NetworkRegistered.is(event)).event.data.netuid.toNumber();
    const validators = Array.from({ length: VALIDATORS }, (_, i) => keyring.addFromUri(`//load//validator//${s}//${i}`));
    const miners = Array.from({ length: MINERS }, (_, i) => keyring.addFromUri(`//load//miner//${s}//${i}`));
    const calls = [...validators, ...miners].flatMap((hotkey) => [
      claimHotkeyCall(api, hotkey, alice), api.tx.registration.burnedRegister(netuid, hotkey.address, ANY_PRICE),
    ]);
    // Validators sign their (fee-free) weights, so their accounts must exist.
    calls.push(...validators.flatMap((v) => [
      api.tx.balances.transferKeepAlive(v.address, MDT), api.tx.stake.addStake(v.address, VALIDATOR_STAKE),
    ]));
    await inBlock(api.tx.utility.batchAll(calls), alice);
    // Uids in registration order: validators 0..3, miners after them.
    subnets.push({ netuid, validators, miners: miners.map((_, i) => VALIDATORS + i) });
  }
  // All in one block, so every subnet's epoch falls due in the same blocks.
  const update = { tempo: TEMPO, commitRevealEnabled: false, weightsRateLimit: 1, maxAllowedValidators: VALIDATORS };
  await inBlock(api.tx.sudo.sudo(api.tx.utility.batchAll(subnets.flatMap(({ netuid }) => [
    api.tx.subnets.setHyperparameters(netuid, update), api.tx.weights.forceEpoch(netuid, 0), api.tx.weights.forceEpoch(netuid, 0),
  ]))), alice);
  return subnets;
}

/** How many accounts stake instead of transferring: two per validator. */
export const stakerCount = (subnets) => 2 * subnets.reduce((n, s) => n + s.validators.length, 0);

/**
 * Clients that send their next transaction once the previous one left the pool (included, or
 * dropped: a full pool evicts the lowest priority first), as wallets and validators do:
 * `onHead(settled)`, called for each new block with `settled(hash)` saying whether a
 * submitted transaction was included or refused, signs each client's next call with the
 * pool's next nonce and submits it through `submit(tx, kind)`.
 *   - each validator sets random weights over its subnet's miners (fee-free, once a block);
 *   - each staker adds 1 MDT to a validator, then removes it, and so on, with a tip.
 */
export function clients(api, subnets, stakers, submit) {
  const validators = subnets.flatMap((subnet) => subnet.validators.map((validator) => ({ subnet, validator })));
  const senders = [
    ...validators.map(({ subnet, validator }) => ({
      kind: 'weights',
      signer: validator,
      tip: 0n,
      next: () => api.tx.weights.setWeights(subnet.netuid, subnet.miners, subnet.miners.map(() => 1 + Math.floor(Math.random() * 1000)), 0),
    })),
    ...stakers.map((staker, i) => {
      const hotkey = validators[i % validators.length].validator.address;
      let adds = true;
      return {
        kind: 'stake',
        signer: staker,
        tip: STAKE_TIP,
        next: () => {
          const call = adds ? api.tx.stake.addStake(hotkey, STAKE_STEP) : api.tx.stake.removeStake(hotkey, STAKE_STEP);
          adds = !adds;
          return call;
        },
      };
    }),
  ].map((sender) => ({ ...sender, inFlight: null }));
  return {
    async onHead(settled) {
      await Promise.all(senders.map(async (sender) => {
        if (sender.inFlight && !settled(sender.inFlight)) return;
        const nonce = await api.rpc.system.accountNextIndex(sender.signer.address);
        const tx = await sender.next().signAsync(sender.signer, { nonce, era: 0, tip: sender.tip });
        sender.inFlight = tx.hash.toHex();
        await submit(tx, sender.kind);
      }));
    },
  };
}
