// Sudo: Alice holds the key; root calls go through her and nobody else.

import assert from 'node:assert/strict';

import { MDT, accountData, describeWithNode, feePaid, freshAccount, parentOf, sendTx, sendTxOk } from '../lib/node.js';

describeWithNode('sudo', (_ctx, test) => {
  const state = {};

  test('sudo.key() is Alice', async ({ api, alice }) => {
    const key = await api.query.sudo.key();
    assert.ok(key.isSome);
    assert.equal(key.unwrap().toString(), alice.address);
  });

  test("Alice's sudo(balances.forceSetBalance) sets the balance and emits Sudid(Ok)", async ({ api, alice, keyring }) => {
    state.target = freshAccount(keyring);
    state.amount = 1_234n * MDT + 567n;
    const call = api.tx.balances.forceSetBalance(state.target.address, state.amount);
    const result = await sendTxOk(api, api.tx.sudo.sudo(call), alice);

    const sudid = result.findEvent('sudo', 'Sudid');
    assert.ok(sudid, 'Sudo.Sudid event');
    assert.ok(sudid.data[0].isOk, `Sudid result ${JSON.stringify(sudid.data[0].toHuman())}`);
    const balanceSet = result.findEvent('balances', 'BalanceSet');
    assert.ok(balanceSet, 'Balances.BalanceSet event');
    assert.equal(balanceSet.data.who.toString(), state.target.address);
    assert.equal(balanceSet.data.free.toBigInt(), state.amount);

    const data = await accountData(api, state.target.address, result.blockHash);
    assert.equal(data.free, state.amount);
    // A successful sudo call by the key holder pays no fee (Pays::No).
    assert.equal(feePaid(result).total, 0n, 'sudo by the key holder is free');
  });

  test('the same call signed by Bob fails with Sudo.RequireSudo and changes nothing but his fee', async ({ api, bob }) => {
    assert.ok(state.target, 'the previous test set a balance');
    const call = api.tx.balances.forceSetBalance(state.target.address, 1n * MDT);
    const result = await sendTx(api, api.tx.sudo.sudo(call), bob);
    assert.equal(result.ok, false);
    assert.equal(result.error.name, 'Sudo.RequireSudo', `${result.error.name}: ${result.error.docs}`);
    assert.equal(result.findEvent('sudo', 'Sudid'), undefined, 'no Sudid event');
    assert.equal(result.findEvent('balances', 'BalanceSet'), undefined, 'no BalanceSet event');

    const parent = await parentOf(api, result.blockHash);
    const [targetAfter, bobBefore, bobAfter] = await Promise.all([
      accountData(api, state.target.address, result.blockHash),
      accountData(api, bob.address, parent),
      accountData(api, bob.address, result.blockHash),
    ]);
    assert.equal(targetAfter.free, state.amount, 'the target balance is unchanged');
    const fee = feePaid(result);
    assert.ok(fee.actualFee > 0n, 'Bob pays a fee for the failed call');
    assert.equal(bobBefore.free - bobAfter.free, fee.total, 'Bob loses only the fee');
  });

  test('forceSetBalance without sudo fails with BadOrigin', async ({ api, bob }) => {
    const result = await sendTx(api, api.tx.balances.forceSetBalance(state.target.address, 1n * MDT), bob);
    assert.equal(result.ok, false);
    assert.equal(result.error.name, 'BadOrigin');
    assert.equal((await accountData(api, state.target.address)).free, state.amount);
  });
});
