// Subnets and registration: create a subnet, register neurons from different coldkeys (each
// claiming its hotkey with the hotkey's signature first), serve an axon, read it all back through
// the runtime APIs, replace a neuron in a full subnet, and refuse a hotkey to a coldkey it did not
// consent to.

import assert from 'node:assert/strict';

import {
  accountData, ALL_UIDS, ANY_PRICE, claimHotkeyCall, burnedOfFee, describeWithNode, feePaid, freshAccount, hotkeyConsent, MDT, parentOf, sendTx, sendTxOk, totalIssuance,
} from '../lib/node.js';

const LOOPBACK_V4 = 0x7f000001; // the dev chain accepts loopback endpoints

describeWithNode('subnets', (_ctx, test) => {
  const state = {};

  test('registerNetwork creates netuid 1 and locks the minimum lock cost', async ({ api, alice, keyring }) => {
    const lockCost = (await api.call.subnetsApi.networkLockCost()).toBigInt();
    assert.equal(lockCost, 1_000n * MDT);
    state.ownerHotkey = freshAccount(keyring);
    const result = await sendTxOk(api, api.tx.utility.batchAll([
      claimHotkeyCall(api, state.ownerHotkey, alice), api.tx.subnets.registerNetwork(state.ownerHotkey.address, ANY_PRICE),
    ]), alice);
    const claimed = result.findEvent('registration', 'HotkeyClaimed');
    assert.deepEqual([claimed.data.hotkey.toString(), claimed.data.coldkey.toString()], [state.ownerHotkey.address, alice.address]);
    const event = result.findEvent('subnets', 'NetworkRegistered');
    assert.ok(event, 'Subnets.NetworkRegistered');
    state.netuid = event.data.netuid.toNumber();
    assert.equal(state.netuid, 1);
    assert.equal(event.data.lock.toBigInt(), lockCost);

    const info = (await api.call.subnetsApi.subnetInfo(state.netuid)).unwrap();
    assert.equal(info.owner.unwrap().toString(), alice.address);
    assert.equal(info.ownerHotkey.unwrap().toString(), state.ownerHotkey.address);
    assert.equal(info.lock.toBigInt(), lockCost);
    assert.equal(info.neuronCount.toNumber(), 0);
    assert.equal(info.hyperparameters.tempo.toNumber(), 360);
    const holds = await api.query.balances.holds(alice.address);
    const lock = holds.find((hold) => JSON.stringify(hold.id.toHuman()).includes('SubnetLock'));
    assert.ok(lock, 'a Subnets.SubnetLock hold');
    assert.equal(lock.amount.toBigInt(), lockCost);
    // The next creation costs twice as much.
    assert.equal((await api.call.subnetsApi.networkLockCost()).toBigInt(), 2n * lockCost);
    const all = await api.call.subnetsApi.subnetsInfo();
    assert.deepEqual(all.map((subnet) => subnet.netuid.toNumber()), [0, 1]);
  });

  test('root shrinks the subnet to 3 uids and the owner tunes it', async ({ api, alice }) => {
    const shrink = api.tx.subnets.setHyperparameters(state.netuid, { maxAllowedUids: 3, maxAllowedValidators: 3 });
    const result = await sendTxOk(api, api.tx.sudo.sudo(shrink), alice);
    assert.ok(result.findEvent('sudo', 'Sudid').data[0].isOk);
    await sendTxOk(api, api.tx.subnets.setHyperparameters(state.netuid, { weightsVersionKey: 2 }), alice);
    const params = (await api.call.subnetsApi.hyperparameters(state.netuid)).unwrap();
    assert.equal(params.maxAllowedUids.toNumber(), 3);
    assert.equal(params.maxAllowedValidators.toNumber(), 3);
    assert.equal(params.weightsVersionKey.toNumber(), 2);
  });

  test('three coldkeys claim a hotkey and register it as a neuron each, burning the registration price', async ({ api, keyring }) => {
    state.coldkeys = ['//Bob', '//Charlie', '//Dave'].map((uri) => keyring.addFromUri(uri));
    state.hotkeys = state.coldkeys.map(() => freshAccount(keyring));
    for (const [i, coldkey] of state.coldkeys.entries()) {
      const quoted = (await api.call.subnetsApi.registrationCost(state.netuid)).unwrap().toBigInt();
      const result = await sendTxOk(api, api.tx.utility.batchAll([
        claimHotkeyCall(api, state.hotkeys[i], coldkey),
        api.tx.registration.burnedRegister(state.netuid, state.hotkeys[i].address, ANY_PRICE),
      ]), coldkey);
      const event = result.findEvent('registration', 'NeuronRegistered');
      assert.equal(event.data.uid.toNumber(), i);
      // The price decays a little with each block between the quote and the inclusion.
      const burned = event.data.burned.toBigInt();
      assert.ok(burned <= quoted && burned >= (quoted * 99n) / 100n, `burned ${burned}, quoted ${quoted}`);
      const parent = await parentOf(api, result.blockHash);
      const [before, after, coldBefore, coldAfter] = await Promise.all([
        totalIssuance(api, parent),
        totalIssuance(api, result.blockHash),
        accountData(api, coldkey.address, parent),
        accountData(api, coldkey.address, result.blockHash),
      ]);
      // The claim and the registration pay one fee, for the batch.
      assert.equal(before - after, burned + burnedOfFee(feePaid(result).actualFee), 'the price and the burned part of the fee leave the total issuance');
      assert.equal(coldBefore.free - coldAfter.free, burned + feePaid(result).total);
    }
    const info = (await api.call.subnetsApi.subnetInfo(state.netuid)).unwrap();
    assert.equal(info.neuronCount.toNumber(), 3);
  });

  test('a hotkey serves its axon without paying a fee', async ({ api, alice }) => {
    const hotkey = state.hotkeys[1];
    // The hotkey account must exist to sign; the call itself is free.
    await sendTxOk(api, api.tx.balances.transferKeepAlive(hotkey.address, MDT), alice);
    const before = await accountData(api, hotkey.address);
    const result = await sendTxOk(api, api.tx.registration.serveAxon(state.netuid, 5, LOOPBACK_V4, 8091, 4, 0), hotkey);
    assert.ok(result.findEvent('registration', 'AxonServed'));
    const after = await accountData(api, hotkey.address, result.blockHash);
    assert.equal(after.free, before.free, 'no fee');
  });

  test('the pool refuses a free axon update that would fail, so it never reaches a block', async ({ api, alice, keyring }) => {
    const stranger = freshAccount(keyring);
    await sendTxOk(api, api.tx.balances.transferKeepAlive(stranger.address, MDT), alice);
    // Not registered in the subnet: CheckServing rejects it at validation (error 1010).
    await assert.rejects(
      sendTxOk(api, api.tx.registration.serveAxon(state.netuid, 5, LOOPBACK_V4, 8091, 4, 0), stranger),
      /1010|Invalid Transaction|Custom error/,
    );
    // Rate-limited: the hotkey that just served must wait serving_rate_limit blocks.
    await assert.rejects(
      sendTxOk(api, api.tx.registration.serveAxon(state.netuid, 6, LOOPBACK_V4, 8092, 4, 0), state.hotkeys[1]),
      /1010|Invalid Transaction|Custom error/,
    );
  });

  test('neuronsLite and neuron show hotkeys, coldkeys, axons and registration blocks', async ({ api }) => {
    const neurons = await api.call.neuronsApi.neuronsLite(state.netuid, ALL_UIDS);
    assert.equal(neurons.length, 3);
    for (const [i, neuron] of neurons.entries()) {
      assert.equal(neuron.uid.toNumber(), i);
      assert.equal(neuron.hotkey.toString(), state.hotkeys[i].address);
      assert.equal(neuron.coldkey.toString(), state.coldkeys[i].address);
      assert.ok(neuron.immune.isTrue);
      assert.ok(neuron.registeredAt.toNumber() > 0);
      // No epoch has run in the subnet yet.
      assert.ok(neuron.epoch.validatorPermit.isFalse);
      assert.equal(neuron.epoch.emission.toBigInt(), 0n);
    }
    const served = (await api.call.neuronsApi.neuron(state.netuid, 1)).unwrap();
    const axon = served.axon.unwrap();
    assert.equal(axon.ip.toBigInt(), BigInt(LOOPBACK_V4));
    assert.equal(axon.port.toNumber(), 8091);
    assert.equal(axon.version.toNumber(), 5);
    assert.ok(neurons[0].axon.isNone);
    assert.ok((await api.call.neuronsApi.neuron(state.netuid, 3)).isNone);
  });

  test('a fourth registration into the full subnet replaces the oldest neuron', async ({ api, keyring }) => {
    const eve = keyring.addFromUri('//Eve');
    const hotkey = freshAccount(keyring);
    const result = await sendTxOk(api, api.tx.utility.batchAll([
      claimHotkeyCall(api, hotkey, eve), api.tx.registration.burnedRegister(state.netuid, hotkey.address, ANY_PRICE),
    ]), eve);
    const replaced = result.findEvent('registration', 'NeuronReplaced');
    assert.ok(replaced, 'Registration.NeuronReplaced');
    assert.equal(replaced.data.uid.toNumber(), 0);
    assert.equal(replaced.data.oldHotkey.toString(), state.hotkeys[0].address);
    const neurons = await api.call.neuronsApi.neuronsLite(state.netuid, ALL_UIDS);
    assert.equal(neurons.length, 3);
    assert.equal(neurons[0].hotkey.toString(), hotkey.address);
    assert.equal(neurons[0].coldkey.toString(), eve.address);
    assert.equal(neurons[1].hotkey.toString(), state.hotkeys[1].address, 'the others keep their uids');
    assert.ok(neurons[1].axon.isSome, 'and their axons');
  });

  test('a coldkey cannot take a hotkey that did not consent to it', async ({ api, keyring }) => {
    const [eve, ferdie] = ['//Eve', '//Ferdie'].map((uri) => keyring.addFromUri(uri));
    const hotkey = freshAccount(keyring);
    // Ferdie saw the hotkey (and its consent for eve) before eve used it: neither makes it his.
    const registered = await sendTx(api, api.tx.registration.burnedRegister(state.netuid, hotkey.address, ANY_PRICE), ferdie);
    assert.equal(registered.error?.name, 'Registration.HotkeyNotClaimed');
    const claimed = await sendTx(api, api.tx.registration.claimHotkey(hotkey.address, hotkeyConsent(hotkey, eve)), ferdie);
    assert.equal(claimed.error?.name, 'Registration.InvalidHotkeySignature');
    assert.ok((await (await api.at(claimed.blockHash)).query.registration.hotkeyOwners(hotkey.address)).isNone, 'the hotkey has no owner');
  });
});
