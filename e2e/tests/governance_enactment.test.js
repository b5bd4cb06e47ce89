// A referendum from preimage to enactment, on a dev node running the `fast-runtime` WASM (2 s
// blocks; the subnet_admin track prepares, confirms and enacts in minutes): Bob notes the call
// changing a subnet's root-only tempo, submits it to the subnet_admin track and places the
// decision deposit; token holders vote aye with conviction; the referendum starts deciding when
// its prepare period ends, passes its curves, confirms for the track's confirm period and the
// scheduler dispatches the call with the SubnetAdmin origin after the enactment delay. Then both
// deposits come back, and the voters' conviction locks stay.
//
// The production periods (hours to days) are checked by the runtime tests with time travel
// (runtime/tests/governance.rs); governance.test.js covers the rest on the production runtime.

import assert from 'node:assert/strict';

import {
  ANY_PRICE, MDT, accountData, claimHotkeyCall, describeWithNode, freshAccount, sendTx, sendTxOk, waitForNewBlocks,
} from '../lib/node.js';

const SUBNET_ADMIN_TRACK = 10;
const NEW_TEMPO = 77;
const VOTE = 90_000n * MDT;
const CONVICTIONS = [['Locked1x', 1n], ['Locked2x', 2n], ['Locked3x', 3n], ['Locked4x', 4n], ['Locked5x', 5n], ['Locked6x', 6n]];

/** The referenda, scheduler and subnets events of blocks `from..=to`, each with its block number. */
async function eventsBetween(api, from, to) {
  const out = [];
  for (let number = from; number <= to; number++) {
    const hash = await api.rpc.chain.getBlockHash(number);
    const records = await (await api.at(hash)).query.system.events();
    for (const { event } of records) {
      if (['referenda', 'scheduler', 'subnets'].includes(event.section)) out.push({ number, hash, event });
    }
  }
  return out;
}

async function blockNumberOf(api, hash) {
  return (await api.rpc.chain.getHeader(hash)).number.toNumber();
}

