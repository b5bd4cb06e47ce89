// Malformed, badly signed and replayed extrinsics are refused at the RPC/pool boundary and
// change nothing on chain.

import assert from 'node:assert/strict';
import { u8aToHex } from '@polkadot/util';

import { MDT, accountData, describeWithNode, sendTxOk, totalIssuance, waitForNewBlocks } from '../lib/node.js';

/** Submits raw extrinsic bytes; resolves with the RPC error it must raise. */
async function submitRejected(node, hex) {
  try {
    const hash = await node.rpc('author_submitExtrinsic', [hex]);
    assert.fail(`author_submitExtrinsic(${hex.slice(0, 20)}…) was accepted: ${hash}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    return e;
  }
}

async function snapshot({ api, alice, bob }) {
  const [a, b, issuance] = await Promise.all([
    accountData(api, alice.address),
    accountData(api, bob.address),
    totalIssuance(api),
  ]);
  return { alice: a.free, aliceNonce: a.nonce, bob: b.free, issuance };
}

async function assertPoolEmpty(node) {
  const pending = await node.rpc('author_pendingExtrinsics', []);
  assert.deepEqual(pending, [], 'the transaction pool is empty');
}

describeWithNode('malformed', (_ctx, test) => {
  test('garbage bytes are rejected with an RPC error and change nothing', async (node) => {
    const before = await snapshot(node);
    for (const garbage of ['0xdeadbeef', '0x10deadbeef', '0x00', '0x' + 'ff'.repeat(200)]) {
      const err = await submitRejected(node, garbage);
      assert.equal(typeof err.code, 'number', `RPC error with a code for ${garbage}: ${err.message}`);
      assert.ok(err.code >= 1000 && err.code < 1100, `an author_* error code for ${garbage}: ${err.message}`);
    }
    await assertPoolEmpty(node);
    await waitForNewBlocks(node.api, 1);
    await assertPoolEmpty(node);
    assert.deepEqual(await snapshot(node), before, 'no balance, nonce or issuance changed');
  });

  test('an extrinsic with a flipped signature byte is rejected as bad signature (1010)', async (node) => {
    const { api, alice, bob } = node;
    const before = await snapshot(node);
    const tx = api.tx.balances.transferKeepAlive(bob.address, 1n * MDT);
    await tx.signAsync(alice, { nonce: -1 });
    const bytes = tx.toU8a();
    const signature = tx.signature.toU8a();
    assert.equal(signature.length, 64, 'an sr25519 signature');
    const at = Buffer.from(bytes).indexOf(Buffer.from(signature));
    assert.ok(at > 0, 'the signature is inside the extrinsic');
    const tampered = bytes.slice();
    tampered[at + 10] ^= 0x01;

    const err = await submitRejected(node, u8aToHex(tampered));
    assert.equal(err.code, 1010, err.message);
    assert.match(err.message, /bad signature/i);

    // The untampered extrinsic is valid, so only the signature was wrong; and the runtime
    // finds the tampered one invalid too. Neither is submitted: the pool stays empty.
    const best = await api.rpc.chain.getBlockHash();
    // (The extrinsic goes as a length-prefixed Uint8Array: the metadata describes it as bytes.)
    const valid = await api.call.taggedTransactionQueue.validateTransaction('External', tx.toU8a(), best);
    assert.ok(valid.isOk, `untampered: ${JSON.stringify(valid.toHuman())}`);
    const invalid = await api.call.taggedTransactionQueue.validateTransaction('External', tampered, best);
    assert.ok(invalid.isErr, `tampered: ${JSON.stringify(invalid.toHuman())}`);
    assert.equal(invalid.asErr.isInvalid && invalid.asErr.asInvalid.type, 'BadProof');
    await assertPoolEmpty(node);
    await waitForNewBlocks(api, 1);
    assert.deepEqual(await snapshot(node), before, 'no balance, nonce or issuance changed');
  });

  test('a transaction signed with an already used nonce is rejected as outdated (1010)', async (node) => {
    const { api, alice, bob } = node;
    const { nonce: used } = await accountData(api, alice.address);
    await sendTxOk(api, api.tx.balances.transferKeepAlive(bob.address, 1n * MDT), alice, { nonce: used });
    const afterFirst = await snapshot(node);
    assert.equal(afterFirst.aliceNonce, used + 1);

    const replay = api.tx.balances.transferKeepAlive(bob.address, 1n * MDT);
    await replay.signAsync(alice, { nonce: used });
    const err = await submitRejected(node, replay.toHex());
    assert.equal(err.code, 1010, err.message);
    assert.match(err.message, /outdated/i);

    // Submitting the same bytes again is refused as temporarily banned (1012); a different
    // replay through @polkadot/api is refused as outdated again.
    const again = await submitRejected(node, replay.toHex());
    assert.ok([1010, 1012].includes(again.code), again.message);
    const other = api.tx.balances.transferKeepAlive(bob.address, 2n * MDT);
    await other.signAsync(alice, { nonce: used });
    await assert.rejects(api.rpc.author.submitExtrinsic(other), /1010.*outdated/i);

    await assertPoolEmpty(node);
    await waitForNewBlocks(api, 1);
    assert.deepEqual(await snapshot(node), afterFirst, 'the replay moved nothing');
  });
});
