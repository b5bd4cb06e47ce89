// The compute market end to end. Root shortens the attestation, heartbeat and slashing windows
// (runtime storage parameters) and marks a new subnet as a compute subnet; an epoch gives its
// three staked validators their permits. Three providers register their GPUs, each holding a
// bond and the attestors' fee; all three validators are drawn as attestors of every provider and
// commit, then reveal, in one batch each, so the three attestations run side by side. Two
// machines are confirmed (Active, with the lower median score), the third declared eight GPUs it
// does not have: two of three attestors say so, it is rejected and, after the defer period, 10%
// of its bond is slashed, half to the majority and half to the treasury. Heartbeats are checked
// in the pool, a model is registered and deprecated, and the runtime API, storage and the compute_*
// JSON-RPC methods agree at one block. Calls that must fail fail with their named error.

import assert from 'node:assert/strict';

import {
  CID, VRAM, attestationCommitment as commitment, blockNumber, canon, commitAttestations, computeEvents as compute, countersJson,
  eventsAt, fundingCalls, hardwareSpec as spec, holdsOf, metricsJson, newProviders, newValidators, optNum, parameterItems,
  registerNeurons, registerProviderCall, revealAttestations, sortBy, sudo, totalsJson, twoEpochs,
} from '../lib/compute.js';
import {
  accountData, ALL_UIDS, ANY_PRICE, claimHotkeyCall, describeWithNode, freshAccount, MDT, parentOf, sendTx, sendTxOk, totalIssuance, waitForBestNumber,
} from '../lib/node.js';

const COMMIT_WINDOW = 5;
const REVEAL_WINDOW = 6;
const HEARTBEAT_TIMEOUT = 100;
const MIN_HEARTBEAT_INTERVAL = 3; // two blocks of margin for the too-early heartbeat
const SLASH_DEFER = 4;
const PARAMETERS = {
  AttestationCommitWindow: COMMIT_WINDOW, AttestationRevealWindow: REVEAL_WINDOW, ComputeHeartbeatTimeout: HEARTBEAT_TIMEOUT,
  ComputeMinHeartbeatInterval: MIN_HEARTBEAT_INTERVAL, ComputeSlashDeferDuration: SLASH_DEFER, ComputeUnbondingPeriod: 20,
};
const FEE = 3n * MDT; // 1 MDT for each of the 3 attestors
const A100 = 'NVIDIA A100 80GB';
const H100 = 'NVIDIA H100 80GB HBM3';
const CID_V0 = 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG';

// Each machine and the [score, verdict] the three validators report on it, in validator order.
const PROVIDERS = [
  { spec: spec(A100, 4, 8, 'DE'), reports: [[1000, true], [1200, true], [1100, true]], score: 1100 },
  { spec: spec(H100, 2, 9, 'US'), reports: [[3000, true], [2900, true], [3100, true]], score: 3000 },
  // Claims eight H100s it does not have; the third validator is fooled.
  { spec: spec(H100, 8, 9, 'SG'), reports: [[0, false], [0, false], [700, true]], score: null },
];

const classOf = (score) => (score === 0 ? 0 : score.toString(2).length);
const hotkeysOf = (list) => list.map((p) => p.hotkey.toString()).sort();

// What the compute_* RPC methods should answer, built from the runtime API's SCALE records.
const providerJson = (p) => ({
  hotkey: p.hotkey.toString(), owner: p.owner.toString(), netuid: p.netuid.toNumber(),
  spec: {
    gpuModel: p.spec.gpuModel.toUtf8(), gpuCount: p.spec.gpuCount.toNumber(), vramPerGpuMib: p.spec.vramPerGpuMib.toNumber(),
    computeCapability: `${p.spec.computeCapability.major}.${p.spec.computeCapability.minor}`, cpuCores: p.spec.cpuCores.toNumber(),
    ramMib: p.spec.ramMib.toNumber(), diskGib: p.spec.diskGib.toNumber(), bandwidthMbps: p.spec.bandwidthMbps.toNumber(),
    region: p.spec.region.toUtf8(),
  },
  askPrice: p.askPrice.toBigInt(), payout: p.payout.toString(), status: p.status.type, score: optNum(p.score), class: optNum(p.class),
  bond: p.bond.toBigInt(), unbonding: p.unbonding.map(([amount, unlockAt]) => ({ amount: amount.toBigInt(), unlockAt: unlockAt.toNumber() })),
  registeredAt: p.registeredAt.toNumber(), lastHeartbeat: p.lastHeartbeat.toNumber(), attestationOpen: p.attestationOpen.isTrue,
  offences: p.offences.toNumber(), activeJobs: p.activeJobs.toNumber(), pendingSlashes: p.pendingSlashes.toNumber(),
  reputation: p.reputation.toNumber() / 1e9,
});
const modelJson = (m) => ({
  id: m.id.toNumber(), owner: m.owner.toString(), name: m.name.toUtf8(), contentId: m.contentId.toUtf8(),
  version: `${m.version.major}.${m.version.minor}.${m.version.patch}`, kind: m.kind.type, metadata: m.metadata.toUtf8(),
  deprecated: m.deprecated.isTrue, deposit: m.deposit.toBigInt(), registeredAt: m.registeredAt.toNumber(), jobRefs: m.jobRefs.toNumber(),
});

