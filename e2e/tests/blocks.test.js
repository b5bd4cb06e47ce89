// Block production (BABE) and finality (GRANDPA) on a single-validator dev chain.

import assert from 'node:assert/strict';
import { u8aToString } from '@polkadot/util';

import { describeWithNode, waitForFinalizedAdvance, waitForNewBlocks } from '../lib/node.js';

/** The slot of a block: from its BABE pre-digest, from `babe.currentSlot`, and its timestamp. */
async function blockSlot(api, header) {
  const pre = header.digest.logs.find((log) => log.isPreRuntime && u8aToString(log.asPreRuntime[0].toU8a()) === 'BABE');
  assert.ok(pre, `block #${header.number} has a BABE pre-digest`);
  const digest = api.registry.createType('RawBabePreDigest', pre.asPreRuntime[1]);
  const at = await api.at(header.hash);
  const [slot, timestamp] = await Promise.all([at.query.babe.currentSlot(), at.query.timestamp.now()]);
  return { digestSlot: digest.value.slotNumber.toBigInt(), slot: slot.toBigInt(), timestamp: timestamp.toBigInt() };
}

describeWithNode('blocks', (_ctx, test) => {
  test('a new block carries a BABE pre-runtime digest and a BABE seal, and Alice authored it', async ({ api, alice }) => {
    const header = await waitForNewBlocks(api, 1);
    const logs = header.digest.logs;
    const preRuntime = logs.filter((log) => log.isPreRuntime).map((log) => log.asPreRuntime);
    assert.ok(
      preRuntime.some(([engine]) => u8aToString(engine.toU8a()) === 'BABE'),
      `no BABE pre-runtime digest in block #${header.number}: ${JSON.stringify(logs.toHuman())}`,
    );
    const seals = logs.filter((log) => log.isSeal).map((log) => log.asSeal);
    assert.equal(seals.length, 1, `expected exactly one seal: ${JSON.stringify(logs.toHuman())}`);
    assert.equal(u8aToString(seals[0][0].toU8a()), 'BABE');

    // The author is the validator whose index the BABE digest names: Alice, the only one.
    const extended = await api.derive.chain.getHeader(header.hash);
    assert.equal(extended.author?.toString(), alice.address);
  });

  test('the best block number advances, block after block', async ({ api }) => {
    const before = (await api.rpc.chain.getHeader()).number.toNumber();
    const header = await waitForNewBlocks(api, 2);
    assert.ok(header.number.toNumber() >= before + 2, `best went from #${before} to #${header.number}`);

    // Each block's parent is the previous block, in an earlier slot; the slot in the BABE
    // pre-digest is the runtime's current slot, and the timestamp lies inside that slot.
    const parent = await api.rpc.chain.getHeader(header.parentHash);
    assert.equal(parent.number.toNumber(), header.number.toNumber() - 1);
    const slotDuration = api.consts.babe.expectedBlockTime.toBigInt();
    const [mine, parents] = await Promise.all([blockSlot(api, header), blockSlot(api, parent)]);
    assert.ok(mine.slot > parents.slot, `slot ${mine.slot} after parent slot ${parents.slot}`);
    for (const { slot, digestSlot, timestamp } of [mine, parents]) {
      assert.equal(digestSlot, slot, 'the BABE pre-digest slot is babe.currentSlot');
      assert.equal(timestamp / slotDuration, slot, `timestamp ${timestamp} is in slot ${slot}`);
    }
  });

  test('the finalized head advances (GRANDPA) and never passes the best block', async ({ api }) => {
    const finalizedHeader = await waitForFinalizedAdvance(api, 1);
    const finalizedNumber = finalizedHeader.number.toNumber();
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    assert.ok(finalizedNumber >= 1, `finalized #${finalizedNumber}`);
    assert.ok(finalizedNumber <= best, `finalized #${finalizedNumber} > best #${best}`);

    // The finalized block is on the best chain: the canonical hash at its height is the same.
    const canonical = await api.rpc.chain.getBlockHash(finalizedNumber);
    assert.equal(canonical.toHex(), finalizedHeader.hash.toHex());

    // It advances again.
    const later = await waitForFinalizedAdvance(api, 1);
    assert.ok(later.number.toNumber() > finalizedNumber);
  });

  test('grandpa_roundState answers with a single-voter authority set', async ({ api }) => {
    const state = await api.rpc.grandpa.roundState();
    assert.ok(state.setId.toNumber() >= 0);
    assert.ok(state.best.round.toNumber() >= 1, `round ${state.best.round}`);
    assert.equal(state.best.totalWeight.toNumber(), 1, 'Alice is the only GRANDPA voter');
    assert.equal(state.best.thresholdWeight.toNumber(), 1);

    const authorities = await api.call.grandpaApi.grandpaAuthorities();
    assert.equal(authorities.length, 1);
  });

  test('babe_epochAuthorship lists slots for Alice', async ({ api, alice }) => {
    const authorship = await api.rpc.babe.epochAuthorship();
    const entries = [...authorship.entries()].map(([key, value]) => [key.toString(), value]);
    const mine = entries.find(([key]) => key === alice.address);
    assert.ok(mine, `no entry for Alice (${alice.address}) in ${JSON.stringify(authorship.toHuman())}`);
    // Field names as the node sends them (@polkadot/api does not rename `secondary_vrf`).
    const claims = mine[1].toJSON();
    const primary = claims.primary;
    const secondary = claims.secondary;
    const secondaryVrf = claims.secondary_vrf ?? claims.secondaryVrf;
    assert.ok(Array.isArray(primary) && Array.isArray(secondary) && Array.isArray(secondaryVrf), JSON.stringify(Object.keys(claims)));
    const slots = primary.length + secondary.length + secondaryVrf.length;
    assert.ok(slots > 0, `Alice has no slots: ${JSON.stringify(claims)}`);

    // Every slot of the epoch is Alice's: she is the only authority, and the slots she does not
    // win by VRF (primary) she gets as secondary VRF slots (AllowedSlots::PrimaryAndSecondaryVRFSlots).
    const epochLength = api.consts.babe.epochDuration.toNumber();
    const all = new Set([...primary, ...secondary, ...secondaryVrf].map((s) => String(s)));
    assert.equal(all.size, slots, 'a slot is listed twice');
    assert.equal(all.size, epochLength, `${all.size} slots listed in an epoch of ${epochLength}`);
    assert.equal(secondary.length, 0, 'plain secondary slots are not allowed, only secondary VRF ones');
  });
});
