// Session keys (stable2609): author_rotateKeysWithOwner gives keys and a proof of possession;
// session.setKeys checks the proof and holds a deposit; purgeKeys releases it.

import assert from 'node:assert/strict';

import {
  MDT, accountData, accountIdHex, describeWithNode, feePaid, freshAccount, parentOf, sendTx, sendTxOk,
} from '../lib/node.js';

/** author_rotateKeysWithOwner through @polkadot/api if it knows the method, raw RPC otherwise. */
async function rotateKeysWithOwner(node, ownerHex) {
  const decorated = node.api.rpc.author.rotateKeysWithOwner;
  const answer = decorated ? await decorated(ownerHex) : await node.rpc('author_rotateKeysWithOwner', [ownerHex]);
  const plain = typeof answer.toJSON === 'function' ? answer.toJSON() : answer;
  return { keys: plain.keys, proof: plain.proof };
}

describeWithNode('session_keys', (_ctx, test) => {
  const state = {};

  test('fund two fresh accounts', async ({ api, alice, keyring }) => {
    state.validator = freshAccount(keyring);
    state.other = freshAccount(keyring);
    await sendTxOk(
      api,
      api.tx.utility.batchAll([
        api.tx.balances.transferKeepAlive(state.validator.address, 100n * MDT),
        api.tx.balances.transferKeepAlive(state.other.address, 100n * MDT),
      ]),
      alice,
    );
    assert.equal((await accountData(api, state.validator.address)).free, 100n * MDT);
    assert.equal((await accountData(api, state.other.address)).free, 100n * MDT);
  });

  test('author_rotateKeysWithOwner returns keys the node holds and a proof', async (node) => {
    assert.ok(state.validator, 'accounts funded');
    const { keys, proof } = await rotateKeysWithOwner(node, accountIdHex(state.validator));
    assert.match(keys, /^0x[0-9a-f]+$/);
    assert.match(proof ?? '', /^0x[0-9a-f]+$/, 'the runtime generates a proof of possession');
    // BABE sr25519 (32 bytes) + GRANDPA ed25519 (32 bytes).
    assert.equal(keys.length, 2 + 2 * 64, `keys ${keys}`);
    assert.equal((await node.rpc('author_hasSessionKeys', [keys])), true, 'the keystore has the new keys');
    state.keys = keys;
    state.proof = proof;
  });

  test('session.setKeys with the proof succeeds, stores the keys and holds the deposit', async ({ api }) => {
    assert.ok(state.keys, 'keys rotated');
    const who = state.validator;
    const result = await sendTx(api, api.tx.session.setKeys(state.keys, state.proof), who);
    assert.equal(result.ok, true, `setKeys failed: ${result.error?.name} ${result.error?.docs}`);

    const nextKeys = await api.query.session.nextKeys(who.address);
    assert.ok(nextKeys.isSome, 'session.nextKeys(account) is set');
    assert.equal(nextKeys.unwrap().toHex(), state.keys);

    // The key owner index points back at the account.
    const babeKey = nextKeys.unwrap().babe;
    const owner = await api.query.session.keyOwner(['0x62616265' /* 'babe' */, babeKey.toHex()]);
    assert.equal(owner.unwrap().toString(), who.address);

    // The deposit is held under the session pallet's hold reason.
    const deposit = api.consts.session.keyDeposit.toBigInt();
    assert.ok(deposit > 0n);
    const holds = await api.query.balances.holds(who.address);
    const total = holds.reduce((sum, h) => sum + h.amount.toBigInt(), 0n);
    assert.equal(total, deposit, `holds: ${JSON.stringify(holds.toHuman())}`);
    assert.ok(holds.some((h) => JSON.stringify(h.id.toJSON()).toLowerCase().includes('session')), `hold id ${JSON.stringify(holds.toHuman())}`);

    const parent = await parentOf(api, result.blockHash);
    const [before, after] = await Promise.all([
      accountData(api, who.address, parent),
      accountData(api, who.address, result.blockHash),
    ]);
    assert.equal(after.reserved, deposit, 'the held deposit shows as reserved');
    assert.equal(before.free - after.free, deposit + feePaid(result).total, 'free drops by deposit + fee');
    // One consumer reference for the stored keys, one for the held (reserved) balance.
    assert.equal(after.consumers, before.consumers + 2, 'keys and hold add consumer references');
  });

  test('session.setKeys with a proof made for another owner fails with Session.InvalidProof', async (node) => {
    const { api } = node;
    assert.ok(state.keys, 'keys rotated');
    // Keys and proof generated for `validator`, submitted by `other`.
    const { keys, proof } = await rotateKeysWithOwner(node, accountIdHex(state.validator));
    const result = await sendTx(api, api.tx.session.setKeys(keys, proof), state.other);
    assert.equal(result.ok, false, 'setKeys with a foreign proof must fail');
    assert.equal(result.error.name, 'Session.InvalidProof', `${result.error.name}: ${result.error.docs}`);
    assert.ok((await api.query.session.nextKeys(state.other.address)).isNone, 'no keys were stored');
    assert.equal((await api.query.balances.holds(state.other.address)).length, 0, 'no deposit was held');

    // A garbage proof fails the same way.
    const garbage = await sendTx(api, api.tx.session.setKeys(keys, '0x' + '00'.repeat(64)), state.validator);
    assert.equal(garbage.error?.name, 'Session.InvalidProof');
    assert.equal((await api.query.session.nextKeys(state.validator.address)).unwrap().toHex(), state.keys, 'the stored keys are unchanged');
  });

  test('session.purgeKeys removes the keys and releases the deposit', async ({ api }) => {
    assert.ok(state.keys, 'keys set');
    const who = state.validator;
    await sendTxOk(api, api.tx.session.purgeKeys(), who);
    assert.ok((await api.query.session.nextKeys(who.address)).isNone);
    assert.equal((await api.query.balances.holds(who.address)).length, 0);
    assert.equal((await accountData(api, who.address)).reserved, 0n);
  });
});