describeWithNode('compute', (_ctx, test) => {
  const state = {};

  test('alice creates a subnet and root shortens the compute windows in storage', async ({ api, alice, keyring, rpc }) => {
    const ownerHotkey = freshAccount(keyring);
    const result = await sendTxOk(api, api.tx.utility.batchAll([
      claimHotkeyCall(api, ownerHotkey, alice), api.tx.subnets.registerNetwork(ownerHotkey.address, ANY_PRICE),
    ]), alice);
    state.netuid = result.findEvent('subnets', 'NetworkRegistered').data.netuid.toNumber();
    const items = parameterItems(PARAMETERS);
    assert.equal((await sudo(api, alice, api.tx.system.setStorage(items))).outcome, 'Ok');
    for (const [key, value] of items) assert.equal(await rpc('state_getStorage', [key]), value);
    const c = api.consts.compute;
    assert.deepEqual([c.baseBond, c.bondPerGpu, c.attestorFee].map((x) => x.toBigInt()), [100n * MDT, 50n * MDT, MDT]);
    assert.deepEqual([c.attestorsPerProvider.toNumber(), c.drawDelay.toNumber()], [3, 2]);
  });

  test('three validators stake on their hotkeys and three provider hotkeys register as neurons', async ({ api, alice, keyring }) => {
    state.validators = newValidators(keyring, ['//Bob', '//Charlie', '//Dave']);
    state.providers = newProviders(keyring, PROVIDERS);
    state.modelOwner = freshAccount(keyring);
    await sendTxOk(api, api.tx.utility.batchAll([
      ...fundingCalls(api, state.validators, state.providers),
      api.tx.balances.transferKeepAlive(state.modelOwner.address, 10n * MDT),
    ]), alice);
    await registerNeurons(api, state.netuid, state.validators, state.providers);
    assert.equal((await api.call.neuronsApi.neuronsLite(state.netuid, ALL_UIDS)).length, 6);
  });

  test('registering a provider on a subnet that is not a compute subnet fails with NotComputeSubnet and holds nothing', async ({ api }) => {
    const [p] = state.providers;
    const result = await sendTx(api, registerProviderCall(api, state.netuid, p), p.coldkey);
    assert.equal(result.error?.name, 'Compute.NotComputeSubnet');
    const at = await api.at(result.blockHash);
    assert.ok((await at.query.compute.providers(p.hotkey.address)).isNone);
    assert.deepEqual(await holdsOf(api, p.coldkey.address, result.blockHash), {});
    assert.ok(Object.values(countersJson(await at.query.compute.counters())).every((n) => n === 0n));
  });

  test('root marks the subnet as a compute subnet and an epoch gives the staked validators permits', async ({ api, alice }) => {
    const marked = await sudo(api, alice, api.tx.compute.setComputeSubnet(state.netuid, true));
    assert.equal(marked.outcome, 'Ok');
    const event = marked.result.findEvent('compute', 'ComputeSubnetSet').data;
    assert.deepEqual([event.netuid.toNumber(), event.enabled.isTrue], [state.netuid, true]);
    assert.deepEqual((await api.query.compute.computeSubnets.keys()).map((key) => key.args[0].toNumber()), [state.netuid]);
    const epoch = await sudo(api, alice, twoEpochs(api, state.netuid));
    assert.equal(epoch.outcome, 'Ok');
    const m = (await (await api.at(epoch.result.blockHash)).call.neuronsApi.metagraph(state.netuid, ALL_UIDS)).unwrap();
    const permits = Object.fromEntries(m.hotkeys.map((hotkey, uid) => [hotkey.toString(), m.validatorPermit[uid].isTrue]));
    for (const v of state.validators) assert.equal(permits[v.hotkey.address], true, 'a staked validator holds a permit');
    for (const p of state.providers) assert.equal(permits[p.hotkey.address], false, 'a provider without stake holds none');
  });

  test('three providers register, holding bond and fee, and all three validators are drawn to attest each', async ({ api }) => {
    const results = await Promise.all(state.providers.map((p) => sendTxOk(api, registerProviderCall(api, state.netuid, p), p.coldkey)));
    for (const [i, p] of state.providers.entries()) {
      const { blockHash } = results[i];
      const registered = results[i].findEvent('compute', 'ProviderRegistered').data;
      assert.deepEqual([registered.hotkey.toString(), registered.owner.toString(), registered.netuid.toNumber()],
        [p.hotkey.address, p.coldkey.address, state.netuid]);
      assert.deepEqual([registered.bond.toBigInt(), registered.attestationFee.toBigInt()], [p.bond, FEE]);
      assert.deepEqual(await holdsOf(api, p.coldkey.address, blockHash), { 'Compute.ProviderBond': p.bond, 'Compute.AttestationFee': FEE });
      const requested = results[i].findEvent('compute', 'AttestationRequested').data;
      p.drawAt = requested.drawAt.toNumber();
      assert.deepEqual([requested.round.toNumber(), p.drawAt], [0, (await blockNumber(api, blockHash)) + 2]);
      assert.ok((await (await api.at(blockHash)).query.compute.providers(p.hotkey.address)).unwrap().status.isPendingAttestation);
    }
    await waitForBestNumber(api, Math.max(...state.providers.map((p) => p.drawAt)));
    const validators = state.validators.map((v) => v.hotkey.address).sort();
    for (const p of state.providers) {
      const events = compute(await eventsAt(api, await api.rpc.chain.getBlockHash(p.drawAt)), 'AttestorsDrawn');
      const drawn = events.find((e) => e.data.provider.toString() === p.hotkey.address);
      assert.ok(drawn, `AttestorsDrawn in block ${p.drawAt}`);
      assert.deepEqual(drawn.data.attestors.map(String).sort(), validators);
      p.commitEnd = drawn.data.commitEnd.toNumber();
      assert.deepEqual([p.commitEnd, drawn.data.revealEnd.toNumber()], [p.drawAt + COMMIT_WINDOW, p.drawAt + COMMIT_WINDOW + REVEAL_WINDOW]);
      const phase = (await api.query.compute.attestations(p.hotkey.address)).unwrap().phase;
      assert.ok(phase.isOpen && phase.asOpen.commitEnd.toNumber() === p.commitEnd);
    }
    assert.equal((await api.query.compute.counters()).providersPending.toNumber(), 3);
  });

  test('each validator commits to its three reports in one batch within the commit window', async ({ api }) => {
    const salts = await commitAttestations(api, state.validators, state.providers);
    state.salts = salts;
    for (const [j, p] of state.providers.entries()) {
      for (const slot of (await api.query.compute.attestations(p.hotkey.address)).unwrap().attestors) {
        const i = state.validators.findIndex((v) => v.hotkey.address === slot.hotkey.toString());
        assert.equal(slot.commitment.unwrap().toHex(), commitment(p.hotkey, p.reports[i], salts[i][j]));
        assert.ok(slot.report.isNone);
      }
    }
  });

  test('after the commit window the validators reveal: two providers are attested, the false spec is rejected', async ({ api }) => {
    await waitForBestNumber(api, Math.max(...state.providers.map((p) => p.commitEnd)));
    const results = await revealAttestations(api, state.validators, state.providers, state.salts);
    const events = results.flatMap(({ events: records, blockHash }) => records.map(({ event }) => ({ event, blockHash })));
    const find = (method, p) => events.filter(({ event }) =>
      event.section === 'compute' && event.method === method && event.data.provider?.toString() === p.hotkey.address);
    const paidTo = (p) => find('AttestorPaid', p).map(({ event }) => [event.data.attestor.toString(), event.data.fee.toBigInt()]).sort();
    const [v0, v1, v2] = state.validators.map((v) => v.hotkey.address);
    const [a, b, liar] = state.providers;
    for (const p of [a, b]) {
      const [attested] = find('ProviderAttested', p);
      assert.ok(attested, 'Compute.ProviderAttested');
      const { score, class: cls } = attested.event.data;
      assert.deepEqual([score.toNumber(), cls.toNumber()], [p.score, classOf(p.score)], 'the lower median of the scores');
      assert.deepEqual(paidTo(p), [v0, v1, v2].map((v) => [v, MDT]).sort());
      assert.equal(find('AttestationRevealed', p).length, 3);
    }
    const [rejected] = find('ProviderRejected', liar);
    const [scheduled] = find('SlashScheduled', liar);
    assert.ok(rejected && scheduled, 'Compute.ProviderRejected and Compute.SlashScheduled');
    liar.slashId = rejected.event.data.slashId.toNumber();
    liar.closedIn = rejected.blockHash;
    liar.applyAt = scheduled.event.data.applyAt.toNumber();
    const { slashId, reason, amount } = scheduled.event.data;
    assert.deepEqual([slashId.toNumber(), reason.type, amount.toBigInt()], [liar.slashId, 'FalseSpec', liar.bond / 10n]);
    assert.equal(liar.applyAt, (await blockNumber(api, rejected.blockHash)) + SLASH_DEFER);
    assert.deepEqual(paidTo(liar), [v0, v1].map((v) => [v, MDT]).sort(), 'only the majority is paid');
    const penalized = find('AttestorPenalized', liar).map(({ event }) => [event.data.attestor.toString(), event.data.fault.type]);
    assert.deepEqual(penalized, [[v2, 'AgainstMajority']], 'the fooled validator is benched');

    const numbers = await Promise.all(results.map((r) => blockNumber(api, r.blockHash)));
    const last = results[numbers.indexOf(Math.max(...numbers))].blockHash;
    const at = await api.at(last);
    for (const p of state.providers) {
      const stored = (await at.query.compute.providers(p.hotkey.address)).unwrap();
      assert.equal(stored.status.type, p.score === null ? 'Rejected' : 'Active');
      assert.equal(optNum(stored.score), p.score);
      assert.ok((await at.query.compute.attestations(p.hotkey.address)).isNone, 'the attestation is closed');
      assert.deepEqual(await holdsOf(api, p.coldkey.address, last), { 'Compute.ProviderBond': p.bond }, 'the fee is paid out or returned');
    }
    const counters = countersJson(await at.query.compute.counters());
    const { providersPending, providersActive, providersRejected, gpusOnline, vramOnlineMib } = counters;
    assert.deepEqual([providersPending, providersActive, providersRejected, gpusOnline, vramOnlineMib], [0n, 2n, 1n, 6n, 6n * VRAM]);
  });

  test('after the defer period 10% of the false provider\'s bond is slashed: half to the majority, half to the treasury', async ({ api, alice }, t) => {
    const liar = state.providers[2];
    const [v0, v1, v2] = state.validators.map((v) => v.hotkey.address);
    const pending = (await (await api.at(liar.closedIn)).query.compute.slashes(liar.slashId)).unwrap();
    assert.deepEqual(pending.beneficiaries.map(String).sort(), [v0, v1].sort());
    await waitForBestNumber(api, liar.applyAt);
    const hash = await api.rpc.chain.getBlockHash(liar.applyAt);
    const parent = await parentOf(api, hash);
    const events = await eventsAt(api, hash);
    const [applied] = compute(events, 'SlashApplied');
    assert.ok(applied, `Compute.SlashApplied in block ${liar.applyAt}`);
    const slashed = liar.bond / 10n;
    const each = slashed / 2n / 2n;
    const toTreasury = slashed - 2n * each;
    const d = applied.data;
    assert.deepEqual([d.slashId.toNumber(), d.provider.toString(), d.reason.type, d.slashed.toBigInt(), d.rewarded.toBigInt()],
      [liar.slashId, liar.hotkey.address, 'FalseSpec', slashed, 2n * each]);
    // The treasury also gets its fifth of the block's transaction fees.
    const treasury = api.consts.treasury.potAccount.toString();
    const feeShare = events.filter((e) => e.section === 'transactionPayment' && e.method === 'TransactionFeePaid')
      .reduce((sum, e) => sum + e.data.actualFee.toBigInt() / 5n, 0n);
    for (const [who, gain] of [[v0, each], [v1, each], [v2, 0n], [treasury, toTreasury + feeShare]]) {
      assert.equal((await accountData(api, who, hash)).free - (await accountData(api, who, parent)).free, gain, who);
    }
    assert.deepEqual(await holdsOf(api, liar.coldkey.address, hash), { 'Compute.ProviderBond': liar.bond - slashed });
    const at = await api.at(hash);
    const stored = (await at.query.compute.providers(liar.hotkey.address)).unwrap();
    assert.deepEqual([stored.bond.toBigInt(), stored.pendingSlashes.toNumber(), stored.status.type], [liar.bond - slashed, 0, 'Rejected']);
    assert.equal((await at.query.compute.offences(liar.coldkey.address)).count.toNumber(), 1, 'the offence stays with the owner');
    assert.ok((await at.query.compute.slashes(liar.slashId)).isNone);
    // Nothing is burned: issuance stays, unless an epoch or payout minted in the same block.
    const extrinsics = (await api.rpc.chain.getBlock(hash)).block.extrinsics.length;
    const minting = events.filter((e) =>
      e.section === 'emission' || (e.section === 'balances' && ['Minted', 'Issued', 'Rescinded'].includes(e.method)));
    const delta = (await totalIssuance(api, hash)) - (await totalIssuance(api, parent));
    if (extrinsics === 1 && minting.length === 0) assert.equal(delta, 0n);
    else t.diagnostic(`issuance check skipped: ${extrinsics} extrinsics, ${minting.length} minting events in block ${liar.applyAt}`);
    // An applied slash can no longer be cancelled.
    assert.equal((await sudo(api, alice, api.tx.compute.cancelSlash(liar.slashId))).outcome, 'Compute.SlashNotFound');
    state.slashed = slashed;
  });

  test('a due heartbeat is accepted free of fees; one too soon after it is refused by the pool', async ({ api, rpc }) => {
    const { hotkey } = state.providers[0];
    const tooSoon = api.errors.compute.HeartbeatTooSoon.meta.index.toNumber();
    const first = await sendTxOk(api, api.tx.compute.heartbeat(), hotkey);
    // CheckHeartbeat rejects it at validation: InvalidTransaction::Custom(index of HeartbeatTooSoon).
    const early = await api.tx.compute.heartbeat().signAsync(hotkey, { nonce: -1 });
    await assert.rejects(rpc('author_submitExtrinsic', [early.toHex()]), (e) => {
      assert.equal(e.code, 1010, e.message);
      assert.match(e.message, new RegExp(`Custom error: ${tooSoon}\\b`));
      return true;
    });
    const block = await blockNumber(api, first.blockHash);
    const stored = (await (await api.at(first.blockHash)).query.compute.providers(hotkey.address)).unwrap();
    assert.deepEqual([stored.lastHeartbeat.toNumber(), stored.livenessDeadline.unwrap().toNumber(), stored.status.type],
      [block, block + HEARTBEAT_TIMEOUT, 'Active'], 'the heartbeat moves the liveness deadline');
    const parent = await parentOf(api, first.blockHash);
    assert.equal((await accountData(api, hotkey.address, first.blockHash)).free, (await accountData(api, hotkey.address, parent)).free, 'fee-free');
    // Once MinHeartbeatInterval blocks have passed, the next one is due again.
    await waitForBestNumber(api, block + MIN_HEARTBEAT_INTERVAL - 1);
    const again = await sendTxOk(api, api.tx.compute.heartbeat(), hotkey);
    const later = (await (await api.at(again.blockHash)).query.compute.providers(hotkey.address)).unwrap();
    assert.equal(later.lastHeartbeat.toNumber(), await blockNumber(api, again.blockHash));
  });

  test('a model with a CIDv0 content id fails with ContentIdNotBase32; a CIDv1 one is registered, then deprecated', async ({ api }) => {
    const owner = state.modelOwner;
    const model = { name: 'llama-3.1-8b-instruct', version: { major: 1, minor: 2, patch: 3 }, kind: 'Llm', metadata: 'license=llama3.1' };
    const register = (cid) => api.tx.compute.registerModel(model.name, cid, model.version, model.kind, model.metadata);
    const id = (await api.query.compute.nextModelId()).toNumber();
    const bad = await sendTx(api, register(CID_V0), owner);
    assert.equal(bad.error?.name, 'Compute.ContentIdNotBase32');
    const atBad = await api.at(bad.blockHash);
    assert.deepEqual([(await atBad.query.compute.nextModelId()).toNumber(), (await atBad.query.compute.counters()).models.toNumber()], [id, 0]);
    assert.deepEqual(await holdsOf(api, owner.address, bad.blockHash), {});

    const ok = await sendTxOk(api, register(CID), owner);
    const bytes = BigInt(model.name.length + CID.length + model.metadata.length);
    const deposit = api.consts.compute.modelDepositBase.toBigInt() + bytes * api.consts.compute.modelDepositPerByte.toBigInt();
    const event = ok.findEvent('compute', 'ModelRegistered').data;
    assert.deepEqual([event.id.toNumber(), event.owner.toString(), event.name.toUtf8(), event.deposit.toBigInt()],
      [id, owner.address, model.name, deposit]);
    assert.deepEqual(await holdsOf(api, owner.address, ok.blockHash), { 'Compute.ModelDeposit': deposit });
    const stored = (await (await api.at(ok.blockHash)).query.compute.models(id)).unwrap();
    assert.deepEqual([stored.contentId.toUtf8(), stored.kind.type, stored.deprecated.isTrue, stored.registeredAt.toNumber()],
      [CID, 'Llm', false, await blockNumber(api, ok.blockHash)]);

    const deprecated = await sendTxOk(api, api.tx.compute.deprecateModel(id), owner);
    assert.equal(deprecated.findEvent('compute', 'ModelDeprecated').data.id.toNumber(), id);
    const at = await api.at(deprecated.blockHash);
    assert.ok((await at.query.compute.models(id)).unwrap().deprecated.isTrue);
    const counters = await at.query.compute.counters();
    assert.deepEqual([counters.models.toNumber(), counters.modelsDeprecated.toNumber()], [1, 1]);
    state.modelId = id;
  });

  test('network metrics, storage, the runtime API and the compute_* RPC methods agree at one block', async ({ api, rpc }) => {
    const hash = await api.rpc.chain.getBlockHash();
    const hex = hash.toHex();
    const at = await api.at(hash);
    const [a, b, liar] = state.providers;
    const totals = (p) => ({ providers: 1n, gpus: BigInt(p.spec.gpuCount), vramMib: BigInt(p.spec.gpuCount) * VRAM });

    const metrics = await at.call.computeApi.networkMetrics();
    const view = metricsJson(metrics);
    const counters = countersJson(await at.query.compute.counters());
    assert.deepEqual(countersJson(metrics.counters), counters);
    assert.deepEqual(counters, { providersPending: 0n, providersActive: 2n, providersOffline: 0n, providersRejected: 1n, providersLeaving: 0n,
      gpusOnline: 6n, gpusOffline: 0n, gpusLeased: 0n, vramOnlineMib: 6n * VRAM, activeJobs: 0n, models: 1n, modelsDeprecated: 1n });
    assert.equal(view.gpusFree, 6n);
    assert.deepEqual(view.byGpuModel, [{ gpuModel: A100, ...totals(a) }, { gpuModel: H100, ...totals(b) }], 'the rejected H100s do not count');
    assert.deepEqual(view.byClass, [{ class: classOf(a.score), ...totals(a) }, { class: classOf(b.score), ...totals(b) }]);
    const byModel = (await at.query.compute.gpusByModel.entries()).map(([key, t]) => ({ gpuModel: key.args[0].toUtf8(), ...totalsJson(t.unwrap()) }));
    assert.deepEqual(sortBy(byModel, 'gpuModel'), view.byGpuModel);
    const json = await rpc('compute_networkMetrics', [hex]);
    assert.deepEqual(canon({ ...json, byGpuModel: sortBy(json.byGpuModel, 'gpuModel'), byClass: sortBy(json.byClass, 'class') }), canon(view));

    // Providers: two pages through the runtime API, each record as stored.
    const filter = (f) => ({ netuid: null, status: null, gpuModel: null, minClass: null, startAfter: null, limit: 256, ...f });
    const first = await at.call.computeApi.providers(filter({ netuid: state.netuid, limit: 2 }));
    const rest = await at.call.computeApi.providers(filter({ netuid: state.netuid, limit: 2, startAfter: first[1].hotkey }));
    assert.deepEqual([first.length, rest.length], [2, 1]);
    assert.deepEqual(hotkeysOf([...first, ...rest]), state.providers.map((p) => p.hotkey.address).sort());
    const same = ['owner', 'netuid', 'spec', 'askPrice', 'payout', 'status', 'score', 'bond', 'registeredAt', 'lastHeartbeat', 'activeJobs'];
    for (const info of [...first, ...rest]) {
      const stored = (await at.query.compute.providers(info.hotkey)).unwrap();
      assert.deepEqual(same.map((f) => info[f].toHex()), same.map((f) => stored[f].toHex()));
      assert.equal(info.attestationOpen.isTrue, false);
      assert.equal(info.offences.toNumber(), (await at.query.compute.offences(stored.owner)).count.toNumber());
      assert.equal((await at.call.computeApi.provider(info.hotkey)).unwrap().toHex(), info.toHex());
    }
    // The same pages, and each provider, as readable JSON.
    const rpcFirst = await rpc('compute_providers', [{ netuid: state.netuid, limit: 2 }, hex]);
    const rpcRest = await rpc('compute_providers', [{ netuid: state.netuid, limit: 2, startAfter: rpcFirst[1].hotkey }, hex]);
    assert.deepEqual(canon(rpcFirst), canon(first.map(providerJson)));
    assert.deepEqual(canon(rpcRest), canon(rest.map(providerJson)));
    const one = await rpc('compute_provider', [a.hotkey.address, hex]);
    assert.deepEqual(canon(one), canon(providerJson((await at.call.computeApi.provider(a.hotkey.address)).unwrap())));
    assert.deepEqual([one.status, one.score, one.class, one.bond, one.spec.region, one.spec.computeCapability],
      ['Active', a.score, classOf(a.score), String(a.bond), 'DE', '8.0'], 'readable JSON');
    const offender = await rpc('compute_provider', [liar.hotkey.address, hex]);
    assert.deepEqual([offender.status, offender.bond, offender.offences], ['Rejected', String(liar.bond - state.slashed), 1]);
    assert.equal(await rpc('compute_provider', [state.modelOwner.address, hex]), null, 'not a provider');
    const active = [a, b].map((p) => p.hotkey.address).sort();
    assert.deepEqual(hotkeysOf(await rpc('compute_providers', [{ status: 'Active' }, hex])), active);
    assert.deepEqual(hotkeysOf(await at.call.computeApi.providers(filter({ status: 'Active' }))), active);
    assert.deepEqual(hotkeysOf(await rpc('compute_providers', [{ minClass: classOf(b.score) }, hex])), [b.hotkey.address]);
    assert.deepEqual(hotkeysOf(await rpc('compute_providers', [{ gpuModel: H100 }, hex])), [b, liar].map((p) => p.hotkey.address).sort());

    // Models: the deprecated one is listed only when asked for.
    const modelFilter = { owner: null, kind: null, includeDeprecated: true, startAfter: null, limit: 10 };
    const models = await at.call.computeApi.models(modelFilter);
    assert.deepEqual(models.map((m) => m.id.toNumber()), [state.modelId]);
    assert.equal((await at.call.computeApi.models({ ...modelFilter, includeDeprecated: false })).length, 0);
    const fields = ['owner', 'name', 'contentId', 'version', 'kind', 'metadata', 'deprecated', 'deposit', 'registeredAt', 'jobRefs'];
    const storedModel = (await at.query.compute.models(state.modelId)).unwrap();
    assert.deepEqual(fields.map((f) => models[0][f].toHex()), fields.map((f) => storedModel[f].toHex()));
    assert.deepEqual(canon(await rpc('compute_models', [{ includeDeprecated: true }, hex])), canon(models.map(modelJson)));
    assert.deepEqual(await rpc('compute_models', [{}, hex]), []);
    const model = await rpc('compute_model', [state.modelId, hex]);
    assert.deepEqual(canon(model), canon(modelJson(models[0])));
    assert.deepEqual([model.version, model.kind, model.contentId, model.deprecated], ['1.2.3', 'Llm', CID, true]);
    assert.equal(await rpc('compute_model', [state.modelId + 1, hex]), null);
  });
});
