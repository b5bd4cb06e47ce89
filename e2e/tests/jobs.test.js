// Jobs on the compute market end to end. Root shortens the attestation and job windows (runtime
// storage parameters); three providers with distinct coldkeys are attested (every attestor
// says true) and bond more than their hardware requires, so they can put up collateral. Four
// posters then post at once one job of each kind and each assignment policy:
//   - inference, Random, 3 replicas with a quorum of 2: all three providers are drawn, accept,
//     commit and reveal; one reveals another result and is slashed (collateral and bond);
//   - training, Direct: accepted, committed and revealed by one provider (quorum 1);
//   - inference, Direct, never accepted: it fails after the accept timeout, refunded in full;
//   - lease, Auction: two providers bid, the lower bid wins, the lease is billed for two periods
//     and the poster terminates it in the third, paying that period pro rata.
// The four run side by side, each driven by its own flow that waits for its events; the tests
// check the outcome of each from its blocks. Calls that must fail fail with their named error
// and change nothing. Last, `quote`, `compute_job`, `compute_jobs` and `compute_networkMetrics`
// agree with the runtime API and storage at one block, while the lease runs and at the end.

import assert from 'node:assert/strict';

import { bnToU8a, hexToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { base32Encode, blake2AsHex, blake2AsU8a, randomAsU8a, sha256AsU8a } from '@polkadot/util-crypto';

import {
  CID, blockNumber, canon, commitAttestations, countersJson, fundingCalls, hardwareSpec, holdsOf, jobCountersJson, metricsJson,
  newProviders, newValidators, optNum, parameterItems, registerNeurons, registerProviderCall, revealAttestations, sortBy, sudo, twoEpochs,
} from '../lib/compute.js';
import {
  ANY_PRICE, MDT, accountData, burnedOfFee, claimHotkeyCall, describeWithNode, freshAccount, parentOf, sendTx, sendTxOk, totalIssuance, waitForBestNumber,
} from '../lib/node.js';

const ATTESTATION_COMMIT_WINDOW = 2;
const ACCEPT_TIMEOUT = 4;
const RESULT_REVEAL_WINDOW = 6;
const PERIOD = 3; // the lease's period, and the shortest allowed
const PARAMETERS = {
  AttestationCommitWindow: ATTESTATION_COMMIT_WINDOW, AttestationRevealWindow: 3, ComputeAcceptTimeout: ACCEPT_TIMEOUT,
  ComputeResultRevealWindow: RESULT_REVEAL_WINDOW, ComputeMinLeasePeriod: PERIOD,
  // Slashes stay pending (and their collateral held) for the whole file.
  ComputeSlashDeferDuration: 1_000, ComputeUnbondingPeriod: 2_000,
};
const DRAW_DELAY = 2;
const AUCTION_WINDOW = 3;
const EXTRA_BOND = 50n * MDT; // above the required bond: what collateral is taken from
const JOB_DEPOSIT = MDT / 10n;
const VERIFICATION_FEE = MDT / 10n; // per replica
const A100 = 'NVIDIA A100 80GB';
const H100 = 'NVIDIA H100 80GB HBM3';
const MAX_PAGE = 256;

// Asked prices per unit that do not divide evenly, so every rounding shows.
const PROVIDERS = [
  { spec: hardwareSpec(A100, 2, 8, 'DE'), reports: [[1000, true], [1200, true], [1100, true]], askPrice: 1_234_567_891n },
  { spec: hardwareSpec(H100, 1, 9, 'US'), reports: [[3000, true], [2900, true], [3100, true]], askPrice: 1_111_111_111n },
  { spec: hardwareSpec(A100, 1, 8, 'FR'), reports: [[1050, true], [1000, true], [990, true]], askPrice: 1_300_000_007n },
];
const BIDS = [900_000_001n, 777_777_777n, 1_200_000_000n]; // the lease's bids; the third is above its maximum
const JOBS = ['random', 'training', 'direct', 'lease'];

/** A CIDv1 (raw, sha2-256) of `text`, in base32. */
const cidOf = (text) => base32Encode(u8aConcat(Uint8Array.of(0x01, 0x55, 0x12, 0x20), sha256AsU8a(stringToU8a(text))), true);
/** The pallet's rounding: collateral is 20% of the value rounded up, the protocol fee 5% rounded down. */
const collateralOf = (price, units) => (price * BigInt(units) + 4n) / 5n;
const feeOf = (amount) => amount / 20n;
const net = (amount) => amount - feeOf(amount);
/** Of a settled job's fee, the part burned (and scored): the fee times the provider's reputation
 * right after that success, rounded down; the treasury gets the rest. */
const burnedOf = (fee, reputation) => (fee * reputation) / 1_000_000_000n;
/** The reputation `hotkey` reached with its last success among `events`. */
const successReputation = (events, hotkey) => events
  .filter((e) => e.section === 'compute' && e.method === 'ReputationUpdated' && e.data.outcome.type === 'Success' && e.data.provider.toString() === hotkey)
  .map((e) => e.data.reputation.toBigInt()).at(-1);
/** What the treasury earned in a block: a fifth of each transaction fee, and the unburned part of each protocol fee. */
const treasuryIncome = (records) =>
  eventsOf(records, 'transactionPayment', 'TransactionFeePaid').reduce((sum, e) => sum + e.data.actualFee.toBigInt() - burnedOfFee(e.data.actualFee.toBigInt()), 0n) +
  eventsOf(records, 'compute', 'ProviderPaid').reduce((sum, e) => sum + e.data.fee.toBigInt() - e.data.burned.toBigInt(), 0n);
const unitsOf = (spec) => Object.values(Object.values(spec.kind)[0])[0];

/** blake2_256 of SCALE (job id u64, provider, result hash, salt), as `commit_result` expects. */
const resultCommitment = (job, provider, resultHash, salt) =>
  u8aToHex(blake2AsU8a(u8aConcat(bnToU8a(job, { bitLength: 64, isLe: true }), provider.publicKey, hexToU8a(resultHash), salt), 256));

const jobEvent = (method, id) => (e) => e.section === 'compute' && e.method === method && e.data.job.toNumber() === id;
const eventsOf = (records, section, method) => records.filter(({ event }) => event.section === section && event.method === method)
  .map(({ event }) => event);
const fromEvents = (result, method) => eventsOf(result.events, 'compute', method);

/** The signer's free balance change in block `hash`. */
async function freeDelta(api, who, hash) {
  const parent = await parentOf(api, hash);
  return (await accountData(api, who, hash)).free - (await accountData(api, who, parent)).free;
}

/** What `who` paid in transaction fees (and tips) in block `hash`. */
async function feesIn(api, who, hash) {
  const records = await (await api.at(hash)).query.system.events();
  return eventsOf(records, 'transactionPayment', 'TransactionFeePaid')
    .filter((e) => e.data.who.toString() === who)
    .reduce((sum, e) => sum + e.data.actualFee.toBigInt() + e.data.tip.toBigInt(), 0n);
}

/**
 * A call that must fail: it failed with `name`, the job's record is as in the parent block, and
 * the signer (a hotkey: no holds, no payouts) lost only its fees.
 */
async function assertFailedChangingNothing(api, result, name, id, signer) {
  assert.equal(result.error?.name, `Compute.${name}`);
  const parent = await parentOf(api, result.blockHash);
  const [before, after] = await Promise.all([parent, result.blockHash].map((h) => api.at(h)));
  assert.equal((await after.query.compute.jobs(id)).toHex(), (await before.query.compute.jobs(id)).toHex(), `job ${id} unchanged`);
  assert.equal(await freeDelta(api, signer.address, result.blockHash), -(await feesIn(api, signer.address, result.blockHash)));
}

/**
 * Follows the best chain block by block from now on, keeping each block's events, so the flows
 * of the jobs can wait for what the chain does on its own (draws, timeouts, bills).
 */
function followBlocks(api) {
  const blocks = [];
  let waiters = [];
  let failure = null;
  let last = null;
  let queue = Promise.resolve();
  const unsubscribe = api.rpc.chain.subscribeNewHeads((header) => {
    const head = header.number.toNumber();
    queue = queue.then(async () => {
      for (let n = last === null ? head : last + 1; n <= head; n++) {
        const hash = await api.rpc.chain.getBlockHash(n);
        const events = (await (await api.at(hash)).query.system.events()).map(({ event }) => event);
        blocks.push({ number: n, hash, events });
        last = n;
      }
      waiters = waiters.filter((w) => !w.check());
    }).catch((e) => {
      failure = e;
      for (const w of waiters) w.fail(e);
      waiters = [];
    });
  });
  return {
    /** Resolves with `{ number, hash, event }` of the `nth` event (from 1) matching `match`. */
    find(match, what, { nth = 1, timeoutMs = 90_000 } = {}) {
      return new Promise((resolve, reject) => {
        const waiter = {
          check() {
            let seen = 0;
            for (const block of blocks) {
              for (const event of block.events) {
                if (match(event) && ++seen === nth) {
                  clearTimeout(timer);
                  resolve({ number: block.number, hash: block.hash, event });
                  return true;
                }
              }
            }
            return false;
          },
          fail(e) {
            clearTimeout(timer);
            reject(e);
          },
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        if (failure) waiter.fail(failure);
        else if (!waiter.check()) waiters.push(waiter);
      });
    },
    async stop() {
      (await unsubscribe)();
    },
  };
}

/**
 * `sendTx` with nonces handed out per signer, so one account can have several calls in flight
 * (a hotkey serves more than one job at a time) and they land in the order they were sent.
 */
function nonceSender(api) {
  const next = new Map();
  return (tx, signer) => {
    const nonce = next.get(signer.address) ?? api.rpc.system.accountNextIndex(signer.address).then((n) => n.toNumber());
    next.set(signer.address, nonce.then((n) => n + 1));
    return nonce.then((n) => sendTx(api, tx, signer, { nonce: n }));
  };
}

// What the compute_* RPC methods answer for jobs, built from the runtime API's SCALE records.
const resultJson = (result) => (result.isSome
  ? { resultHash: result.unwrap()[0].toHex(), output: result.unwrap()[1].toUtf8() } : {});
function specJson(s) {
  const kind = s.kind.isInference ? { inference: { units: s.kind.asInference.units.toNumber() } }
    : s.kind.isTraining ? { training: { steps: s.kind.asTraining.steps.toNumber(), checkpointEvery: s.kind.asTraining.checkpointEvery.toNumber() } }
      : { lease: { periods: s.kind.asLease.periods.toNumber(), periodBlocks: s.kind.asLease.periodBlocks.toNumber() } };
  const assignment = s.assignment.isRandom ? 'random'
    : s.assignment.isDirect ? { direct: s.assignment.asDirect.toString() } : { auction: { window: s.assignment.asAuction.window.toNumber() } };
  return {
    kind,
    workload: s.workload.isModel ? { model: s.workload.asModel.toNumber() } : { content: s.workload.asContent.toUtf8() },
    input: s.input.toUtf8(),
    gpu: s.gpu.isModel ? { model: s.gpu.asModel.toUtf8() } : { minClass: s.gpu.asMinClass.toNumber() },
    gpuCount: s.gpuCount.toNumber(),
    minReputation: s.minReputation.toNumber() / 1e9,
    maxUnitPrice: s.maxUnitPrice.toString(),
    deadline: s.deadline.toNumber(),
    assignment,
    replicas: s.replicas.toNumber(),
    quorum: s.quorum.toNumber(),
    spotCheck: s.spotCheck.toNumber() / 1e9,
    challengeWindow: s.challengeWindow.toNumber(),
  };
}
const jobJson = (j) => ({
  id: j.id.toNumber(), poster: j.poster.toString(), spec: specJson(j.spec), status: j.status.type, postedAt: j.postedAt.toNumber(),
  escrow: j.escrow.toBigInt(), paid: j.paid.toBigInt(), burned: j.burned.toBigInt(),
  replicas: j.replicas.map((r) => ({
    provider: r.provider.toString(), payout: r.payout.toString(), unitPrice: r.unitPrice.toBigInt(), collateral: r.collateral.toBigInt(),
    accepted: r.accepted.isTrue, committed: r.committed.isTrue, ...resultJson(r.result),
  })),
  bids: j.bids.map(([provider, price]) => ({ provider: provider.toString(), unitPrice: price.toBigInt() })),
  nextStepAt: optNum(j.nextStepAt), ...resultJson(j.result), periodsBilled: j.periodsBilled.toNumber(), finishedAt: optNum(j.finishedAt),
});
const quoteJson = (q) => ({ payment: q.payment.toBigInt(), verificationFee: q.verificationFee.toBigInt(), deposit: q.deposit.toBigInt(),
  total: q.total.toBigInt() });
const jobFilter = (f) => ({ poster: null, provider: null, status: null, startAfter: null, limit: MAX_PAGE, ...f });
const idsOf = (list) => list.map((j) => Number(j.id.toString())).sort((a, b) => a - b);

describeWithNode('jobs', (_ctx, test) => {
  const state = {};

  test('three providers with distinct coldkeys are attested and bond extra; root shortens the job windows', async ({ api, alice, keyring, rpc }) => {
    state.validators = newValidators(keyring, ['//Bob', '//Charlie', '//Dave']);
    state.providers = newProviders(keyring, PROVIDERS);
    state.posters = Object.fromEntries(JOBS.map((name) => [name, freshAccount(keyring)]));
    const ownerHotkey = freshAccount(keyring);
    const created = await sendTxOk(api, api.tx.utility.batchAll([
      claimHotkeyCall(api, ownerHotkey, alice),
      api.tx.subnets.registerNetwork(ownerHotkey.address, ANY_PRICE),
      ...fundingCalls(api, state.validators, state.providers),
      ...Object.values(state.posters).map((poster) => api.tx.balances.transferKeepAlive(poster.address, 100n * MDT)),
    ]), alice);
    state.netuid = created.findEvent('subnets', 'NetworkRegistered').data.netuid.toNumber();

    // One block: root sets the windows and marks the subnet, the neurons register, the training
    // job's poster registers the model it will run.
    const items = parameterItems(PARAMETERS);
    const model = ['resnet-50', CID, { major: 1, minor: 0, patch: 0 }, 'Vision', 'license=apache-2.0'];
    const [marked, , registeredModel] = await Promise.all([
      sudo(api, alice, api.tx.utility.batchAll([api.tx.system.setStorage(items), api.tx.compute.setComputeSubnet(state.netuid, true)])),
      registerNeurons(api, state.netuid, state.validators, state.providers),
      sendTxOk(api, api.tx.compute.registerModel(...model), state.posters.training),
    ]);
    assert.equal(marked.outcome, 'Ok');
    for (const [key, value] of items) assert.equal(await rpc('state_getStorage', [key]), value);
    state.modelId = registeredModel.findEvent('compute', 'ModelRegistered').data.id.toNumber();

    // The next: an epoch gives the validators permits while the providers register and bond more.
    const [epoch, ...registered] = await Promise.all([
      sudo(api, alice, twoEpochs(api, state.netuid)),
      ...state.providers.map((p) => sendTxOk(api, api.tx.utility.batchAll([
        registerProviderCall(api, state.netuid, p), api.tx.compute.bondMore(p.hotkey.address, EXTRA_BOND),
      ]), p.coldkey)),
    ]);
    assert.equal(epoch.outcome, 'Ok');
    for (const [i, p] of state.providers.entries()) {
      assert.deepEqual(fromEvents(registered[i], 'Bonded').map((e) => e.data.amount.toBigInt()), [EXTRA_BOND]);
    }
    // Attestors are drawn in drawAt's on_initialize: commits sent once drawAt - 1 is in land in
    // drawAt, reveals sent at the window's last block land on its end.
    const drawAt = Math.max(...registered.map((r) => fromEvents(r, 'AttestationRequested')[0].data.drawAt.toNumber()));
    await waitForBestNumber(api, drawAt - 1);
    const salts = await commitAttestations(api, state.validators, state.providers);
    await waitForBestNumber(api, drawAt + ATTESTATION_COMMIT_WINDOW - 1);
    const revealed = await revealAttestations(api, state.validators, state.providers, salts);
    const attested = revealed.flatMap((r) => fromEvents(r, 'ProviderAttested').map((e) => e.data.provider.toString()));
    assert.deepEqual(attested.sort(), state.providers.map((p) => p.hotkey.address).sort());

    const numbers = await Promise.all(revealed.map((r) => blockNumber(api, r.blockHash)));
    const last = revealed[numbers.indexOf(Math.max(...numbers))].blockHash;
    const at = await api.at(last);
    for (const p of state.providers) {
      p.bond0 = p.bond + EXTRA_BOND;
      const stored = (await at.query.compute.providers(p.hotkey.address)).unwrap();
      assert.deepEqual([stored.status.type, stored.bond.toBigInt(), stored.askPrice.toBigInt(), stored.payout.toString(), stored.activeJobs.toNumber()],
        ['Active', p.bond0, p.askPrice, p.coldkey.address, 0]);
      assert.deepEqual(await holdsOf(api, p.coldkey.address, last), { 'Compute.ProviderBond': p.bond0 });
    }
    assert.equal(new Set(state.providers.map((p) => p.coldkey.address)).size, 3, 'distinct coldkeys');
    assert.equal((await at.query.compute.counters()).providersActive.toNumber(), 3);
  });

  test('four jobs, one of each kind and of each assignment policy, are posted: each holds exactly its quote', async ({ api, rpc }) => {
    const [a, b, c] = state.providers;
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const common = { input: CID, gpuCount: 1, minReputation: 0, deadline: best + 40, replicas: 1, quorum: 1 };
    const specs = {
      random: { ...common, kind: { Inference: { units: 7 } }, workload: { Content: cidOf('llm weights') }, gpu: { MinClass: 1 },
        minReputation: 500_000_000, maxUnitPrice: 2n * MDT, assignment: 'Random', replicas: 3, quorum: 2 },
      training: { ...common, kind: { Training: { steps: 6, checkpointEvery: 2 } }, workload: { Model: state.modelId }, gpu: { Model: A100 },
        gpuCount: 2, maxUnitPrice: 1_500_000_000n, assignment: { Direct: a.hotkey.address } },
      direct: { ...common, kind: { Inference: { units: 3 } }, workload: { Content: cidOf('a script') }, gpu: { MinClass: 1 },
        maxUnitPrice: 2n * MDT, assignment: { Direct: c.hotkey.address } },
      lease: { ...common, kind: { Lease: { periods: 3, periodBlocks: PERIOD } }, workload: { Content: cidOf('an image') }, gpu: { MinClass: 1 },
        maxUnitPrice: MDT, assignment: { Auction: { window: AUCTION_WINDOW } } },
    };
    const specType = api.tx.compute.postJob.meta.args[0].type.toString();
    const firstId = (await api.query.compute.nextJobId()).toNumber();
    state.follow = followBlocks(api);
    state.send = nonceSender(api);
    const posted = await Promise.all(JOBS.map((name) => state.send(api.tx.compute.postJob(specs[name]), state.posters[name])));
    state.jobs = {};
    for (const [i, name] of JOBS.entries()) {
      const result = posted[i];
      assert.ok(result.ok, `${name}: ${result.error?.name}`);
      const spec = api.createType(specType, specs[name]);
      const event = fromEvents(result, 'JobPosted')[0].data;
      const id = event.job.toNumber();
      const block = await blockNumber(api, result.blockHash);
      const parent = await parentOf(api, result.blockHash);
      // The quote, from the runtime API and JSON-RPC at the parent block, is exactly what was held.
      const quote = quoteJson(await (await api.at(parent)).call.computeApi.quote(spec));
      const replicas = BigInt(specs[name].replicas);
      const payment = specs[name].maxUnitPrice * BigInt(unitsOf(specs[name])) * replicas;
      assert.deepEqual(quote, { payment, verificationFee: VERIFICATION_FEE * replicas, deposit: JOB_DEPOSIT,
        total: payment + VERIFICATION_FEE * replicas + JOB_DEPOSIT });
      assert.deepEqual(await rpc('compute_quote', [specJson(spec), parent.toHex()]), canon(quote));
      assert.deepEqual([event.poster.toString(), event.escrow.toBigInt()], [state.posters[name].address, quote.total]);
      const model = name === 'training' ? { 'Compute.ModelDeposit': (await holdsOf(api, state.posters[name].address, parent))['Compute.ModelDeposit'] } : {};
      assert.deepEqual(await holdsOf(api, state.posters[name].address, result.blockHash), { ...model, 'Compute.JobEscrow': quote.total });
      const fee = await feesIn(api, state.posters[name].address, result.blockHash);
      assert.equal(await freeDelta(api, state.posters[name].address, result.blockHash), -(quote.total + fee));
      const stored = (await (await api.at(result.blockHash)).query.compute.jobs(id)).unwrap();
      assert.equal(stored.spec.toHex(), spec.toHex(), 'the spec as posted');
      assert.deepEqual([stored.postedAt.toNumber(), stored.escrow.toBigInt(), stored.reserved.toBigInt()],
        [block, quote.total, VERIFICATION_FEE * replicas + JOB_DEPOSIT]);
      state.jobs[name] = { id, spec: specs[name], result, block, quote };
    }
    assert.deepEqual(JOBS.map((name) => state.jobs[name].id).sort(), [0, 1, 2, 3].map((i) => firstId + i));

    // A direct job is assigned at once at the provider's asked price; the others wait for their draw or auction.
    for (const [name, p] of [['training', a], ['direct', c]]) {
      const { result, block, id } = state.jobs[name];
      const assigned = fromEvents(result, 'JobAssigned')[0].data;
      assert.deepEqual(assigned.providers.map(([h, price]) => [h.toString(), price.toBigInt()]), [[p.hotkey.address, p.askPrice]]);
      assert.equal(assigned.acceptBy.toNumber(), block + ACCEPT_TIMEOUT);
      const info = (await (await api.at(result.blockHash)).call.computeApi.job(id)).unwrap();
      assert.deepEqual([info.status.type, optNum(info.nextStepAt)], ['Assigned', block + ACCEPT_TIMEOUT]);
    }
    for (const [name, delay] of [['random', DRAW_DELAY], ['lease', AUCTION_WINDOW]]) {
      const { result, block, id } = state.jobs[name];
      assert.equal(fromEvents(result, 'JobAssigned').length, 0);
      const info = (await (await api.at(result.blockHash)).call.computeApi.job(id)).unwrap();
      assert.deepEqual([info.status.type, optNum(info.nextStepAt), info.replicas.length], ['Open', block + delay, 0]);
    }
    const model = (await (await api.at(state.jobs.training.result.blockHash)).query.compute.models(state.modelId)).unwrap();
    assert.equal(model.jobRefs.toNumber(), 1, 'the training job refers to the model');

    // From here on each job runs on its own; the tests below wait for their outcomes in turn.
    const { follow, send } = state;
    const flows = { training: trainingFlow(api, send), random: randomFlow(api, follow, send),
      direct: follow.find(jobEvent('JobFinished', state.jobs.direct.id), 'the direct job to finish'), lease: leaseFlow(api, follow, send) };
    for (const flow of Object.values(flows)) flow.catch(() => {}); // each is awaited by its test
    state.flows = flows;
  });

  /** Direct training: accept, commit, two failing reveals, the right one. */
  async function trainingFlow(api, send) {
    const { id } = state.jobs.training;
    const [a, , c] = state.providers;
    const work = { resultHash: blake2AsHex('checkpoint 6'), output: cidOf('trained weights'), salt: randomAsU8a(32) };
    const accepted = await send(api.tx.compute.acceptAssignment(id), a.hotkey);
    const committed = await send(api.tx.compute.commitResult(id, resultCommitment(id, a.hotkey, work.resultHash, work.salt)), a.hotkey);
    const [mismatch, stranger] = await Promise.all([
      send(api.tx.compute.revealResult(id, work.resultHash, work.output, randomAsU8a(32)), a.hotkey),
      send(api.tx.compute.revealResult(id, work.resultHash, work.output, work.salt), c.hotkey),
    ]);
    const revealed = await send(api.tx.compute.revealResult(id, work.resultHash, work.output, work.salt), a.hotkey);
    return { work, accepted, committed, mismatch, stranger, revealed };
  }

  /** Random inference, 2 of 3: the draw, three accepts, commits (one twice), reveals (one different). */
  async function randomFlow(api, follow, send) {
    const { id } = state.jobs.random;
    const [a, b, c] = state.providers;
    const honest = { resultHash: blake2AsHex('tokens'), output: cidOf('inference output') };
    const forged = { resultHash: blake2AsHex('other tokens'), output: cidOf('forged output') };
    const work = state.providers.map((p, i) => ({ ...(i === 2 ? forged : honest), salt: randomAsU8a(32) }));
    const commit = (i, w = work[i]) => api.tx.compute.commitResult(id, resultCommitment(id, state.providers[i].hotkey, w.resultHash, w.salt));
    const assigned = await follow.find(jobEvent('JobAssigned', id), 'the random job\'s draw');
    const accepted = await Promise.all(state.providers.map((p) => send(api.tx.compute.acceptAssignment(id), p.hotkey)));
    const committed = await Promise.all([a, b].map((p, i) => send(commit(i), p.hotkey)));
    const again = await send(commit(0, { ...forged, salt: randomAsU8a(32) }), a.hotkey);
    const lastCommit = await send(commit(2), c.hotkey);
    const revealed = await Promise.all(state.providers.map((p, i) =>
      send(api.tx.compute.revealResult(id, work[i].resultHash, work[i].output, work[i].salt), p.hotkey)));
    const settled = await follow.find(jobEvent('JobSettled', id), 'the random job to settle');
    return { honest, forged, assigned, accepted, committed, again, lastCommit, revealed, settled };
  }

  /** Auction lease: three bids (one above the maximum), the winner accepts, two bills, the poster terminates. */
  async function leaseFlow(api, follow, send) {
    const { id } = state.jobs.lease;
    const b = state.providers[1];
    const bids = await Promise.all(state.providers.map((p, i) => send(api.tx.compute.placeBid(id, BIDS[i]), p.hotkey)));
    const assigned = await follow.find(jobEvent('JobAssigned', id), 'the auction to close');
    const accepted = await send(api.tx.compute.acceptAssignment(id), b.hotkey);
    const noResults = await send(api.tx.compute.commitResult(id, blake2AsHex('nothing')), b.hotkey);
    const billed = [];
    for (const nth of [1, 2]) billed.push(await follow.find(jobEvent('LeaseBilled', id), `the lease's bill ${nth}`, { nth }));
    const terminated = await send(api.tx.compute.terminateLease(id), state.posters.lease);
    return { bids, assigned, accepted, noResults, billed, terminated };
  }

  test('direct training: accepted with collateral from the bond, a wrong salt fails with RevealMismatch and a stranger with NotJobProvider; settled alone, paid price x steps less the 5% fee, its reputation\'s share burned and the rest to the treasury', async ({ api }) => {
    const { id, quote } = state.jobs.training;
    const { work, accepted, committed, mismatch, stranger, revealed } = await state.flows.training;
    const [a, , c] = state.providers;
    const steps = 6;
    const collateral = collateralOf(a.askPrice, steps);

    assert.ok(accepted.ok, accepted.error?.name);
    assert.deepEqual(fromEvents(accepted, 'AssignmentAccepted').map((e) => [e.data.provider.toString(), e.data.collateral.toBigInt()]),
      [[a.hotkey.address, collateral]]);
    assert.equal(fromEvents(accepted, 'JobStarted').length, 1, 'one replica: it runs at once');
    const held = await holdsOf(api, a.coldkey.address, accepted.blockHash);
    const before = await holdsOf(api, a.coldkey.address, await parentOf(api, accepted.blockHash));
    assert.deepEqual([held['Compute.ProviderBond'], held['Compute.JobCollateral']],
      [before['Compute.ProviderBond'] - collateral, (before['Compute.JobCollateral'] ?? 0n) + collateral], 'the collateral moves from the bond');

    assert.ok(committed.ok, committed.error?.name);
    const started = fromEvents(committed, 'RevealStarted')[0].data;
    assert.equal(started.revealEnd.toNumber(), (await blockNumber(api, committed.blockHash)) + RESULT_REVEAL_WINDOW, 'all committed: reveals open');
    await assertFailedChangingNothing(api, mismatch, 'RevealMismatch', id, a.hotkey);
    await assertFailedChangingNothing(api, stranger, 'NotJobProvider', id, c.hotkey);

    assert.ok(revealed.ok, revealed.error?.name);
    const price = a.askPrice * BigInt(steps);
    const [paid] = fromEvents(revealed, 'ProviderPaid');
    assert.deepEqual([paid.data.provider.toString(), paid.data.amount.toBigInt(), paid.data.fee.toBigInt()], [a.hotkey.address, price, feeOf(price)]);
    const burned = burnedOf(feeOf(price), successReputation(fromEvents(revealed, 'ReputationUpdated'), a.hotkey.address));
    assert.ok(burned > 0n && burned < feeOf(price), `burned ${burned} of the fee ${feeOf(price)}`);
    assert.equal(paid.data.burned.toBigInt(), burned);
    const records = await (await api.at(revealed.blockHash)).query.system.events();
    const treasury = api.consts.treasury.potAccount.toString();
    if (eventsOf(records, 'compute', 'SlashApplied').length === 0) {
      assert.equal(await freeDelta(api, treasury, revealed.blockHash), treasuryIncome(records), 'the treasury gets the fee\'s unburned part');
    }
    const settled = fromEvents(revealed, 'JobSettled')[0].data;
    assert.deepEqual([settled.resultHash.toHex(), settled.output.toUtf8()], [work.resultHash, work.output]);
    const finished = fromEvents(revealed, 'JobFinished')[0].data;
    assert.deepEqual([finished.status.type, finished.refunded.toBigInt()], ['Settled', quote.total - price]);
    assert.equal(fromEvents(revealed, 'SlashScheduled').length, 0);
    // The poster gets the rest back; the provider's payout gets the price less the fee.
    const poster = state.posters.training.address;
    assert.equal(await freeDelta(api, poster, revealed.blockHash), quote.total - price);
    assert.equal((await holdsOf(api, poster, revealed.blockHash))['Compute.JobEscrow'], undefined);
    assert.equal(await freeDelta(api, a.coldkey.address, revealed.blockHash), net(price));
    const at = await api.at(revealed.blockHash);
    const info = (await at.call.computeApi.job(id)).unwrap();
    assert.deepEqual([info.status.type, info.escrow.toBigInt(), info.paid.toBigInt(), info.burned.toBigInt(), info.result.unwrap()[0].toHex()],
      ['Settled', 0n, price, burned, work.resultHash]);
    assert.deepEqual(info.replicas.map((r) => [r.accepted.isTrue, r.committed.isTrue, r.collateral.toBigInt(), r.result.unwrap()[1].toUtf8()]),
      [[true, true, 0n, work.output]], 'the collateral went back to the bond');
    assert.equal((await at.query.compute.models(state.modelId)).unwrap().jobRefs.toNumber(), 0, 'the model is free again');
  });

  test('a direct job its provider never accepts fails after the accept timeout, refunded in full', async ({ api }) => {
    const { id, quote, result, block } = state.jobs.direct;
    const finished = await state.flows.direct;
    const c = state.providers[2];
    assert.equal(finished.number, block + ACCEPT_TIMEOUT, 'at accept_by');
    assert.deepEqual([finished.event.data.status.type, finished.event.data.refunded.toBigInt()], ['Failed', quote.total]);
    const poster = state.posters.direct.address;
    const before = await accountData(api, poster, await parentOf(api, result.blockHash));
    const after = await accountData(api, poster, finished.hash);
    assert.equal(after.free, before.free - (await feesIn(api, poster, result.blockHash)), 'back exactly, less the fee of posting');
    assert.deepEqual(await holdsOf(api, poster, finished.hash), {});
    const info = (await (await api.at(finished.hash)).call.computeApi.job(id)).unwrap();
    assert.deepEqual([info.status.type, info.escrow.toBigInt(), info.paid.toBigInt(), optNum(info.finishedAt)], ['Failed', 0n, 0n, finished.number]);
    assert.deepEqual(info.replicas.map((r) => [r.provider.toString(), r.accepted.isTrue, r.collateral.toBigInt()]), [[c.hotkey.address, false, 0n]]);
  });

  test('random inference, 2 of 3: the odd replica is slashed for a wrong result (its collateral held until then), the two agreeing are paid less 5%', async ({ api }, t) => {
    const { id, quote, block } = state.jobs.random;
    const { honest, forged, assigned, accepted, committed, again, lastCommit, revealed, settled } = await state.flows.random;
    const [a, b, c] = state.providers;
    const units = 7;
    assert.equal(assigned.number, block + DRAW_DELAY);
    assert.deepEqual(assigned.event.data.providers.map(([h, price]) => [h.toString(), price.toBigInt()]).sort(),
      state.providers.map((p) => [p.hotkey.address, p.askPrice]).sort(), 'all three drawn, at their asked prices');
    assert.equal(assigned.event.data.acceptBy.toNumber(), assigned.number + ACCEPT_TIMEOUT);
    for (const [i, p] of state.providers.entries()) {
      assert.ok(accepted[i].ok, accepted[i].error?.name);
      assert.equal(fromEvents(accepted[i], 'AssignmentAccepted')[0].data.collateral.toBigInt(), collateralOf(p.askPrice, units));
    }
    assert.equal(accepted.flatMap((r) => fromEvents(r, 'JobStarted')).length, 1, 'it runs once all three accepted');
    for (const r of committed) assert.ok(r.ok, r.error?.name);
    await assertFailedChangingNothing(api, again, 'AlreadyCommitted', id, a.hotkey);
    assert.ok(lastCommit.ok, lastCommit.error?.name);
    assert.equal(fromEvents(lastCommit, 'RevealStarted').length, 1, 'the last commit opens the reveals');
    for (const r of revealed) assert.ok(r.ok, r.error?.name);

    // The settlement, in the block of the last reveal.
    const hash = settled.hash;
    const parent = await parentOf(api, hash);
    const records = await (await api.at(hash)).query.system.events();
    const ofJob = (method) => eventsOf(records, 'compute', method).filter((e) => e.data.job.toNumber() === id);
    assert.deepEqual([settled.event.data.resultHash.toHex(), settled.event.data.output.toUtf8()], [honest.resultHash, honest.output]);
    const price = (p) => p.askPrice * BigInt(units);
    const reputationOf = (p) => successReputation(records.map(({ event }) => event), p.hotkey.address);
    assert.deepEqual(ofJob('ProviderPaid').map((e) => [e.data.provider.toString(), e.data.amount.toBigInt(), e.data.fee.toBigInt(), e.data.burned.toBigInt()]).sort(),
      [a, b].map((p) => [p.hotkey.address, price(p), feeOf(price(p)), burnedOf(feeOf(price(p)), reputationOf(p))]).sort(),
      'the agreeing two are paid, the fee burned by their reputation');
    // The odd one is slashed after the defer period: its collateral and 5% of its bond times
    // one more than its owner's recent offences (the never-accepted direct job may be one).
    const collateral = collateralOf(c.askPrice, units);
    const prior = (await (await api.at(parent)).query.compute.offences(c.coldkey.address)).count.toBigInt();
    const slashes = eventsOf(records, 'compute', 'SlashScheduled').filter((e) => e.data.provider.toString() === c.hotkey.address);
    assert.deepEqual(slashes.map((e) => [e.data.reason.type, e.data.amount.toBigInt(), e.data.collateral.toBigInt()]),
      [['WrongResult', ((c.bond0 - collateral) * 5n * (prior + 1n)) / 100n, collateral]]);
    const paid = price(a) + price(b);
    const [finished] = ofJob('JobFinished');
    assert.deepEqual([finished.data.status.type, finished.data.refunded.toBigInt()], ['Settled', quote.total - paid]);

    // The poster: the rest of its escrow; nothing held any more.
    const poster = state.posters.random.address;
    assert.equal(await freeDelta(api, poster, hash), quote.total - paid);
    assert.deepEqual(await holdsOf(api, poster, hash), {});
    // The odd provider's bond dropped by its collateral; the agreeing ones got theirs back.
    const stored = (p) => api.at(hash).then((at) => at.query.compute.providers(p.hotkey.address)).then((o) => o.unwrap());
    assert.equal((await stored(c)).bond.toBigInt(), c.bond0 - collateral);
    assert.deepEqual(await holdsOf(api, c.coldkey.address, hash), { 'Compute.ProviderBond': c.bond0 - collateral, 'Compute.JobCollateral': collateral },
      'its collateral stays held for the slash');
    assert.equal((await holdsOf(api, c.coldkey.address, parent))['Compute.JobCollateral'], collateral);
    for (const p of [a, b]) {
      // Its payout gets what the block paid it, jobs together (a lease bill may fall in the same block).
      const nets = eventsOf(records, 'compute', 'ProviderPaid').filter((e) => e.data.provider.toString() === p.hotkey.address)
        .reduce((sum, e) => sum + e.data.amount.toBigInt() - e.data.fee.toBigInt(), 0n);
      assert.ok(nets >= net(price(p)));
      assert.equal(await freeDelta(api, p.coldkey.address, hash), nets, 'its payout is paid');
      const before = await holdsOf(api, p.coldkey.address, parent);
      const after = await holdsOf(api, p.coldkey.address, hash);
      assert.equal(after['Compute.ProviderBond'] - before['Compute.ProviderBond'], collateralOf(p.askPrice, units), 'collateral back in the bond');
    }
    // Issuance drops by what the block burned: transaction fees and protocol fees, less the
    // treasury's parts.
    const txFees = eventsOf(records, 'transactionPayment', 'TransactionFeePaid').reduce((sum, e) => sum + burnedOfFee(e.data.actualFee.toBigInt()), 0n);
    const protocolFees = eventsOf(records, 'compute', 'ProviderPaid').reduce((sum, e) => sum + e.data.burned.toBigInt(), 0n);
    const minting = records.filter(({ event }) => event.section === 'emission' || (event.section === 'balances' && ['Minted', 'Issued'].includes(event.method)));
    const delta = (await totalIssuance(api, hash)) - (await totalIssuance(api, parent));
    if (minting.length === 0) assert.equal(delta, -(txFees + protocolFees));
    else t.diagnostic(`issuance check skipped: ${minting.length} minting events in block ${settled.number}`);

    const info = (await (await api.at(hash)).call.computeApi.job(id)).unwrap();
    assert.deepEqual([info.status.type, info.escrow.toBigInt(), info.paid.toBigInt(), info.burned.toBigInt()],
      ['Settled', 0n, paid, ofJob('ProviderPaid').reduce((sum, e) => sum + e.data.burned.toBigInt(), 0n)]);
    assert.deepEqual(info.replicas.map((r) => [r.provider.toString(), r.collateral.toBigInt(), r.result.unwrap()[0].toHex()]).sort(),
      [[a.hotkey.address, 0n, honest.resultHash], [b.hotkey.address, 0n, honest.resultHash], [c.hotkey.address, 0n, forged.resultHash]].sort());
  });

  test('auction lease: the lower bid wins, a bid above the maximum fails with PriceAboveMax; billed twice, then terminated by the poster pro rata', async ({ api }) => {
    const { id, quote, block } = state.jobs.lease;
    const { bids, assigned, accepted, noResults, billed, terminated } = await state.flows.lease;
    const [a, b, c] = state.providers;
    const price = BIDS[1];

    for (const r of bids.slice(0, 2)) assert.ok(r.ok, r.error?.name);
    await assertFailedChangingNothing(api, bids[2], 'PriceAboveMax', id, c.hotkey);
    // The three bids were sent together: only the two valid ones are stored.
    const bidsAt = (await (await api.at(bids[2].blockHash)).query.compute.bids(id)).unwrap();
    assert.deepEqual(bidsAt.map((bid) => [bid.provider.toString(), bid.unitPrice.toBigInt()]).sort(),
      [[a.hotkey.address, BIDS[0]], [b.hotkey.address, BIDS[1]]].sort());
    assert.equal(assigned.number, block + AUCTION_WINDOW);
    assert.deepEqual(assigned.event.data.providers.map(([h, p]) => [h.toString(), p.toBigInt()]), [[b.hotkey.address, price]], 'the lower bid, at its price');

    assert.ok(accepted.ok, accepted.error?.name);
    const collateral = collateralOf(price, 3);
    assert.equal(fromEvents(accepted, 'AssignmentAccepted')[0].data.collateral.toBigInt(), collateral);
    assert.equal(fromEvents(accepted, 'JobStarted').length, 1);
    const start = await blockNumber(api, accepted.blockHash);
    const running = await api.at(accepted.blockHash);
    assert.equal((await running.query.compute.leasedGpus(b.hotkey.address)).unwrap().toNumber(), 1);
    assert.equal((await running.query.compute.counters()).gpusLeased.toNumber(), 1);
    await assertFailedChangingNothing(api, noResults, 'LeaseHasNoResults', id, b.hotkey);

    // Billed at the first block of each next period: the price, its fee all the treasury's (a
    // lease scores nothing, so nothing of it is burned).
    assert.deepEqual(billed.map((bill) => bill.number), [start + PERIOD, start + 2 * PERIOD]);
    for (const bill of billed) {
      assert.deepEqual([bill.event.data.periods.toNumber(), bill.event.data.amount.toBigInt()], [1, price]);
      const paid = eventsOf((await (await api.at(bill.hash)).query.system.events()), 'compute', 'ProviderPaid')
        .filter((e) => e.data.job.toNumber() === id);
      assert.deepEqual(paid.map((e) => [e.data.provider.toString(), e.data.amount.toBigInt(), e.data.fee.toBigInt(), e.data.burned.toBigInt()]),
        [[b.hotkey.address, price, feeOf(price), 0n]]);
    }

    // Terminated by the poster in the third period: it pays the blocks used of it, floor(price x used / period).
    assert.ok(terminated.ok, terminated.error?.name);
    const end = await blockNumber(api, terminated.blockHash);
    assert.ok(end < start + 3 * PERIOD, `terminated in the third period (block ${end})`);
    const used = BigInt(end - (start + 2 * PERIOD));
    assert.ok(used > 0n, 'sent once the second bill is in, it lands in a later block');
    const proRata = (price * used) / BigInt(PERIOD);
    assert.equal(fromEvents(terminated, 'LeaseBilled').length, 0, 'nothing was owed');
    assert.deepEqual(fromEvents(terminated, 'ProviderPaid').map((e) => [e.data.provider.toString(), e.data.amount.toBigInt(), e.data.fee.toBigInt(), e.data.burned.toBigInt()]),
      [[b.hotkey.address, proRata, feeOf(proRata), 0n]]);
    assert.equal(fromEvents(terminated, 'SlashScheduled').length, 0, 'the poster ending it costs the provider nothing');
    const paid = 2n * price + proRata;
    const finished = fromEvents(terminated, 'JobFinished')[0].data;
    assert.deepEqual([finished.status.type, finished.refunded.toBigInt()], ['Terminated', quote.total - paid]);
    const poster = state.posters.lease.address;
    assert.equal(await freeDelta(api, poster, terminated.blockHash), quote.total - paid - (await feesIn(api, poster, terminated.blockHash)));
    assert.deepEqual(await holdsOf(api, poster, terminated.blockHash), {});
    assert.equal(await freeDelta(api, b.coldkey.address, terminated.blockHash), net(proRata));
    // Over the lease the provider got two periods and the part of the third, each less its fee.
    assert.equal(net(price) * 2n + net(proRata), 2n * price + proRata - 2n * feeOf(price) - feeOf(proRata));

    const at = await api.at(terminated.blockHash);
    const info = (await at.call.computeApi.job(id)).unwrap();
    assert.deepEqual([info.status.type, info.escrow.toBigInt(), info.paid.toBigInt(), info.burned.toBigInt(), info.periodsBilled.toNumber()],
      ['Terminated', 0n, paid, 0n, 2]);
    assert.ok((await at.query.compute.leasedGpus(b.hotkey.address)).isNone, 'the GPU is free again');
    assert.equal((await at.query.compute.counters()).gpusLeased.toNumber(), 0);
    // Every collateral is back in its bond but the slashed one, held until its slash applies;
    // no provider has a job left.
    const slashed = collateralOf(c.askPrice, 7);
    for (const [p, bond, held] of [[a, a.bond0, {}], [b, b.bond0, {}], [c, c.bond0 - slashed, { 'Compute.JobCollateral': slashed }]]) {
      assert.deepEqual(await holdsOf(api, p.coldkey.address, terminated.blockHash), { 'Compute.ProviderBond': bond, ...held });
      const stored = (await at.query.compute.providers(p.hotkey.address)).unwrap();
      assert.deepEqual([stored.bond.toBigInt(), stored.activeJobs.toNumber(), stored.status.type], [bond, 0, 'Active']);
    }
    state.midHash = noResults.blockHash;
    state.endHash = terminated.blockHash;
  });

  test('compute_quote, compute_job, compute_jobs (filters, pages) and compute_networkMetrics agree with the runtime API and storage at one block', async ({ api, rpc }) => {
    await state.follow.stop();
    const ids = JOBS.map((name) => state.jobs[name].id);
    const [a, b, c] = state.providers;
    for (const [when, hash] of [['while the lease runs', state.midHash], ['at the end', state.endHash]]) {
      const hex = hash.toHex();
      const at = await api.at(hash);
      const all = await at.call.computeApi.jobs(jobFilter({}));
      assert.deepEqual(idsOf(all), [...ids].sort((x, y) => x - y), when);

      // Each job: JSON-RPC = runtime API = storage.
      for (const info of all) {
        const id = info.id.toNumber();
        const stored = (await at.query.compute.jobs(id)).unwrap();
        const same = ['poster', 'spec', 'status', 'postedAt', 'escrow', 'paid', 'burned', 'result', 'finishedAt'];
        assert.deepEqual(same.map((f) => info[f].toHex()), same.map((f) => stored[f].toHex()), `job ${id} ${when}`);
        assert.deepEqual(info.replicas.map((r) => [r.provider, r.payout, r.unitPrice, r.collateral].map((x) => x.toHex())),
          stored.replicas.map((r) => [r.provider, r.payout, r.unitPrice, r.collateral].map((x) => x.toHex())));
        assert.deepEqual([optNum(info.nextStepAt), info.periodsBilled.toNumber()],
          [stored.timer.isSome ? stored.timer.unwrap().due.toNumber() : null, stored.lease.isSome ? stored.lease.unwrap().billed.toNumber() : 0]);
        assert.equal((await at.call.computeApi.job(id)).unwrap().toHex(), info.toHex());
        const json = await rpc('compute_job', [id, hex]);
        assert.deepEqual(canon(json), canon(jobJson(info)));
        const name = JOBS.find((n) => state.jobs[n].id === id);
        assert.deepEqual(canon(json.spec), canon(specJson(api.createType(api.tx.compute.postJob.meta.args[0].type.toString(), state.jobs[name].spec))));
      }
      assert.equal(await rpc('compute_job', [Math.max(...ids) + 1, hex]), null);

      // Filters, through both.
      const byFilter = async (f) => {
        const viaRpc = await rpc('compute_jobs', [f, hex]);
        const viaApi = await at.call.computeApi.jobs(jobFilter(f));
        assert.deepEqual(canon(viaRpc), canon(viaApi.map(jobJson)), JSON.stringify(f));
        return idsOf(viaRpc);
      };
      assert.deepEqual(await byFilter({ poster: state.posters.random.address }), [state.jobs.random.id]);
      const sorted = (...names) => names.map((n) => state.jobs[n].id).sort((x, y) => x - y);
      assert.deepEqual(await byFilter({ provider: a.hotkey.address }), sorted('random', 'training'));
      assert.deepEqual(await byFilter({ provider: b.hotkey.address }), sorted('random', 'lease'));
      assert.deepEqual(await byFilter({ provider: c.hotkey.address }), sorted('random', 'direct'));
      for (const status of ['Open', 'Assigned', 'Running', 'Revealing', 'Settled', 'Failed', 'Terminated']) {
        const expected = idsOf(all.filter((j) => j.status.type === status));
        assert.deepEqual(await byFilter({ status }), expected, `${status} ${when}`);
      }
      // Both at once: the lease's provider with the lease's status.
      const status = all.find((j) => j.id.toNumber() === state.jobs.lease.id).status.type;
      const both = idsOf(all.filter((j) => j.status.type === status && j.replicas.some((r) => r.provider.toString() === b.hotkey.address)));
      assert.ok(both.includes(state.jobs.lease.id));
      assert.deepEqual(await byFilter({ provider: b.hotkey.address, status }), both);
      // Pages of one, then of three: together the whole list, in the same (storage) order.
      for (const limit of [1, 3]) {
        const pages = [];
        let startAfter;
        for (;;) {
          const page = await rpc('compute_jobs', [{ limit, ...(startAfter === undefined ? {} : { startAfter }) }, hex]);
          const viaApi = await at.call.computeApi.jobs(jobFilter({ limit, startAfter: startAfter ?? null }));
          assert.deepEqual(canon(page), canon(viaApi.map(jobJson)));
          if (page.length === 0) break;
          assert.ok(page.length <= limit);
          pages.push(...page);
          startAfter = page[page.length - 1].id;
        }
        assert.deepEqual(pages.map((j) => j.id), all.map((j) => j.id.toNumber()), `pages of ${limit}`);
      }

      // Metrics: JSON-RPC = runtime API = storage, and they count the jobs listed.
      const metrics = await at.call.computeApi.networkMetrics();
      assert.equal(metrics.counters.toHex(), (await at.query.compute.counters()).toHex());
      assert.equal(metrics.jobs.toHex(), (await at.query.compute.jobStats()).toHex());
      const json = await rpc('compute_networkMetrics', [hex]);
      assert.deepEqual(canon({ ...json, byGpuModel: sortBy(json.byGpuModel, 'gpuModel'), byClass: sortBy(json.byClass, 'class') }),
        canon(metricsJson(metrics)));
      const open = all.filter((j) => !['Settled', 'Cancelled', 'Failed', 'Refunded', 'Terminated'].includes(j.status.type));
      const kinds = (kind) => BigInt(open.filter((j) => j.spec.kind.type === kind).length);
      const jobs = jobCountersJson(metrics.jobs);
      assert.deepEqual([countersJson(metrics.counters).activeJobs, jobs.activeInferenceJobs, jobs.activeTrainingJobs, jobs.activeLeases],
        [BigInt(open.length), kinds('Inference'), kinds('Training'), kinds('Lease')], when);
      const lease = all.find((j) => j.id.toNumber() === state.jobs.lease.id);
      assert.equal(metrics.counters.gpusLeased.toNumber(), lease.status.type === 'Running' ? 1 : 0);
      assert.equal(metrics.gpusFree.toNumber(), metrics.counters.gpusOnline.toNumber() - metrics.counters.gpusLeased.toNumber());
      const done = all.filter((j) => ['Settled', 'Terminated'].includes(j.status.type));
      assert.equal(jobs.tempo, BigInt(Math.floor((await blockNumber(api, hash)) / 360)));
      assert.deepEqual([jobs.settledJobs, jobs.settledVolume], [BigInt(done.length), all.reduce((sum, j) => sum + j.paid.toBigInt(), 0n)]);
    }
    // While the lease ran it and the random job were the market's active jobs.
    const mid = await (await api.at(state.midHash)).call.computeApi.jobs(jobFilter({ status: 'Running' }));
    assert.ok(idsOf(mid).includes(state.jobs.lease.id));
    const end = metricsJson(await (await api.at(state.endHash)).call.computeApi.networkMetrics());
    assert.deepEqual([end.activeJobs, end.settledJobs, end.gpusLeased], [0n, 3n, 0n]);
  });
});
