// Balance transfers: exact amounts, fees from TransactionFeePaid, fees burned (a fifth to the
// treasury), the existential deposit.

import assert from 'node:assert/strict';

import {
  MDT, accountData, burnedOfFee, describeWithNode, feePaid, freshAccount, parentOf, sendTx, sendTxOk, totalIssuance,
} from '../lib/node.js';

describeWithNode('transfer', (_ctx, test) => {
  test('Alice sends 10 MDT to a fresh account: exact amounts, fee paid, burned but for the treasury\'s fifth', async ({ api, alice, keyring }) => {
    const recipient = freshAccount(keyring);
    const amount = 10n * MDT;
    assert.equal((await accountData(api, recipient.address)).free, 0n, 'a fresh account starts empty');

    const result = await sendTxOk(api, api.tx.balances.transferKeepAlive(recipient.address, amount), alice);
    const block = result.blockHash;
    const parent = await parentOf(api, block);

    // The events of the extrinsic: Transfer(Alice -> recipient, 10 MDT), Endowed, fee paid, success.
    const transfer = result.findEvent('balances', 'Transfer');
    assert.ok(transfer, 'Balances.Transfer event');
    assert.equal(transfer.data.from.toString(), alice.address);
    assert.equal(transfer.data.to.toString(), recipient.address);
    assert.equal(transfer.data.amount.toBigInt(), amount);
    assert.ok(result.findEvent('balances', 'Endowed'), 'Balances.Endowed for the new account');
    assert.ok(result.findEvent('system', 'NewAccount'), 'System.NewAccount for the new account');
    assert.ok(result.findEvent('system', 'ExtrinsicSuccess'), 'System.ExtrinsicSuccess');

    const fee = feePaid(result);
    assert.equal(fee.who, alice.address);
    assert.equal(fee.tip, 0n);
    assert.ok(fee.actualFee > 0n, `fee ${fee.actualFee} > 0`);

    // Balances just before and right after the block that included the transfer.
    const [aliceBefore, aliceAfter, recipientBefore, recipientAfter, issuanceBefore, issuanceAfter] = await Promise.all([
      accountData(api, alice.address, parent),
      accountData(api, alice.address, block),
      accountData(api, recipient.address, parent),
      accountData(api, recipient.address, block),
      totalIssuance(api, parent),
      totalIssuance(api, block),
    ]);
    assert.equal(recipientBefore.free, 0n);
    assert.equal(recipientAfter.free, amount, 'the recipient gets exactly 10 MDT');
    assert.equal(aliceBefore.free - aliceAfter.free, amount + fee.total, 'Alice pays 10 MDT plus the fee');
    assert.equal(aliceAfter.nonce, aliceBefore.nonce + 1);
    assert.equal(issuanceBefore - issuanceAfter, burnedOfFee(fee.actualFee), 'the fee is burned but for the treasury\'s fifth');

    // The runtime's fee estimate for the very extrinsic, in the state it was charged in, bounds
    // the fee (the actual fee is lower only if dispatch refunded weight).
    const { block: signedBlock } = await api.rpc.chain.getBlock(block);
    const included = signedBlock.extrinsics.find((x) => x.hash.eq(result.txHash));
    assert.ok(included, 'the transfer is in the block');
    // The runtime API's `uxt` is described in the metadata as a byte vector (UncheckedExtrinsic's
    // TypeInfo), so hand over the length-prefixed encoding as a Uint8Array, not as hex (which
    // @polkadot/api would prefix a second time).
    const info = await (await api.at(parent)).call.transactionPaymentApi.queryInfo(included.toU8a(), included.encodedLength);
    assert.ok(info.partialFee.toBigInt() >= fee.actualFee, `estimate ${info.partialFee} < charged ${fee.actualFee}`);
  });

  test('a transfer below the existential deposit to a new account fails and moves only the fee', async ({ api, alice, keyring }) => {
    const recipient = freshAccount(keyring);
    const ed = api.consts.balances.existentialDeposit.toBigInt();
    assert.equal(ed, 500n);
    const amount = ed - 1n;

    const result = await sendTx(api, api.tx.balances.transferAllowDeath(recipient.address, amount), alice);
    assert.equal(result.ok, false, 'the transfer must fail');
    assert.ok(
      ['Token.BelowMinimum', 'Balances.ExistentialDeposit'].includes(result.error.name),
      `unexpected error ${result.error.name}: ${result.error.docs}`,
    );
    assert.ok(result.findEvent('system', 'ExtrinsicFailed'), 'System.ExtrinsicFailed');
    assert.equal(result.findEvent('balances', 'Transfer'), undefined, 'no Transfer event');

    const fee = feePaid(result);
    assert.ok(fee.actualFee > 0n, 'a failed transaction still pays its fee');
    const block = result.blockHash;
    const parent = await parentOf(api, block);
    const [aliceBefore, aliceAfter, recipientAfter, issuanceBefore, issuanceAfter] = await Promise.all([
      accountData(api, alice.address, parent),
      accountData(api, alice.address, block),
      accountData(api, recipient.address, block),
      totalIssuance(api, parent),
      totalIssuance(api, block),
    ]);
    assert.equal(recipientAfter.free, 0n, 'the recipient got nothing');
    assert.equal(recipientAfter.providers, 0, 'and no account was created');
    assert.equal(aliceBefore.free - aliceAfter.free, fee.total, 'Alice lost only the fee');
    assert.equal(issuanceBefore - issuanceAfter, burnedOfFee(fee.actualFee), 'the fee is burned but for the treasury\'s fifth');
  });

  test('a transfer of the existential deposit itself creates the account', async ({ api, alice, keyring }) => {
    const recipient = freshAccount(keyring);
    const ed = api.consts.balances.existentialDeposit.toBigInt();
    await sendTxOk(api, api.tx.balances.transferAllowDeath(recipient.address, ed), alice);
    const data = await accountData(api, recipient.address);
    assert.equal(data.free, ed);
    assert.equal(data.providers, 1);
  });
});