describeWithNode('governance enactment (fast-runtime)', (_ctx, test) => {
  const state = {};

  test('the node runs the fast-runtime WASM: 2 s slots and the subnet_admin track in minutes', async ({ api }) => {
    assert.equal(api.consts.babe.expectedBlockTime.toNumber(), 2_000);
    const track = api.consts.referenda.tracks.find(([id]) => id.toNumber() === SUBNET_ADMIN_TRACK)[1];
    state.track = {
      prepare: track.preparePeriod.toNumber(), confirm: track.confirmPeriod.toNumber(), enactment: track.minEnactmentPeriod.toNumber(),
    };
    assert.deepEqual(state.track, { prepare: 30, confirm: 30, enactment: 15 }, 'a minute, a minute and half a minute of 2 s blocks');
  });

  test('Eve registers a subnet; its tempo is not hers to change', async ({ api, keyring }) => {
    const eve = keyring.addFromUri('//Eve');
    const hotkey = freshAccount(keyring);
    const registered = await sendTxOk(api, api.tx.utility.batchAll([
      claimHotkeyCall(api, hotkey, eve), api.tx.subnets.registerNetwork(hotkey.address, ANY_PRICE),
    ]), eve);
    state.netuid = registered.findEvent('subnets', 'NetworkRegistered').data.netuid.toNumber();
    state.call = api.tx.subnets.setHyperparameters(state.netuid, { tempo: NEW_TEMPO });
    const denied = await sendTx(api, state.call, eve);
    assert.equal(denied.error?.name, 'Subnets.RequiresRoot');
  });

  test('Bob notes the preimage, submits it to the subnet_admin track and places the decision deposit', async ({ api, bob }) => {
    assert.ok(state.call, 'the subnet was registered');
    const hash = state.call.method.hash.toHex();
    const len = state.call.method.encodedLength;
    await sendTxOk(api, api.tx.preimage.notePreimage(state.call.method.toHex()), bob);
    state.reservedBefore = (await accountData(api, bob.address)).reserved;
    const submitted = await sendTxOk(api, api.tx.referenda.submit({ Origins: 'SubnetAdmin' }, { Lookup: { hash, len } }, { After: 0 }), bob);
    const event = submitted.findEvent('referenda', 'Submitted');
    assert.equal(event?.data.track.toNumber(), SUBNET_ADMIN_TRACK);
    state.index = event.data.index.toNumber();
    state.submittedAt = await blockNumberOf(api, submitted.blockHash);
    await sendTxOk(api, api.tx.referenda.placeDecisionDeposit(state.index), bob);
    const status = (await api.query.referenda.referendumInfoFor(state.index)).unwrap().asOngoing;
    assert.ok(status.decisionDeposit.isSome && status.deciding.isNone, 'deposited, preparing');
  });

  test('holders vote aye with conviction: ayes weigh balance x conviction, support counts the balance', async ({ api, keyring }) => {
    assert.ok(state.index !== undefined, 'the referendum was submitted');
    // Enough voters that their support (the capital voting aye) is above the track's 20% at the
    // start of the decision period: the referendum passes as soon as it decides.
    const issuance = (await api.query.balances.totalIssuance()).toBigInt() - (await api.query.balances.inactiveIssuance()).toBigInt();
    const uris = ['//Charlie', '//Dave', '//Ferdie', '//Charlie//stash', '//Dave//stash', '//Ferdie//stash'];
    state.voters = [];
    while (BigInt(state.voters.length) * VOTE * 4n <= issuance) state.voters.push(keyring.addFromUri(uris[state.voters.length]));
    const votes = state.voters.map((voter, i) => ({ voter, conviction: CONVICTIONS[i] }));
    await Promise.all(votes.map(({ voter, conviction: [conviction] }) =>
      sendTxOk(api, api.tx.convictionVoting.vote(state.index, { Standard: { vote: { aye: true, conviction }, balance: VOTE } }), voter)));
    const { tally } = (await api.query.referenda.referendumInfoFor(state.index)).unwrap().asOngoing;
    assert.equal(tally.ayes.toBigInt(), votes.reduce((sum, { conviction: [, times] }) => sum + VOTE * times, 0n));
    assert.equal(tally.support.toBigInt(), VOTE * BigInt(votes.length));
    assert.equal(tally.nays.toBigInt(), 0n);
    assert.ok(tally.support.toBigInt() * 5n > issuance, `support ${tally.support} above 20% of ${issuance}`);
  });

  test('it decides after the prepare period, confirms for the confirm period and is enacted: the tempo changes', async ({ api }) => {
    assert.ok(state.voters?.length, 'the votes were cast');
    const { prepare, confirm, enactment } = state.track;
    const params = async () => (await api.query.subnets.hyperparameters(state.netuid)).unwrap();
    assert.notEqual((await params()).tempo.toNumber(), NEW_TEMPO);
    // Block by block until the call is enacted: about prepare + confirm + enactment blocks.
    for (;;) {
      if ((await params()).tempo.toNumber() === NEW_TEMPO) break;
      await waitForNewBlocks(api, 1);
    }
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    const events = await eventsBetween(api, state.submittedAt + 1, now);
    const of = (section, method, pred = () => true) => events.filter((e) => e.event.section === section && e.event.method === method && pred(e.event));
    const ours = (e) => e.data.index.toNumber() === state.index;
    const [started] = of('referenda', 'DecisionStarted', ours);
    const [confirming] = of('referenda', 'ConfirmStarted', ours);
    const [confirmed] = of('referenda', 'Confirmed', ours);
    const [set] = of('subnets', 'HyperparametersSet');
    assert.ok(started && confirming && confirmed && set, `events: ${events.map((e) => `#${e.number} ${e.event.section}.${e.event.method}`).join(', ')}`);
    // The referenda pallet's alarms are in whole blocks (`AlarmInterval` 1).
    assert.equal(started.number, state.submittedAt + prepare, 'deciding once the prepare period ends');
    assert.equal(confirming.number, started.number, 'its support and approval already pass: confirming at once');
    assert.equal(confirmed.number, confirming.number + confirm, 'confirmed after the confirm period');
    assert.equal(set.number, confirmed.number + enactment, 'enacted after the enactment delay');
    assert.equal(set.event.data.hyperparameters.tempo.toNumber(), NEW_TEMPO);
    const [dispatched] = of('scheduler', 'Dispatched').filter((e) => e.number === set.number);
    assert.ok(dispatched?.event.data.result.isOk, 'the scheduler dispatched it Ok');
    const info = (await api.query.referenda.referendumInfoFor(state.index)).unwrap();
    assert.ok(info.isApproved, `referendum ${info.type}`);
  }, { timeout: 300_000 });

  test('Bob gets both deposits back; the voters\' conviction locks stay after the referendum', async ({ api, bob }) => {
    assert.ok(state.voters?.length, 'the referendum was enacted');
    await sendTxOk(api, api.tx.referenda.refundDecisionDeposit(state.index), bob);
    await sendTxOk(api, api.tx.referenda.refundSubmissionDeposit(state.index), bob);
    assert.equal((await accountData(api, bob.address)).reserved, state.reservedBefore, 'only the preimage deposit is left held');
    for (const voter of state.voters) {
      await sendTxOk(api, api.tx.convictionVoting.removeVote(SUBNET_ADMIN_TRACK, state.index), voter);
      await sendTxOk(api, api.tx.convictionVoting.unlock(SUBNET_ADMIN_TRACK, voter.address), voter);
      const lock = (await api.query.balances.locks(voter.address)).find((l) => l.id.toHuman() === 'pyconvot');
      assert.equal(lock?.amount.toBigInt(), VOTE, 'a winning vote with conviction stays locked for its lock periods');
    }
  });
}, { fastRuntime: true });
