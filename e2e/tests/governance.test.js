// Governance and the treasury on a live dev node: a referendum on the subnet_admin track (its
// preimage, submission and decision deposits, a conviction vote and the tally it makes), the
// technical committee's whitelisting (two of three members, never one) and root dispatching
// the whitelisted call, the treasury's fifth of every fee, and a root spend paid out.
//
// The dev node runs the production periods (6 s blocks; the subnet_admin track alone prepares
// for an hour, then decides and confirms for hours more), so no referendum can be decided or
// enacted within a test. The whole lifecycle, on every track, with time travel, is in the
// runtime tests (runtime/tests/governance.rs); here the same call reaches the chain by the
// committee's fast track instead, dispatched as root.

import assert from 'node:assert/strict';

import { stringToU8a, u8aConcat } from '@polkadot/util';

import {
  ANY_PRICE, MDT, accountData, claimHotkeyCall, decodeDispatchError, describeWithNode, feePaid, freshAccount, parentOf, sendTx, sendTxOk,
} from '../lib/node.js';

const SUBNET_ADMIN_TRACK = 10;
const SUBMISSION_DEPOSIT = 10n * MDT;
const SUBNET_ADMIN_DECISION_DEPOSIT = 500n * MDT;
/** Preimage deposit: 1 MDT, plus 10 micro-MDT a byte. */
const preimageDeposit = (len) => MDT + 10_000n * BigInt(len);

/** What the treasury earns from the fees of block `blockHash`: a fifth of each, rounded down. */
async function feeShares(api, blockHash) {
  const events = await (await api.at(blockHash)).query.system.events();
  return events
    .filter(({ event }) => event.section === 'transactionPayment' && event.method === 'TransactionFeePaid')
    .reduce((sum, { event }) => sum + event.data.actualFee.toBigInt() / 5n, 0n);
}

/** Free balance of `who` just before and right after block `blockHash`. */
async function freeDelta(api, who, blockHash) {
  const parent = await parentOf(api, blockHash);
  const [before, after] = await Promise.all([accountData(api, who, parent), accountData(api, who, blockHash)]);
  return after.free - before.free;
}

/** Reserved (held) balance of `who` just before and right after block `blockHash`. */
async function reservedDelta(api, who, blockHash) {
  const parent = await parentOf(api, blockHash);
  const [before, after] = await Promise.all([accountData(api, who, parent), accountData(api, who, blockHash)]);
  return after.reserved - before.reserved;
}

