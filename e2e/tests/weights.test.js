// Weights and the Yuma epoch: two staked validators set weights on three miners, root runs the
// subnet's epoch through the Weights pallet's test hook, and the runtime API shows the results.

import assert from 'node:assert/strict';

import {
  accountData, ALL_UIDS, ANY_PRICE, claimHotkeyCall, decodeDispatchError, describeWithNode, freshAccount, MDT, sendTxOk,
} from '../lib/node.js';

const POOL_REJECTION = /1010|Invalid Transaction|Custom error/;
const EMISSION = 1_000_000_000n; // notional: forceEpoch stores the split and pays nothing
const MINERS = [2, 3, 4];
// Validator 0 sends raw weights that the pallet must max-upscale (20/30 and 10/30 of 65535 are
// whole numbers); validator 1 sends a row that is already upscaled: 1, 1/3, 1/5.
const WEIGHTS = [[30, 20, 10], [65535, 21845, 13107]];
const STORED_ROWS = [[65535, 43690, 21845], [65535, 21845, 13107]];

const sum = (values) => values.reduce((a, b) => a + b);
const blockNumber = async (api, hash) => (await api.rpc.chain.getHeader(hash)).number.toNumber();

function assertNear(actual, expected, tolerance, what) {
  assert.equal(actual.length, expected.length, what);
  for (const [i, value] of actual.entries()) {
    assert.ok(Math.abs(value - expected[i]) <= tolerance, `${what}: got ${actual}, expected ${expected} ±${tolerance}`);
  }
}

/** The subnet's metagraph at `blockHash`, as plain numbers, bigints, booleans and strings. */
async function metagraphAt(api, netuid, blockHash) {
  const m = (await (await api.at(blockHash)).call.neuronsApi.metagraph(netuid, ALL_UIDS)).unwrap();
  const nums = (vec) => vec.map((x) => x.toNumber());
  const rows = (matrix) => matrix.map((row) => row.map(([uid, value]) => [uid.toNumber(), value.toNumber()]));
  return {
    n: m.header.n.toNumber(),
    lastEpochBlock: m.header.lastEpochBlock.toNumber(),
    hotkeys: m.hotkeys.map(String),
    coldkeys: m.coldkeys.map(String),
    active: m.active.map((x) => x.isTrue),
    validatorPermit: m.validatorPermit.map((x) => x.isTrue),
    ...Object.fromEntries(['lastUpdate', 'registeredAt', 'rank', 'trust', 'consensus', 'incentive', 'dividends', 'validatorTrust']
      .map((field) => [field, nums(m[field])])),
    emission: m.emission.map((x) => x.toBigInt()),
    weights: rows(m.weights),
    bonds: rows(m.bonds),
  };
}

/** Root runs the subnet's epoch now; resolves with the metagraph in the block that ran it. */
async function forceEpoch(api, alice, netuid) {
  const result = await sendTxOk(api, api.tx.sudo.sudo(api.tx.weights.forceEpoch(netuid, EMISSION)), alice);
  // sendTxOk only sees sudo's own outcome; the wrapped call's is in Sudid.
  const sudid = result.findEvent('sudo', 'Sudid').data[0];
  assert.ok(sudid.isOk, sudid.isErr ? decodeDispatchError(api, sudid.asErr).name : undefined);
  const event = result.findEvent('weights', 'EpochRun');
  assert.ok(event, 'Weights.EpochRun');
  assert.equal(event.data.netuid.toNumber(), netuid);
  assert.equal(event.data.emission.toBigInt(), EMISSION);
  assert.equal(event.data.unpaid.toBigInt(), 0n, 'somebody has stake, so all of it is split');
  const metagraph = await metagraphAt(api, netuid, result.blockHash);
  assert.equal(metagraph.lastEpochBlock, await blockNumber(api, result.blockHash));
  return { ...metagraph, blockHash: result.blockHash };
}

