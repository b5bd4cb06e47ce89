// Emission end to end: a subnet with a staked validator and three miners; the validator weighs
// the miners 1:2:3 and the epochs the chain schedules by itself pay the owner's cut, the miners'
// incentive and the validator's dividends as stake, minting exactly what they pay.
//
// The subnet's tempo is the shortest allowed (10 blocks, a minute of 6 s blocks), so the test
// runs on the release node the other tests use rather than a second `fast-runtime` build.

import assert from 'node:assert/strict';

import {
  ALL_UIDS, ANY_PRICE, claimHotkeyCall, describeWithNode, FIRST_PAGE, freshAccount, hotkeyConsent, MDT, parentOf, sendTxOk, totalIssuance, withTimeout,
} from '../lib/node.js';

const TEMPO = 10;
/** 0.5 MDT per block, of which 10% accrues to the NPoS validators. */
const SUBNETS_PER_BLOCK = 450_000_000n;
const OWNER_CUT_PERBILL = 180_000_000n;
const BILLION = 1_000_000_000n;
const WEIGHTS = [1, 2, 3];
const VALIDATOR_STAKE = 1_000n * MDT;

/** Resolves with the next block (from now, and past block `after`) whose events include an EpochPaid for `netuid`. */
async function nextEpoch(api, netuid, after = 0, timeoutMs = 100_000) {
  let unsubscribe = () => {};
  const found = new Promise((resolve, reject) => {
    api.rpc.chain
      .subscribeNewHeads(async (header) => {
        try {
          // The subscription starts with the current head, which may be an epoch already seen.
          if (header.number.toNumber() <= after) return;
          const hash = header.hash;
          const events = await (await api.at(hash)).query.system.events();
          const paid = events.find(({ event }) => api.events.emission.EpochPaid.is(event) && event.data.netuid.toNumber() === netuid);
          if (paid) {
            const data = paid.event.data;
            const field = (name) => data[name].toBigInt();
            resolve({
              hash,
              number: header.number.toNumber(),
              extrinsics: (await api.rpc.chain.getBlock(hash)).block.extrinsics.length,
              drained: field('drained'),
              ownerCut: field('ownerCut'),
              incentive: field('incentive'),
              dividends: field('dividends'),
              carried: field('carried'),
            });
          }
        } catch (e) {
          reject(e);
        }
      })
      .then((unsub) => {
        unsubscribe = unsub;
      }, reject);
  });
  try {
    return await withTimeout(found, timeoutMs, `no epoch of subnet ${netuid} within ${timeoutMs} ms`);
  } finally {
    unsubscribe();
  }
}

/** The stake counted for `hotkey` at `blockHash`: its pool's stake with the dividends released by then. */
async function poolStake(api, hotkey, blockHash) {
  const delegate = await (await api.at(blockHash)).call.stakeApi.delegate(hotkey);
  return delegate.isSome ? delegate.unwrap().totalStake.toBigInt() : 0n;
}