describeWithNode('governance', (_ctx, test) => {
  const state = {};

  test("a subnet's tempo is root's (or the subnet_admin track's) to change, not its owner's", async ({ api, keyring }) => {
    state.owner = keyring.addFromUri('//Eve');
    const hotkey = freshAccount(keyring);
    const registered = await sendTxOk(api, api.tx.utility.batchAll([
      claimHotkeyCall(api, hotkey, state.owner), api.tx.subnets.registerNetwork(hotkey.address, ANY_PRICE),
    ]), state.owner);
    state.netuid = registered.findEvent('subnets', 'NetworkRegistered').data.netuid.toNumber();
    assert.equal(state.netuid, 1);

    // The call governance will make: the owner may not make it himself.
    state.call = api.tx.subnets.setHyperparameters(state.netuid, { tempo: 500 });
    state.hash = state.call.method.hash.toHex();
    state.len = state.call.method.encodedLength;
    const denied = await sendTx(api, state.call, state.owner);
    assert.equal(denied.error?.name, 'Subnets.RequiresRoot');
    const params = (await api.query.subnets.hyperparameters(state.netuid)).unwrap();
    assert.equal(params.tempo.toNumber(), 360, 'the default tempo stays');
  });

  test('Bob notes the preimage of the call and holds 1 MDT plus 10 micro-MDT a byte for it', async ({ api, bob }) => {
    assert.ok(state.call, 'the first test built the call');
    const result = await sendTxOk(api, api.tx.preimage.notePreimage(state.call.method.toHex()), bob);
    // `data.hash` would be the codec's own hash: the field is the event's first.
    assert.equal(result.findEvent('preimage', 'Noted')?.data[0].toHex(), state.hash);
    assert.equal(await reservedDelta(api, bob.address, result.blockHash), preimageDeposit(state.len));
    const holds = await (await api.at(result.blockHash)).query.balances.holds(bob.address);
    const hold = holds.find((h) => JSON.stringify(h.id.toHuman()).includes('Preimage'));
    assert.equal(hold?.amount.toBigInt(), preimageDeposit(state.len), 'a Preimage hold of the deposit');
    const status = (await api.query.preimage.requestStatusFor(state.hash)).unwrap();
    assert.ok(status.isUnrequested, `status ${status.type}`);
    assert.equal(status.asUnrequested.ticket[0].toString(), bob.address);
    assert.equal(status.asUnrequested.len.toNumber(), state.len);
  });

  test('Bob submits it to the subnet_admin track (10 MDT) and places the decision deposit (500 MDT)', async ({ api, bob }) => {
    assert.ok(state.hash, 'the preimage was noted');
    const submitted = await sendTxOk(api, api.tx.referenda.submit(
      { Origins: 'SubnetAdmin' }, { Lookup: { hash: state.hash, len: state.len } }, { After: 0 },
    ), bob);
    const event = submitted.findEvent('referenda', 'Submitted');
    assert.ok(event, 'Referenda.Submitted');
    state.index = event.data.index.toNumber();
    assert.equal(state.index, 0, 'the chain\'s first referendum');
    assert.equal(event.data.track.toNumber(), SUBNET_ADMIN_TRACK, 'the SubnetAdmin origin picks track 10');
    assert.equal(event.data.proposal.asLookup.hash_.toHex(), state.hash);
    assert.equal(await reservedDelta(api, bob.address, submitted.blockHash), SUBMISSION_DEPOSIT);

    const placed = await sendTxOk(api, api.tx.referenda.placeDecisionDeposit(state.index), bob);
    const deposit = placed.findEvent('referenda', 'DecisionDepositPlaced');
    assert.equal(deposit?.data.who.toString(), bob.address);
    assert.equal(deposit.data.amount.toBigInt(), SUBNET_ADMIN_DECISION_DEPOSIT);
    assert.equal(await reservedDelta(api, bob.address, placed.blockHash), SUBNET_ADMIN_DECISION_DEPOSIT);
  });

  test('Alice votes aye with 3x conviction: the tally counts 3x her balance, support 1x, and it is locked', async ({ api, alice, bob, keyring }) => {
    assert.ok(state.index !== undefined, 'the referendum was submitted');
    const balance = 10_000n * MDT;
    const dave = keyring.addFromUri('//Dave');
    // Dave owns 100,000 MDT: he cannot vote with twice that.
    const [voted, overdrawn] = await Promise.all([
      sendTxOk(api, api.tx.convictionVoting.vote(state.index, { Standard: { vote: { aye: true, conviction: 'Locked3x' }, balance } }), alice),
      sendTx(api, api.tx.convictionVoting.vote(state.index, { Standard: { vote: { aye: true, conviction: 'None' }, balance: 200_000n * MDT } }), dave),
    ]);
    assert.equal(overdrawn.error?.name, 'ConvictionVoting.InsufficientFunds');
    const ev = voted.findEvent('convictionVoting', 'Voted');
    assert.equal(ev?.data.who.toString(), alice.address);
    assert.equal(ev.data.pollIndex.toNumber(), state.index);

    const info = (await api.query.referenda.referendumInfoFor(state.index)).unwrap();
    assert.ok(info.isOngoing, `referendum ${info.type}`);
    const status = info.asOngoing;
    assert.equal(status.track.toNumber(), SUBNET_ADMIN_TRACK);
    assert.deepEqual(status.origin.toJSON(), { origins: 'SubnetAdmin' });
    assert.equal(status.submissionDeposit.who.toString(), bob.address);
    assert.equal(status.submissionDeposit.amount.toBigInt(), SUBMISSION_DEPOSIT);
    assert.equal(status.decisionDeposit.unwrap().amount.toBigInt(), SUBNET_ADMIN_DECISION_DEPOSIT);
    // Still in the hour-long prepare period: not deciding yet.
    assert.ok(status.deciding.isNone, 'not deciding within the prepare period');
    assert.equal(status.tally.ayes.toBigInt(), 3n * balance, 'ayes are conviction-weighted');
    assert.equal(status.tally.nays.toBigInt(), 0n, 'Dave\'s failed vote counts nothing');
    assert.equal(status.tally.support.toBigInt(), balance, 'support is the capital, unweighted');

    const locks = await api.query.balances.locks(alice.address);
    const lock = locks.find((l) => l.id.toHuman() === 'pyconvot');
    assert.ok(lock, `a pyconvot lock among ${JSON.stringify(locks.toHuman())}`);
    assert.equal(lock.amount.toBigInt(), balance);
    assert.equal((await api.query.balances.locks(dave.address)).find((l) => l.id.toHuman() === 'pyconvot'), undefined);
  });

  test('one committee member cannot whitelist the call, alone or by a motion of one', async ({ api, alice, keyring }) => {
    assert.ok(state.hash);
    const charlie = keyring.addFromUri('//Charlie');
    const whitelist = api.tx.whitelist.whitelistCall(state.hash);
    const [motion, direct] = await Promise.all([
      // A threshold below 2 executes at once, with the origin Members(1, 3): under two thirds.
      sendTxOk(api, api.tx.technicalCommittee.propose(1, whitelist, whitelist.method.encodedLength), alice),
      sendTx(api, whitelist, charlie),
    ]);
    const executed = motion.findEvent('technicalCommittee', 'Executed');
    assert.ok(executed?.data.result.isErr, 'the motion of one executed and failed');
    assert.equal(decodeDispatchError(api, executed.data.result.asErr).name, 'BadOrigin');
    assert.equal(direct.error?.name, 'BadOrigin');
    assert.ok((await api.query.whitelist.whitelistedCall(state.hash)).isNone, 'not whitelisted');
  });

  test('two of three members whitelist it: Alice proposes, Alice and Bob vote aye, Charlie closes', async ({ api, alice, bob, keyring }) => {
    const charlie = keyring.addFromUri('//Charlie');
    const whitelist = api.tx.whitelist.whitelistCall(state.hash);
    const lengthBound = whitelist.method.encodedLength;
    const proposed = await sendTxOk(api, api.tx.technicalCommittee.propose(2, whitelist, lengthBound), alice);
    const ev = proposed.findEvent('technicalCommittee', 'Proposed');
    assert.equal(ev?.data.threshold.toNumber(), 2);
    const proposalHash = ev.data.proposalHash.toHex();
    const index = ev.data.proposalIndex.toNumber();
    assert.equal(proposalHash, whitelist.method.hash.toHex());

    // A proposer's vote is not implied; each member's first vote is free.
    const votes = await Promise.all([alice, bob].map((member) =>
      sendTxOk(api, api.tx.technicalCommittee.vote(proposalHash, index, true), member)));
    for (const vote of votes) assert.equal(feePaid(vote).actualFee, 0n, 'a first vote pays no fee');

    const closed = await sendTxOk(api, api.tx.technicalCommittee.close(
      proposalHash, index, { refTime: 10_000_000_000n, proofSize: 1_000_000n }, lengthBound,
    ), charlie);
    const tally = closed.findEvent('technicalCommittee', 'Closed');
    assert.deepEqual([tally?.data.yes.toNumber(), tally?.data.no.toNumber()], [2, 0]);
    assert.ok(closed.findEvent('technicalCommittee', 'Approved'), 'TechnicalCommittee.Approved');
    assert.ok(closed.findEvent('technicalCommittee', 'Executed').data.result.isOk, 'the motion executed Ok');
    assert.equal(closed.findEvent('whitelist', 'CallWhitelisted')?.data.callHash.toHex(), state.hash);
    assert.ok((await api.query.whitelist.whitelistedCall(state.hash)).isSome, 'whitelisted');
    // Whitelisting requests the preimage, so it stays while the call is whitelisted.
    assert.ok((await api.query.preimage.requestStatusFor(state.hash)).unwrap().isRequested);
  });

  test('root dispatches the whitelisted call: the tempo becomes 500', async ({ api, alice }) => {
    assert.ok(state.netuid);
    const result = await sendTxOk(api, api.tx.sudo.sudo(api.tx.whitelist.dispatchWhitelistedCallWithPreimage(state.call)), alice);
    assert.ok(result.findEvent('sudo', 'Sudid').data[0].isOk, 'Sudid(Ok)');
    const dispatched = result.findEvent('whitelist', 'WhitelistedCallDispatched');
    assert.equal(dispatched?.data.callHash.toHex(), state.hash);
    assert.ok(dispatched.data.result.isOk, `dispatch result ${JSON.stringify(dispatched.data.result.toHuman())}`);
    assert.equal(result.findEvent('subnets', 'HyperparametersSet')?.data.hyperparameters.tempo.toNumber(), 500);
    const params = (await (await api.at(result.blockHash)).query.subnets.hyperparameters(state.netuid)).unwrap();
    assert.equal(params.tempo.toNumber(), 500);
    assert.ok((await api.query.whitelist.whitelistedCall(state.hash)).isNone, 'dispatching consumes the whitelisting');
    // The referendum for the same call is untouched: still ongoing, awaiting its periods.
    assert.ok((await api.query.referenda.referendumInfoFor(state.index)).unwrap().isOngoing);
  });

  test('the treasury account takes a fifth of every fee', async ({ api, keyring }) => {
    const derived = keyring.encodeAddress(u8aConcat(stringToU8a('modl'), stringToU8a('lux/trsy'), new Uint8Array(20)));
    state.treasury = api.consts.treasury.potAccount ? api.consts.treasury.potAccount.toString() : derived;
    assert.equal(state.treasury, derived, 'the pot is the PalletId lux/trsy account');
    assert.ok((await accountData(api, state.treasury)).free >= 500n, 'it exists (at least the existential deposit)');

    // Ferdie funds the treasury, so it can pay the spend below.
    const ferdie = keyring.addFromUri('//Ferdie');
    const amount = 10n * MDT;
    const result = await sendTxOk(api, api.tx.balances.transferKeepAlive(state.treasury, amount), ferdie);
    const fee = feePaid(result).actualFee;
    assert.ok(fee > 0n);
    const shares = await feeShares(api, result.blockHash);
    assert.ok(shares >= fee / 5n, 'Ferdie\'s fee is among the block\'s');
    assert.equal(await freeDelta(api, state.treasury, result.blockHash), amount + shares, 'the transfer and a fifth of each fee in the block');
  });

  test('a root spend is approved, then anyone pays it out: the beneficiary gets exactly 1 MDT', async ({ api, alice, keyring }) => {
    assert.ok(state.treasury);
    const beneficiary = freshAccount(keyring);
    const approved = await sendTxOk(api, api.tx.sudo.sudo(api.tx.treasury.spend(null, MDT, beneficiary.address, null)), alice);
    assert.ok(approved.findEvent('sudo', 'Sudid').data[0].isOk, 'Sudid(Ok)');
    const spend = approved.findEvent('treasury', 'AssetSpendApproved');
    assert.ok(spend, 'Treasury.AssetSpendApproved');
    assert.equal(spend.data.amount.toBigInt(), MDT);
    assert.equal(spend.data.beneficiary.toString(), beneficiary.address);
    const index = spend.data.index.toNumber();
    assert.equal((await accountData(api, beneficiary.address)).free, 0n, 'approval pays nothing yet');

    const charlie = keyring.addFromUri('//Charlie');
    const paid = await sendTxOk(api, api.tx.treasury.payout(index), charlie);
    assert.equal(paid.findEvent('treasury', 'Paid')?.data.index.toNumber(), index);
    assert.equal((await accountData(api, beneficiary.address, paid.blockHash)).free, MDT);
    const shares = await feeShares(api, paid.blockHash);
    assert.equal(await freeDelta(api, state.treasury, paid.blockHash), shares - MDT, 'the treasury pays 1 MDT (and earns its fee shares)');
    // Paid once: a second payout is refused.
    const again = await sendTx(api, api.tx.treasury.payout(index), charlie);
    assert.equal(again.error?.name, 'Treasury.AlreadyAttempted');
  });
});
