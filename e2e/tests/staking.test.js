// Genesis staking state: Alice is the sole validator with 10_000 MDT bonded.

import assert from 'node:assert/strict';

import { MDT, describeWithNode } from '../lib/node.js';

const BONDED = 10_000n * MDT;

describeWithNode('staking', (_ctx, test) => {
  test('Alice is a staking validator and the only session validator', async ({ api, alice }) => {
    const validatorKeys = await api.query.staking.validators.keys();
    assert.deepEqual(validatorKeys.map((k) => k.args[0].toString()), [alice.address], 'staking.validators holds Alice only');
    assert.equal((await api.query.staking.counterForValidators()).toNumber(), 1);
    const prefs = await api.query.staking.validators(alice.address);
    assert.equal(prefs.blocked.isTrue, false, 'Alice accepts nominations');

    const sessionValidators = (await api.query.session.validators()).map((v) => v.toString());
    assert.deepEqual(sessionValidators, [alice.address]);

    // She is in the voter list (bags list) too, by her stake.
    const listNode = await api.query.voterList.listNodes(alice.address);
    assert.ok(listNode.isSome, 'Alice is in the VoterList');
  });

  test('Alice bonded 10_000 MDT as her own controller, all of it active', async ({ api, alice }) => {
    const bonded = await api.query.staking.bonded(alice.address);
    assert.ok(bonded.isSome, 'staking.bonded(Alice) is set');
    assert.equal(bonded.unwrap().toString(), alice.address, 'the controller is the stash itself');

    const ledger = await api.query.staking.ledger(alice.address);
    assert.ok(ledger.isSome, 'staking.ledger(Alice) is set');
    const { stash, total, active, unlocking } = ledger.unwrap();
    assert.equal(stash.toString(), alice.address);
    assert.equal(active.toBigInt(), BONDED);
    assert.equal(total.toBigInt(), BONDED);
    assert.equal(unlocking.length, 0);

    // The bond is held (or locked) on Alice's balance.
    const { data } = await api.query.system.account(alice.address);
    const heldOrFrozen = data.reserved.toBigInt() > data.frozen.toBigInt() ? data.reserved.toBigInt() : data.frozen.toBigInt();
    assert.ok(heldOrFrozen >= BONDED, `reserved ${data.reserved}, frozen ${data.frozen}`);

    const payee = await api.query.staking.payee(alice.address);
    assert.ok(payee.isSome, 'staking.payee(Alice) is set');
  });

  test('validator count is 1 and the current era is defined', async ({ api, alice }) => {
    assert.equal((await api.query.staking.validatorCount()).toNumber(), 1);
    const currentEra = await api.query.staking.currentEra();
    assert.ok(currentEra.isSome, 'staking.currentEra is set');
    const activeEra = await api.query.staking.activeEra();
    assert.ok(activeEra.isSome, 'staking.activeEra is set');
    assert.ok(activeEra.unwrap().index.toNumber() <= currentEra.unwrap().toNumber());

    // Alice is exposed in the active era with her whole bond.
    const era = activeEra.unwrap().index;
    const overview = await api.query.staking.erasStakersOverview(era, alice.address);
    assert.ok(overview.isSome, `Alice has an exposure in era ${era}`);
    assert.equal(overview.unwrap().total.toBigInt(), BONDED);
    assert.equal(overview.unwrap().own.toBigInt(), BONDED);
  });
});