describeWithNode('weights', (_ctx, test) => {
  const state = {};
  const setWeights = (api, v) => api.tx.weights.setWeights(state.netuid, MINERS, WEIGHTS[v], 0);

  test('alice creates subnet 1 and, as its owner, turns off commit-reveal and the rate limit', async ({ api, alice, keyring }) => {
    const ownerHotkey = freshAccount(keyring);
    const result = await sendTxOk(api, api.tx.utility.batchAll([
      claimHotkeyCall(api, ownerHotkey, alice), api.tx.subnets.registerNetwork(ownerHotkey.address, ANY_PRICE),
    ]), alice);
    state.netuid = result.findEvent('subnets', 'NetworkRegistered').data.netuid.toNumber();
    assert.equal(state.netuid, 1);
    const defaults = (await api.call.subnetsApi.hyperparameters(state.netuid)).unwrap();
    assert.ok(defaults.commitRevealEnabled.isTrue, 'commit-reveal is on by default');
    // With commit-reveal on, plain setWeights is refused; with the default rate limit of 100
    // blocks a freshly registered validator would wait ~10 minutes to set weights.
    const update = { commitRevealEnabled: false, weightsRateLimit: 1 };
    await sendTxOk(api, api.tx.subnets.setHyperparameters(state.netuid, update), alice);
    const params = (await api.call.subnetsApi.hyperparameters(state.netuid)).unwrap();
    assert.ok(params.commitRevealEnabled.isFalse);
    assert.equal(params.weightsRateLimit.toNumber(), 1);
    assert.equal(params.weightsVersionKey.toNumber(), 0, 'so version key 0 is accepted');
    assert.equal(params.maxAllowedValidators.toNumber(), 64, 'room for both validators');
  });

  test('two validators with stake 1:3 register as uids 0 and 1', async ({ api, alice, keyring }) => {
    state.hotkeys = Array.from({ length: 5 }, () => freshAccount(keyring));
    state.coldkeys = ['//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'].map((uri) => keyring.addFromUri(uri));
    // The hotkeys sign their (fee-free) weight calls, so their accounts must exist.
    const funding = [0, 1].map((i) => api.tx.balances.transferKeepAlive(state.hotkeys[i].address, MDT));
    await sendTxOk(api, api.tx.utility.batchAll(funding), alice);
    for (const [uid, stake] of [1_000n, 3_000n].entries()) {
      const hotkey = state.hotkeys[uid].address;
      const result = await sendTxOk(api, api.tx.utility.batchAll([
        claimHotkeyCall(api, state.hotkeys[uid], state.coldkeys[uid]),
        api.tx.registration.burnedRegister(state.netuid, hotkey, ANY_PRICE),
      ]), state.coldkeys[uid]);
      assert.equal(result.findEvent('registration', 'NeuronRegistered').data.uid.toNumber(), uid);
      // Each validator's coldkey stakes on its hotkey: 1 000 and 3 000 MDT.
      const staked = await sendTxOk(api, api.tx.stake.addStake(hotkey, stake * MDT), state.coldkeys[uid]);
      assert.equal(staked.findEvent('stake', 'StakeAdded').data.amount.toBigInt(), stake * MDT);
    }
  });

  test('three miners with no stake register as uids 2, 3 and 4', async ({ api }) => {
    // No stake, so no epoch ever gives them a validator permit.
    for (const uid of MINERS) {
      const hotkey = state.hotkeys[uid];
      const result = await sendTxOk(api, api.tx.utility.batchAll([
        claimHotkeyCall(api, hotkey, state.coldkeys[uid]), api.tx.registration.burnedRegister(state.netuid, hotkey.address, ANY_PRICE),
      ]), state.coldkeys[uid]);
      assert.equal(result.findEvent('registration', 'NeuronRegistered').data.uid.toNumber(), uid);
    }
  });

  test('before any epoch nobody holds a validator permit, so the pool refuses setWeights', async ({ api }) => {
    const metagraph = await metagraphAt(api, state.netuid, await api.rpc.chain.getBlockHash());
    assert.equal(metagraph.n, 5);
    assert.deepEqual(metagraph.hotkeys, state.hotkeys.map((hotkey) => hotkey.address));
    assert.deepEqual(metagraph.coldkeys, state.coldkeys.map((coldkey) => coldkey.address));
    assert.deepEqual(metagraph.validatorPermit, [false, false, false, false, false]);
    await assert.rejects(sendTxOk(api, setWeights(api, 1), state.hotkeys[1]), POOL_REJECTION);
  });

  test('an epoch right after the staking counts none of it: no permits, nothing paid', async ({ api, alice }) => {
    // Stake must be there at the previous epoch too: borrowed for an epoch's block, it wins nothing.
    const result = await sendTxOk(api, api.tx.sudo.sudo(api.tx.weights.forceEpoch(state.netuid, EMISSION)), alice);
    assert.ok(result.findEvent('sudo', 'Sudid').data[0].isOk);
    assert.equal(result.findEvent('weights', 'EpochRun').data.unpaid.toBigInt(), EMISSION, 'nobody had stake at an epoch before');
    const metagraph = await metagraphAt(api, state.netuid, result.blockHash);
    assert.deepEqual(metagraph.validatorPermit, [false, false, false, false, false]);
  });

  test('the next epoch gives permits to the staked hotkeys and splits the emission by stake', async ({ api, alice }) => {
    const metagraph = await forceEpoch(api, alice, state.netuid);
    assert.equal(metagraph.n, 5);
    for (const [field, values] of Object.entries(metagraph)) {
      if (Array.isArray(values)) assert.equal(values.length, 5, field);
    }
    assert.deepEqual(metagraph.validatorPermit, [true, true, false, false, false]);
    // This epoch still used the old (empty) permits, so no weights counted: nothing earned.
    assert.deepEqual(metagraph.incentive, [0, 0, 0, 0, 0]);
    assert.deepEqual(metagraph.dividends, [0, 0, 0, 0, 0]);
    // Without incentive, dividends or active stake the split falls back to stake, exactly 1:3.
    assert.deepEqual(metagraph.emission, [250_000_000n, 750_000_000n, 0n, 0n, 0n]);
  });

  test('both validators set weights on the miners, free of fees, stored max-upscaled', async ({ api }) => {
    const validators = state.hotkeys.slice(0, 2);
    const before = await Promise.all(validators.map((hotkey) => accountData(api, hotkey.address)));
    // Different signers, so both can go at once.
    const results = await Promise.all(validators.map((hotkey, uid) => sendTxOk(api, setWeights(api, uid), hotkey)));
    for (const [uid, result] of results.entries()) {
      const metagraph = await metagraphAt(api, state.netuid, result.blockHash);
      assert.equal(metagraph.lastUpdate[uid], await blockNumber(api, result.blockHash));
      const row = metagraph.weights[uid];
      assert.deepEqual(row.map(([dest]) => dest), MINERS);
      assert.equal(row[0][1], 65535, 'the largest weight is upscaled to 65535');
      assertNear(row.map(([, weight]) => weight), STORED_ROWS[uid], 1, `weights of uid ${uid}`);
      // Fee-free: the hotkey's balance does not move.
      assert.equal((await accountData(api, validators[uid].address, result.blockHash)).free, before[uid].free);
    }
  });

  test('the second epoch rewards the miners by the stake-weighted consensus', async ({ api, alice }) => {
    const m = await forceEpoch(api, alice, state.netuid);
    assert.deepEqual(m.validatorPermit, [true, true, false, false, false]);
    assert.deepEqual(m.active.slice(0, 2), [true, true], 'both validators set weights just now');
    // kappa 0.5 with stake 1:3: in every column the cumulative stake passes one half at
    // validator 1's weight, so consensus is its normalized row 15/23, 5/23, 3/23.
    assertNear(m.consensus.slice(2), [42740, 14247, 8548], 1, 'consensus');
    for (const uid of MINERS) {
      assert.ok(m.rank[uid] > 0 && m.trust[uid] > 0 && m.incentive[uid] > 0, `miner ${uid}: ${m.rank}, ${m.trust}, ${m.incentive}`);
      assert.equal(m.dividends[uid], 0, `miner ${uid} holds no bonds`);
      assert.deepEqual(m.bonds[uid], []);
    }
    assert.ok(m.incentive[2] > m.incentive[3] && m.incentive[3] > m.incentive[4], `incentive ${m.incentive}`);
    assert.deepEqual(m.incentive.slice(0, 2), [0, 0]);
    assertNear([sum(m.incentive), sum(m.dividends)], [65535, 65535], 2, 'incentive and dividends sums');
    // Validator 0's 1/2 on miner 2 is below consensus, so none of miner 2's support is clipped;
    // its 1/3 and 1/6 on miners 3 and 4 are above, which costs it validator trust.
    assert.ok(m.trust[2] >= 65534, `trust ${m.trust}`);
    assert.ok(m.validatorTrust[1] > m.validatorTrust[0] && m.validatorTrust[0] > 0, `validatorTrust ${m.validatorTrust}`);
    assert.ok(m.dividends[1] > m.dividends[0] && m.dividends[0] > 0, `dividends ${m.dividends}`);
    // Validator 1 holds the largest bond in every column (3x the stake, weights at consensus).
    assert.deepEqual(m.bonds[1], MINERS.map((uid) => [uid, 65535]));
    assert.deepEqual(m.bonds[0].map(([uid]) => uid), MINERS);
    assert.ok(m.bonds[0].every(([, bond]) => bond > 0 && bond < 65535), `bonds ${JSON.stringify(m.bonds[0])}`);
    // The split pays every token of the notional emission, to every uid here.
    assert.equal(sum(m.emission), EMISSION);
    assert.ok(m.emission.every((amount) => amount > 0n), `emission ${m.emission}`);
    assert.ok(m.emission[2] > m.emission[3] && m.emission[3] > m.emission[4] && m.emission[1] > m.emission[0]);

    // neuronsLite reports the same epoch outputs per neuron.
    const lite = await (await api.at(m.blockHash)).call.neuronsApi.neuronsLite(state.netuid, ALL_UIDS);
    assert.equal(lite.length, 5);
    for (const [uid, neuron] of lite.entries()) {
      assert.equal(neuron.epoch.incentive.toNumber(), m.incentive[uid], `uid ${uid}`);
      assert.equal(neuron.epoch.emission.toBigInt(), m.emission[uid], `uid ${uid}`);
      assert.equal(neuron.epoch.validatorPermit.isTrue, m.validatorPermit[uid], `uid ${uid}`);
    }
  });
});