describeWithNode('emission', (_ctx, test) => {
  const state = {};

  test('alice creates a subnet with a 10-block tempo and commit-reveal off', async ({ api, alice, keyring }) => {
    state.ownerHotkey = freshAccount(keyring);
    const result = await sendTxOk(api, api.tx.utility.batchAll([
      claimHotkeyCall(api, state.ownerHotkey, alice), api.tx.subnets.registerNetwork(state.ownerHotkey.address, ANY_PRICE),
    ]), alice);
    state.netuid = result.findEvent('subnets', 'NetworkRegistered').data.netuid.toNumber();
    const update = { commitRevealEnabled: false, weightsRateLimit: 1 };
    await sendTxOk(api, api.tx.subnets.setHyperparameters(state.netuid, update), alice);
    // The tempo is root's to set (alice is the dev chain's sudo key).
    const setTempo = api.tx.subnets.setHyperparameters(state.netuid, { tempo: TEMPO });
    const sudid = (await sendTxOk(api, api.tx.sudo.sudo(setTempo), alice)).findEvent('sudo', 'Sudid').data[0];
    assert.ok(sudid.isOk, 'root set the tempo');
    const params = (await api.call.subnetsApi.hyperparameters(state.netuid)).unwrap();
    assert.equal(params.tempo.toNumber(), TEMPO);
    assert.equal(params.ownerCut.toBigInt(), OWNER_CUT_PERBILL, 'the default owner cut is 18%');
  });

  test('a validator staked by its coldkey and three miners register', async ({ api, alice, keyring }) => {
    state.validator = freshAccount(keyring);
    state.miners = WEIGHTS.map(() => freshAccount(keyring));
    state.bob = keyring.addFromUri('//Bob');
    state.minerColdkeys = ['//Charlie', '//Dave', '//Eve'].map((uri) => keyring.addFromUri(uri));
    // The validator's hotkey signs its (fee-free) weights, so its account must exist.
    await sendTxOk(api, api.tx.balances.transferKeepAlive(state.validator.address, MDT), alice);
    // Each coldkey claims its fresh hotkey (the hotkey signs its consent) and registers it in one batch.
    const claimAndRegister = (hotkey, coldkey) => sendTxOk(api, api.tx.utility.batchAll([
      claimHotkeyCall(api, hotkey, coldkey), api.tx.registration.burnedRegister(state.netuid, hotkey.address, ANY_PRICE),
    ]), coldkey);
    await claimAndRegister(state.validator, state.bob);
    for (const [i, miner] of state.miners.entries()) {
      await claimAndRegister(miner, state.minerColdkeys[i]);
    }
    const staked = await sendTxOk(api, api.tx.stake.addStake(state.validator.address, VALIDATOR_STAKE), state.bob);
    const event = staked.findEvent('stake', 'StakeAdded').data;
    assert.equal(event.amount.toBigInt(), VALIDATOR_STAKE);
    assert.equal(await poolStake(api, state.validator.address, staked.blockHash), VALIDATOR_STAKE);
    state.stakedAt = (await api.rpc.chain.getHeader(staked.blockHash)).number.toNumber();
  });

  test('epochs come by themselves each tempo; the second after the staking gives the staked hotkey a permit', async ({ api }) => {
    // Stake counts only once it was there at the previous epoch too: the first epoch since the
    // staking gives no permit, the next one does.
    let epoch = await nextEpoch(api, state.netuid);
    if (epoch.number <= state.stakedAt + TEMPO) {
      const first = (await (await api.at(epoch.hash)).call.neuronsApi.metagraph(state.netuid, ALL_UIDS)).unwrap();
      assert.deepEqual(first.validatorPermit.map((p) => p.isTrue), [false, false, false, false], 'not yet');
      epoch = await nextEpoch(api, state.netuid, epoch.number);
    }
    const metagraph = (await (await api.at(epoch.hash)).call.neuronsApi.metagraph(state.netuid, ALL_UIDS)).unwrap();
    assert.deepEqual(metagraph.validatorPermit.map((p) => p.isTrue), [true, false, false, false]);
    assert.equal(epoch.drained, epoch.ownerCut + epoch.incentive + epoch.dividends + epoch.carried, 'drained = paid + carried');
    state.permitEpoch = epoch.number;
  });

  test('the validator weighs the miners 1:2:3', async ({ api }) => {
    const uids = [1, 2, 3];
    const result = await sendTxOk(api, api.tx.weights.setWeights(state.netuid, uids, WEIGHTS, 0), state.validator);
    assert.ok(result.findEvent('weights', 'WeightsSet'));
  });

  test('the next epoch drains what accrued, mints exactly what it pays and pays the owner 18%', async ({ api }) => {
    const epoch = await nextEpoch(api, state.netuid, state.permitEpoch);
    const parent = await parentOf(api, epoch.hash);
    const subnets = await (await api.at(parent)).query.emission.emittingSubnets();
    const pendingBefore = subnets.find((subnet) => subnet.netuid.toNumber() === state.netuid).pending.toBigInt();
    assert.equal(epoch.drained, pendingBefore + SUBNETS_PER_BLOCK, 'the pending emission plus this block\'s share');
    assert.equal(epoch.ownerCut, (epoch.drained * OWNER_CUT_PERBILL) / BILLION);
    assert.equal(epoch.carried, 0n, 'the validator has stake, so everything is paid');
    assert.ok(epoch.incentive > 0n && epoch.dividends > 0n, `incentive ${epoch.incentive}, dividends ${epoch.dividends}`);
    if (epoch.extrinsics === 1) {
      // Only the timestamp inherent: no fees or burns, so issuance grows by exactly the payouts.
      const minted = (await totalIssuance(api, epoch.hash)) - (await totalIssuance(api, parent));
      assert.equal(minted, epoch.drained - epoch.carried);
    }
    state.epoch = epoch;
    state.before = {
      miners: await Promise.all(state.miners.map((m) => poolStake(api, m.address, parent))),
      validator: await poolStake(api, state.validator.address, parent),
      owner: await poolStake(api, state.ownerHotkey.address, parent),
    };
  });

  test('the miners\' stake grew 1:2:3, the validator earned dividends and the owner its cut', async ({ api }) => {
    const { hash } = state.epoch;
    const miners = await Promise.all(state.miners.map((m) => poolStake(api, m.address, hash)));
    const gains = miners.map((stake, i) => stake - state.before.miners[i]);
    assert.equal(gains.reduce((a, b) => a + b), state.epoch.incentive, 'the miners got all the incentive');
    for (const [i, weight] of WEIGHTS.entries()) {
      const expected = (state.epoch.incentive * BigInt(weight)) / 6n;
      assert.ok(gains[i] - expected <= 4n && expected - gains[i] <= 4n, `miner ${i}: gained ${gains[i]}, expected ${expected}`);
    }
    // The validator's take (18% by default) is staked at once; the rest of its dividends is
    // released into its pool over the next tempo.
    const take = (state.epoch.dividends * OWNER_CUT_PERBILL) / BILLION;
    const validatorGain = (await poolStake(api, state.validator.address, hash)) - state.before.validator;
    assert.ok(validatorGain >= take, `the validator's stake grew by ${validatorGain}, at least its take ${take}`);
    const released = (await (await api.at(hash)).query.stake.pools(state.validator.address)).unwrap();
    assert.equal(released.unreleased.toBigInt(), state.epoch.dividends - take, 'the rest waits to be released');
    const ownerGain = (await poolStake(api, state.ownerHotkey.address, hash)) - state.before.owner;
    assert.equal(ownerGain, state.epoch.ownerCut, 'the owner hotkey got the owner cut');
    // Bob, the validator's only staker and its owner, owns all of its pool's shares: those he
    // staked in his entry, those the take bought in the pool record (`owned`).
    const at = await api.at(hash);
    const pool = (await at.query.stake.pools(state.validator.address)).unwrap();
    const shares = (await at.query.stake.shares(pool.id, state.bob.address)).unwrap().toBigInt();
    assert.ok(pool.owned.toBigInt() > 0n, 'the take bought owned shares');
    assert.equal(shares + pool.owned.toBigInt(), pool.shares.toBigInt());
  });

  test('stakeApi and the stake_* RPC methods show the validator\'s delegate record and bob\'s stake', async ({ api, rpc, keyring }) => {
    const { hash } = state.epoch;
    const validator = state.validator.address;
    const total = await poolStake(api, validator, hash);
    const at = await api.at(hash);

    const [position, ...others] = await at.call.stakeApi.stakeInfoForColdkey(state.bob.address, FIRST_PAGE);
    assert.equal(others.length, 0, 'bob stakes on the validator only');
    assert.equal(position.hotkey.toString(), validator);
    // Bob owns every share; the pool's virtual share may round his value 1 unit down.
    const bobStake = position.stake.toBigInt();
    assert.ok(total - bobStake <= 1n, `bob's ${bobStake} of the pool's ${total}`);

    const delegate = (await at.call.stakeApi.delegate(validator)).unwrap();
    assert.equal(delegate.totalStake.toBigInt(), total);
    assert.equal(delegate.owner.unwrap().toString(), state.bob.address);
    assert.equal(delegate.take.toNumber(), Number(OWNER_CUT_PERBILL), 'the default take is 18%');
    const nominators = await at.call.stakeApi.nominators(validator, FIRST_PAGE);
    assert.deepEqual(nominators.map(([coldkey, stake]) => [coldkey.toString(), stake.toBigInt()]), [[state.bob.address, bobStake]]);
    assert.deepEqual(delegate.registrations.map((n) => n.toNumber()), [state.netuid]);
    assert.deepEqual(delegate.validatorPermits.map((n) => n.toNumber()), [state.netuid]);

    const json = await rpc('stake_delegate', [validator, hash.toHex()]);
    assert.deepEqual(json, {
      hotkey: validator,
      owner: state.bob.address,
      take: 0.18,
      totalStake: total.toString(),
      registrations: [state.netuid],
      validatorPermits: [state.netuid],
    });
    assert.deepEqual(await rpc('stake_nominators', [validator, null, hash.toHex()]), [{ coldkey: state.bob.address, stake: bobStake.toString() }]);

    // The delegates a page at a time: two per page, each after the last one seen, until a
    // short page; every hotkey once.
    const delegates = [];
    for (let page = { limit: 2 }; ; page = { limit: 2, startAfter: delegates.at(-1).hotkey }) {
      const entries = await rpc('stake_delegates', [page, hash.toHex()]);
      delegates.push(...entries);
      if (entries.length < 2) break;
    }
    const hotkeys = delegates.map((d) => d.hotkey);
    assert.equal(new Set(hotkeys).size, hotkeys.length, 'no hotkey twice');
    for (const hotkey of [validator, state.ownerHotkey.address, ...state.miners.map((m) => m.address)]) {
      assert.ok(hotkeys.includes(hotkey), `${hotkey} holds stake`);
    }
    assert.deepEqual((await rpc('stake_delegates', [null, hash.toHex()])).map((d) => d.hotkey), hotkeys, 'one default page holds them all');
    await assert.rejects(rpc('stake_delegates', [{ limit: 257 }]), /limit 257 must be within 1..=256/);

    const positions = await rpc('stake_infoForColdkey', [state.bob.address, null, hash.toHex()]);
    assert.deepEqual(positions, [{ pool: position.pool.toNumber(), hotkey: validator, coldkey: state.bob.address, stake: bobStake.toString(), hotkeyOwner: state.bob.address }]);
    const afterIt = { startAfter: position.pool.toNumber() };
    assert.deepEqual(await rpc('stake_infoForColdkey', [state.bob.address, afterIt, hash.toHex()]), [], 'nothing after the only position');

    assert.equal(await rpc('stake_delegate', [freshAccount(keyring).address, hash.toHex()]), null, 'no stake, no delegate');
    await assert.rejects(rpc('stake_delegate', ['not-an-address']), /not an SS58 address/);
  });

  test('metagraph_get has stake, emission and epoch results per uid; metagraph_selective only what was asked', async ({ api, rpc }) => {
    const { hash } = state.epoch;
    const metagraph = await rpc('metagraph_get', [state.netuid, null, hash.toHex()]);
    assert.equal(metagraph.netuid, state.netuid);
    assert.equal(metagraph.n, 4);
    assert.equal(metagraph.firstUid, 0);
    assert.equal(metagraph.tempo, TEMPO);
    assert.equal(metagraph.lastEpochBlock, state.epoch.number);
    assert.deepEqual(metagraph.hotkeys, [state.validator, ...state.miners].map((pair) => pair.address));
    assert.deepEqual(metagraph.coldkeys, [state.bob, ...state.minerColdkeys].map((pair) => pair.address));
    const hotkeys = [state.validator, ...state.miners].map((pair) => pair.address);
    const stakes = await Promise.all(hotkeys.map((hotkey) => poolStake(api, hotkey, hash)));
    assert.deepEqual(metagraph.stake, stakes.map(String), 'each uid\'s stake is its hotkey\'s pool');
    assert.deepEqual(metagraph.validatorPermit, [true, false, false, false]);
    const [, ...incentive] = metagraph.incentive;
    for (const [i, weight] of WEIGHTS.entries()) {
      assert.ok(Math.abs(incentive[i] - weight / 6) < 0.001, `miner ${i} incentive ${incentive[i]}`);
    }
    assert.ok(Math.abs(metagraph.dividends[0] - 1) < 1e-9, 'the only validator gets all dividends');
    const emitted = metagraph.emission.reduce((sum, e) => sum + BigInt(e), 0n);
    assert.equal(emitted, state.epoch.incentive + state.epoch.dividends, 'emission per uid adds up to the payouts');
    assert.deepEqual(metagraph.weights[0], [[1, 21845], [2, 43690], [3, 65535]]);
    assert.deepEqual(metagraph.axons, [null, null, null, null]);

    // The runtime API says the same in SCALE.
    const scale = (await (await api.at(hash)).call.neuronsApi.metagraph(state.netuid, ALL_UIDS)).unwrap();
    assert.deepEqual(scale.stake.map((s) => s.toString()), metagraph.stake);
    assert.equal(scale.header.pendingEmission.toString(), metagraph.pendingEmission);

    const selective = await rpc('metagraph_selective', [state.netuid, ['stake', 'validatorPermit'], null, hash.toHex()]);
    assert.deepEqual(Object.keys(selective).sort(), ['block', 'firstUid', 'lastEpochBlock', 'n', 'netuid', 'pendingEmission', 'stake', 'tempo', 'validatorPermit']);
    assert.deepEqual(selective.stake, metagraph.stake);
    // A page of uids: from uid 1, two of them.
    const page = await rpc('metagraph_selective', [state.netuid, ['hotkeys', 'weights'], { start: 1, limit: 2 }, hash.toHex()]);
    assert.equal(page.firstUid, 1);
    assert.deepEqual(page.hotkeys, metagraph.hotkeys.slice(1, 3));
    assert.deepEqual(page.weights, metagraph.weights.slice(1, 3));
    await assert.rejects(rpc('metagraph_get', [state.netuid, { limit: 4097 }]), /limit 4097 must be within 1..=4096/);
    const viaApi = (await (await api.at(hash)).call.neuronsApi.selectiveMetagraph(state.netuid, ['Weights'], ALL_UIDS)).unwrap();
    assert.ok(viaApi.weights.isSome && viaApi.stake.isNone, 'the runtime API leaves out what was not asked for');

    assert.equal(await rpc('metagraph_get', [999]), null, 'no such subnet');
    await assert.rejects(rpc('metagraph_selective', [state.netuid, ['stakes']]), /unknown metagraph field 'stakes'/);
  });

  test('swapping the validator\'s hotkey carries its stake and uid to the new hotkey', async ({ api, rpc, keyring }) => {
    const newHotkey = freshAccount(keyring);
    const before = await rpc('stake_delegate', [state.validator.address]);
    const consent = hotkeyConsent(newHotkey, state.bob);
    const result = await sendTxOk(api, api.tx.registration.swapHotkey(state.validator.address, newHotkey.address, consent), state.bob);
    const at = result.blockHash.toHex();
    const moved = await rpc('stake_delegate', [newHotkey.address, at]);
    assert.ok(BigInt(moved.totalStake) >= BigInt(before.totalStake), 'all the stake moved (and may have grown since)');
    assert.deepEqual((await rpc('stake_nominators', [newHotkey.address, null, at])).map((n) => n.coldkey), [state.bob.address]);
    assert.equal(await rpc('stake_delegate', [state.validator.address, at]), null);
    const metagraph = await rpc('metagraph_selective', [state.netuid, ['hotkeys', 'stake'], null, at]);
    assert.equal(metagraph.hotkeys[0], newHotkey.address);
    assert.equal(metagraph.stake[0], moved.totalStake);
  });
});
