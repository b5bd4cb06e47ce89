// Proof of compute end to end (issue 15): spot checks, disputes judged by juries, slashes for
// wrong results, reputation, and compute scores in the subnet's incentive.
//
// A compute subnet with three staked validators (permits from an epoch; at most three, so the
// providers never become reviewers) and three attested providers with distinct coldkeys, each
// bonding 50 MDT more than its hardware requires. Two providers are honest, the third cheats:
// it reveals garbage. Root shortens the accept, review, reveal and slash windows
// (`system.setStorage`); the validators weigh the three providers equally (commit-reveal off,
// no rate limit). Ten random inference jobs (2 replicas, quorum 2, 50% spot checks, no
// challenge window) are posted at once, each by its own poster holding exactly its quote.
//
// The test then plays every party, reacting to each new block: drawn replicas accept, commit
// and reveal (the true result is blake2 of the job id); drawn validators commit and reveal the
// true result as spot checkers and jurors. It checks that
//   - every draw comes `DrawDelay` blocks after the post or the last commit; the spot-check roll
//     either skips (reveals open) or draws all three validators, who commit before `commitEnd`;
//   - two honest replicas settle at once (checkers confirming them share the verification
//     fees); a cheater's job is disputed and its jury of three decides for the true result: the
//     honest replica is paid price x units less the 5% fee (its reputation's share of the fee
//     burned, the rest to the treasury), the cheater gets a
//     `WrongResult` slash of 5% of its bond per offence (graduated) plus its collateral;
//   - nobody is benched, no honest provider is ever slashed, every poster gets the rest back;
//   - the slashes apply after the defer period: the cheater's holds drop by exactly `slashed`,
//     30% to the poster, 50% to the jurors, the rest to the treasury;
//   - reputations follow the chain's moving average (`ReputationUpdated`, `computeApi.provider`,
//     `compute_provider`): the honest ones rise, the cheater's falls;
//   - the work settled in the tempo is scored (`TempoScores`: each payment's burned part, its
//     fee times the reputation then): once root sets the subnet's tempo to 10 its epoch drains the scores,
//     `computeScore` (runtime API and `metagraph_selective`) is > 0 for the honest uids and 0 for
//     the cheater's, and the honest miners' incentive exceeds the cheater's by their compute part.
//
// The subnet keeps its default tempo (360 blocks) while the jobs run, so all their scores fall in
// one tempo and one epoch; `computeScore` is per tempo (the epoch takes the scores).

import assert from 'node:assert/strict';

import { bnToU8a, hexToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { base32Encode, blake2AsHex, blake2AsU8a, randomAsU8a, sha256AsU8a } from '@polkadot/util-crypto';

import {
  blockNumber, commitAttestations, fundingCalls, hardwareSpec, holdsOf, newProviders, newValidators, optNum, parameterItems,
  registerNeurons, registerProviderCall, revealAttestations, sudo, twoEpochs,
} from '../lib/compute.js';
import {
  accountData, ALL_UIDS, ANY_PRICE, claimHotkeyCall, describeWithNode, freshAccount, MDT, parentOf, sendTx, sendTxOk, waitForBestNumber,
} from '../lib/node.js';

const ATTESTATION_COMMIT_WINDOW = 2;
const ACCEPT_TIMEOUT = 4;
const REVIEW_WINDOW = 4; // reviewers commit in the block after their draw: three blocks of margin
const RESULT_REVEAL_WINDOW = 4;
const SLASH_DEFER = 3;
const PARAMETERS = {
  AttestationCommitWindow: ATTESTATION_COMMIT_WINDOW, AttestationRevealWindow: 3, ComputeAcceptTimeout: ACCEPT_TIMEOUT,
  ComputeReviewWindow: REVIEW_WINDOW, ComputeResultRevealWindow: RESULT_REVEAL_WINDOW, ComputeSlashDeferDuration: SLASH_DEFER,
  ComputeUnbondingPeriod: 20,
};
const DRAW_DELAY = 2;
const TEMPO = 10; // the shortest allowed, set once the jobs are done
const JOB_COUNT = 10;
const REPLICAS = 2;
const QUORUM = 2;
const SPOT_CHECK = 500_000_000; // Perbill parts: 50%
const SPOT_CHECKERS = 3;
const JURY_SIZE = 5; // more than the three validators: all three are drawn
const EXTRA_BOND = 50n * MDT;
const MAX_UNIT_PRICE = 2n * MDT;
const JOB_DEPOSIT = MDT / 10n;
const VERIFICATION_FEE = MDT / 10n; // per replica
const BILLION = 1_000_000_000n; // Perbill accuracy
const INITIAL_REPUTATION = 500_000_000n;
const WRONG_RESULT_SLASH = 50_000_000n; // 5% of the bond, times one more than the recent offences
const SLASH_TO_POSTER = 300_000_000n;
const SLASH_REWARD_SHARE = 500_000_000n;
const COMPUTE_INCENTIVE_SHARE = 500_000_000n; // the hyperparameter's default
const U16_MAX = 65_535n;
const A100 = 'NVIDIA A100 80GB';
const H100 = 'NVIDIA H100 80GB HBM3';

// Two honest providers and a cheater (the last); prices that do not divide evenly.
const PROVIDERS = [
  { spec: hardwareSpec(A100, 1, 8, 'DE'), reports: [[1000, true], [1100, true], [1050, true]], askPrice: 1_000_000_007n },
  { spec: hardwareSpec(H100, 1, 9, 'US'), reports: [[3000, true], [2900, true], [3100, true]], askPrice: 1_100_000_003n },
  { spec: hardwareSpec(A100, 1, 8, 'FR'), reports: [[990, true], [1000, true], [1010, true]], askPrice: 900_000_001n, cheats: true },
];
const unitsOf = (i) => 6 + i; // job i of the batch: 6 to 15 units

/** A CIDv1 (raw, sha2-256) of `text`, in base32. */
const cidOf = (text) => base32Encode(u8aConcat(Uint8Array.of(0x01, 0x55, 0x12, 0x20), sha256AsU8a(stringToU8a(text))), true);
/** The true result of job `id`: blake2_256 of its SCALE id. */
const truthOf = (id) => blake2AsHex(bnToU8a(id, { bitLength: 64, isLe: true }));
/** blake2_256 of SCALE (job id u64, account, result hash, salt): replicas' and reviewers' commitments. */
const resultCommitment = (job, account, resultHash, salt) =>
  u8aToHex(blake2AsU8a(u8aConcat(bnToU8a(job, { bitLength: 64, isLe: true }), account.publicKey, hexToU8a(resultHash), salt), 256));
/** The pallet's rounding: collateral is 20% of the pay rounded up, the protocol fee 5% rounded down. */
const collateralOf = (price, units) => (price * BigInt(units) + 4n) / 5n;
const feeOf = (amount) => amount / 20n;
/** Perbill `parts` of `amount`, rounded down (`Perbill::mul_floor`). */
const perbill = (parts, amount) => (BigInt(parts) * amount) / BILLION;
const minBig = (a, b) => (a < b ? a : b);
const sum = (list) => list.reduce((a, b) => a + b, 0n);
const sorted = (list) => [...list].map(String).sort();

/**
 * The spot-check roll of job `id` in block `number`, as the pallet draws it: the first eight bytes
 * (LE u64) of its seed modulo 10^9, the seed being BABE's randomness for the subject
 * SCALE(b"luxtensor/compute/job", id, 2): blake2_256(subject ++ the parent block's VRF output),
 * or ++ `NextRandomness` when the parent has none.
 */
async function spotCheckRoll(api, id, number) {
  const at = await api.at(await api.rpc.chain.getBlockHash(number - 1));
  const vrf = await at.query.babe.authorVrfRandomness();
  const randomness = vrf.isSome ? vrf.unwrap() : await at.query.babe.nextRandomness();
  const subject = u8aConcat(stringToU8a('luxtensor/compute/job'), bnToU8a(id, { bitLength: 64, isLe: true }), Uint8Array.of(2));
  const seed = blake2AsU8a(u8aConcat(subject, randomness.toU8a(true)), 256);
  return { roll: Number(new DataView(seed.buffer, seed.byteOffset, 8).getBigUint64(0, true) % 1_000_000_000n), parentVrf: vrf.isSome };
}

/** The signer's free balance change in block `hash`. */
async function freeDelta(api, who, hash) {
  const parent = await parentOf(api, hash);
  return (await accountData(api, who, hash)).free - (await accountData(api, who, parent)).free;
}

/** `sendTx` with nonces handed out per signer, so one account can have many calls in flight. */
function nonceSender(api) {
  const next = new Map();
  return (tx, signer) => {
    const nonce = next.get(signer.address) ?? api.rpc.system.accountNextIndex(signer.address).then((n) => n.toNumber());
    next.set(signer.address, nonce.then((n) => n + 1));
    return nonce.then((n) => sendTx(api, tx, signer, { nonce: n }));
  };
}

/**
 * The off-chain side of the market, driven by the chain: follows the best chain block by block
 * (keeping every event, in order) and, for the jobs `ids`, makes each party act when the chain
 * asks it to:
 *   - `JobAssigned`: the drawn providers accept;
 *   - `JobStarted`: they commit to their result (the cheater to garbage);
 *   - `ReviewersDrawn`: the drawn validators commit to the true result; a jury reveals once its
 *     `commitEnd` comes (sent when block `commitEnd - 1` is in);
 *   - `RevealStarted`: the replicas reveal, and so do the spot checkers of the job.
 * Every call is recorded with its outcome; `until(check)` waits for a state of the log.
 */
function runMarket(api, { validators, providers, ids }) {
  const byHotkey = new Map([...providers, ...validators].map((party) => [party.hotkey.address, party]));
  const log = []; // { number, hash, index, event }
  const jobs = new Map(ids.map((id) => [id, { id, replicas: [], work: new Map(), reviews: [], calls: [] }]));
  const anomalies = [];
  const pendingReveals = [];
  const send = nonceSender(api);
  let waiters = [];
  let failure = null;
  let last = null;
  let queue = Promise.resolve();

  const act = (job, label, tx, signer) => {
    const call = { label, who: signer.address, outcome: send(tx, signer).then((result) => ({ result }), (error) => ({ error })) };
    job.calls.push(call);
  };
  const revealReview = (job, review) => {
    review.revealed = true;
    for (const [i, v] of review.reviewers.entries()) {
      act(job, `${review.kind} reveal`, api.tx.compute.reviewReveal(job.id, truthOf(job.id), u8aToHex(review.salts[i])), v.hotkey);
    }
  };

  function react(number, event) {
    if (event.section !== 'compute' || event.data.job === undefined) return;
    const job = jobs.get(event.data.job.toNumber());
    if (!job) return;
    switch (event.method) {
      case 'JobAssigned':
        job.replicas = event.data.providers.map(([hotkey]) => byHotkey.get(hotkey.toString()));
        for (const p of job.replicas) {
          const work = p.cheats
            ? { resultHash: blake2AsHex(randomAsU8a(32)), output: cidOf(`garbage for job ${job.id}`) }
            : { resultHash: truthOf(job.id), output: cidOf(`output of job ${job.id}`) };
          job.work.set(p.hotkey.address, { ...work, salt: randomAsU8a(32) });
          act(job, 'accept', api.tx.compute.acceptAssignment(job.id), p.hotkey);
        }
        break;
      case 'JobStarted':
        for (const p of job.replicas) {
          const w = job.work.get(p.hotkey.address);
          act(job, 'commit', api.tx.compute.commitResult(job.id, resultCommitment(job.id, p.hotkey, w.resultHash, w.salt)), p.hotkey);
        }
        break;
      case 'ReviewersDrawn': {
        const hotkeys = event.data.reviewers.map(String);
        const reviewers = hotkeys.map((h) => byHotkey.get(h)).filter((v) => v && validators.includes(v));
        if (reviewers.length !== hotkeys.length) anomalies.push(`job ${job.id}: reviewers ${hotkeys} are not all validators`);
        const review = { kind: event.data.kind.type, drawnAt: number, commitEnd: event.data.commitEnd.toNumber(), reviewers,
          salts: reviewers.map(() => randomAsU8a(32)), revealed: false };
        job.reviews.push(review);
        for (const [i, v] of reviewers.entries()) {
          act(job, `${review.kind} commit`, api.tx.compute.reviewCommit(job.id, resultCommitment(job.id, v.hotkey, truthOf(job.id), review.salts[i])),
            v.hotkey);
        }
        if (review.kind !== 'SpotCheck') pendingReveals.push({ job, review });
        break;
      }
      case 'RevealStarted': {
        for (const p of job.replicas) {
          const w = job.work.get(p.hotkey.address);
          act(job, 'reveal', api.tx.compute.revealResult(job.id, w.resultHash, w.output, u8aToHex(w.salt)), p.hotkey);
        }
        const spot = job.reviews.find((r) => r.kind === 'SpotCheck' && !r.revealed);
        if (spot) revealReview(job, spot);
        break;
      }
      default:
    }
  }

  const unsubscribe = api.rpc.chain.subscribeNewHeads((header) => {
    const head = header.number.toNumber();
    queue = queue.then(async () => {
      for (let n = last === null ? head : last + 1; n <= head; n++) {
        const hash = await api.rpc.chain.getBlockHash(n);
        const events = (await (await api.at(hash)).query.system.events()).map(({ event }) => event);
        for (const [index, event] of events.entries()) {
          log.push({ number: n, hash, index, event });
          react(n, event);
        }
        // A jury reveals after its commit window: sent now, the calls land in `commitEnd` or later.
        for (const pending of pendingReveals.filter((p) => p.review.commitEnd - 1 <= n)) {
          pendingReveals.splice(pendingReveals.indexOf(pending), 1);
          revealReview(pending.job, pending.review);
        }
        last = n;
      }
      waiters = waiters.filter((w) => !w.check());
    }).catch((e) => {
      failure = e;
      for (const w of waiters) w.fail(e);
      waiters = [];
    });
  });

  const market = {
    log,
    jobs,
    anomalies,
    /** The events matching `method` (a `compute` event unless `section` says otherwise) and `filter`. */
    events(method, filter = () => true, section = 'compute') {
      return log.filter(({ event }) => event.section === section && event.method === method && filter(event));
    },
    /** The events of job `id` matching `method`. */
    ofJob(id, method) {
      return market.events(method, (e) => e.data.job.toNumber() === id);
    },
    /** Resolves with `check()`'s first truthy value, checked after each block. */
    until(check, what, timeoutMs = 100_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (followed up to block #${last})`));
        }, timeoutMs);
        const waiter = {
          check() {
            const value = check();
            if (!value) return false;
            clearTimeout(timer);
            resolve(value);
            return true;
          },
          fail(e) {
            clearTimeout(timer);
            reject(e);
          },
        };
        if (failure) waiter.fail(failure);
        else if (!waiter.check()) waiters.push(waiter);
      });
    },
    /** Every call made for job `id` labelled `label`, with its outcome. */
    async calls(id, label) {
      const calls = jobs.get(id).calls.filter((c) => c.label === label);
      return Promise.all(calls.map(async (c) => ({ ...c, ...(await c.outcome) })));
    },
    async stop() {
      (await unsubscribe)();
    },
  };
  return market;
}

/** Asserts that every call is in a block and succeeded. */
function assertAllOk(calls, what) {
  for (const c of calls) {
    assert.ok(!c.error, `${what} by ${c.who}: ${c.error?.message}`);
    assert.ok(c.result.ok, `${what} by ${c.who} failed: ${c.result.error?.name}`);
  }
}

/** A job's review from `computeApi.job` at `hash`, as plain values. */
const reviewOf = (info) => {
  if (info.review.isNone) return null;
  const r = info.review.unwrap();
  return {
    kind: r.kind.type,
    reviewers: r.reviewers.map((x) => ({ hotkey: x.hotkey.toString(), committed: x.committed.isTrue, resultHash: x.result.isSome ? x.result.unwrap().toHex() : null })),
    commitEnd: r.commitEnd.toNumber(),
    verdict: r.verdict.isSome ? r.verdict.unwrap().toHex() : null,
  };
};

describeWithNode('verification', (_ctx, test) => {
  const state = {};
  const validatorHotkeys = () => sorted(state.validators.map((v) => v.hotkey.address));
  const honest = () => state.providers.filter((p) => !p.cheats);
  const cheater = () => state.providers.find((p) => p.cheats);
  const jobAt = async (api, id, hash) => (await (await api.at(hash)).call.computeApi.job(id)).unwrap();

  test('a compute subnet: three validators with permits weigh three attested providers equally; root shortens the windows', async ({ api, alice, keyring, rpc }) => {
    state.validators = newValidators(keyring, ['//Bob', '//Charlie', '//Dave']);
    state.providers = newProviders(keyring, PROVIDERS);
    state.posters = Array.from({ length: JOB_COUNT }, () => freshAccount(keyring));
    const ownerHotkey = freshAccount(keyring);
    const created = await sendTxOk(api, api.tx.utility.batchAll([
      claimHotkeyCall(api, ownerHotkey, alice),
      api.tx.subnets.registerNetwork(ownerHotkey.address, ANY_PRICE),
      ...fundingCalls(api, state.validators, state.providers),
      // Replicas and reviewers sign a few dozen calls each.
      ...[...state.validators, ...state.providers].map((x) => api.tx.balances.transferKeepAlive(x.hotkey.address, 10n * MDT)),
      ...state.posters.map((poster) => api.tx.balances.transferKeepAlive(poster.address, 100n * MDT)),
    ]), alice);
    state.netuid = created.findEvent('subnets', 'NetworkRegistered').data.netuid.toNumber();
    const { netuid } = state;

    // Root shortens the windows, marks the subnet, lets weights through at once and keeps the
    // permits to three (the providers earn stake as miners); the neurons register.
    const items = parameterItems(PARAMETERS);
    const update = { commitRevealEnabled: false, weightsRateLimit: 1, maxAllowedValidators: 3 };
    const [marked] = await Promise.all([
      sudo(api, alice, api.tx.utility.batchAll([
        api.tx.system.setStorage(items), api.tx.compute.setComputeSubnet(netuid, true), api.tx.subnets.setHyperparameters(netuid, update),
      ])),
      registerNeurons(api, netuid, state.validators, state.providers),
    ]);
    assert.equal(marked.outcome, 'Ok');
    for (const [key, value] of items) assert.equal(await rpc('state_getStorage', [key]), value);
    const params = (await api.call.subnetsApi.hyperparameters(netuid)).unwrap();
    assert.deepEqual([params.commitRevealEnabled.isTrue, params.weightsRateLimit.toNumber(), params.maxAllowedValidators.toNumber()], [false, 1, 3]);
    assert.equal(params.computeIncentiveShare.toBigInt(), COMPUTE_INCENTIVE_SHARE, 'half the miners\' incentive goes by compute score');
    const c = api.consts.compute;
    assert.deepEqual([c.drawDelay, c.spotCheckers, c.jurySize].map((x) => x.toNumber()), [DRAW_DELAY, SPOT_CHECKERS, JURY_SIZE]);
    assert.deepEqual([c.jobDeposit, c.verificationFee].map((x) => x.toBigInt()), [JOB_DEPOSIT, VERIFICATION_FEE]);
    assert.deepEqual([c.wrongResultSlash, c.slashToPoster, c.slashRewardShare, c.initialReputation].map((x) => x.toBigInt()),
      [WRONG_RESULT_SLASH, SLASH_TO_POSTER, SLASH_REWARD_SHARE, INITIAL_REPUTATION]);

    // An epoch gives the validators permits while the providers register and bond more.
    const [epoch, ...registered] = await Promise.all([
      sudo(api, alice, twoEpochs(api, netuid)),
      ...state.providers.map((p) => sendTxOk(api, api.tx.utility.batchAll([
        registerProviderCall(api, netuid, p), api.tx.compute.bondMore(p.hotkey.address, EXTRA_BOND),
      ]), p.coldkey)),
    ]);
    assert.equal(epoch.outcome, 'Ok');
    const m = (await (await api.at(epoch.result.blockHash)).call.neuronsApi.metagraph(netuid, ALL_UIDS)).unwrap();
    state.uids = Object.fromEntries(m.hotkeys.map((hotkey, uid) => [hotkey.toString(), uid]));
    for (const v of state.validators) assert.equal(m.validatorPermit[state.uids[v.hotkey.address]].isTrue, true, 'a staked validator holds a permit');
    for (const p of state.providers) assert.equal(m.validatorPermit[state.uids[p.hotkey.address]].isTrue, false, 'a provider holds none');

    // The validators weigh the three providers equally (before the attestors' draw, so their
    // hotkeys' nonces do not collide with the commits).
    const providerUids = state.providers.map((p) => state.uids[p.hotkey.address]);
    const weighed = await Promise.all(state.validators.map((v) =>
      sendTxOk(api, api.tx.weights.setWeights(netuid, providerUids, providerUids.map(() => 1), 0), v.hotkey)));
    for (const r of weighed) assert.ok(r.findEvent('weights', 'WeightsSet'));

    // Every validator attests every provider: all true.
    const drawAt = Math.max(...registered.map((r) => r.findEvent('compute', 'AttestationRequested').data.drawAt.toNumber()));
    await waitForBestNumber(api, drawAt - 1);
    const salts = await commitAttestations(api, state.validators, state.providers);
    await waitForBestNumber(api, drawAt + ATTESTATION_COMMIT_WINDOW - 1);
    const revealed = await revealAttestations(api, state.validators, state.providers, salts);
    const attested = revealed.flatMap((r) => r.events.filter(({ event }) => event.section === 'compute' && event.method === 'ProviderAttested')
      .map(({ event }) => event.data.provider.toString()));
    assert.deepEqual(sorted(attested), sorted(state.providers.map((p) => p.hotkey.address)));
    const numbers = await Promise.all(revealed.map((r) => blockNumber(api, r.blockHash)));
    const last = revealed[numbers.indexOf(Math.max(...numbers))].blockHash;
    const at = await api.at(last);
    for (const p of state.providers) {
      p.bond0 = p.bond + EXTRA_BOND;
      const stored = (await at.query.compute.providers(p.hotkey.address)).unwrap();
      assert.deepEqual([stored.status.type, stored.bond.toBigInt(), stored.askPrice.toBigInt(), stored.payout.toString()],
        ['Active', p.bond0, p.askPrice, p.coldkey.address]);
      assert.deepEqual(await holdsOf(api, p.coldkey.address, last), { 'Compute.ProviderBond': p.bond0 });
    }
    assert.equal(new Set(state.providers.map((p) => p.coldkey.address)).size, 3, 'distinct coldkeys');
  });

  test('ten random inference jobs (2 replicas, quorum 2, 50% spot checks) are posted at once, each holding exactly its quote; two providers of different coldkeys are drawn for each and accept', async ({ api, rpc }) => {
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const firstId = (await api.query.compute.nextJobId()).toNumber();
    state.ids = Array.from({ length: JOB_COUNT }, (_, i) => firstId + i);
    state.market = runMarket(api, { validators: state.validators, providers: state.providers, ids: state.ids });
    const market = state.market;
    const deadline = best + 40;
    const specs = state.ids.map((_, i) => ({
      kind: { Inference: { units: unitsOf(i) } }, workload: { Content: cidOf(`model ${i}`) }, input: cidOf(`prompt ${i}`), gpu: { MinClass: 0 },
      gpuCount: 1, minReputation: 0, maxUnitPrice: MAX_UNIT_PRICE, deadline, assignment: 'Random', replicas: REPLICAS, quorum: QUORUM,
      spotCheck: SPOT_CHECK, challengeWindow: 0,
    }));
    const specType = api.tx.compute.postJob.meta.args[0].type.toString();
    // One poster per job, all at once.
    const results = await Promise.all(state.posters.map((poster, i) => sendTx(api, api.tx.compute.postJob(specs[i]), poster)));
    state.jobs = {};
    for (const [i, result] of results.entries()) {
      assert.ok(result.ok, `job ${i}: ${result.error?.name}`);
      const event = result.findEvent('compute', 'JobPosted').data;
      const id = event.job.toNumber();
      assert.equal(event.poster.toString(), state.posters[i].address);
      const parent = await parentOf(api, result.blockHash);
      const quote = (await (await api.at(parent)).call.computeApi.quote(api.createType(specType, specs[i])));
      const payment = MAX_UNIT_PRICE * BigInt(unitsOf(i)) * BigInt(REPLICAS);
      const total = payment + VERIFICATION_FEE * BigInt(REPLICAS) + JOB_DEPOSIT;
      assert.deepEqual([quote.payment, quote.verificationFee, quote.deposit, quote.total].map((x) => x.toBigInt()),
        [payment, VERIFICATION_FEE * BigInt(REPLICAS), JOB_DEPOSIT, total]);
      const json = await rpc('compute_quote', [{
        kind: { inference: { units: unitsOf(i) } }, workload: { content: cidOf(`model ${i}`) }, input: cidOf(`prompt ${i}`), gpu: { minClass: 0 },
        gpuCount: 1, minReputation: 0, maxUnitPrice: String(MAX_UNIT_PRICE), deadline, assignment: 'random', replicas: REPLICAS, quorum: QUORUM,
        spotCheck: SPOT_CHECK / 1e9, challengeWindow: 0,
      }, parent.toHex()]);
      assert.deepEqual(json, { payment: String(payment), verificationFee: String(VERIFICATION_FEE * BigInt(REPLICAS)), deposit: String(JOB_DEPOSIT), total: String(total) });
      assert.equal(event.escrow.toBigInt(), total);
      assert.deepEqual(await holdsOf(api, state.posters[i].address, result.blockHash), { 'Compute.JobEscrow': total });
      const info = await jobAt(api, id, result.blockHash);
      assert.equal(info.spec.toHex(), api.createType(specType, specs[i]).toHex(), 'the spec as posted');
      const block = await blockNumber(api, result.blockHash);
      assert.deepEqual([info.status.type, optNum(info.nextStepAt), info.replicas.length], ['Open', block + DRAW_DELAY, 0]);
      state.jobs[id] = { id, index: i, units: unitsOf(i), poster: state.posters[i], total, block, truth: truthOf(id) };
    }
    assert.deepEqual(Object.keys(state.jobs).map(Number).sort((a, b) => a - b), state.ids);

    // The draws, DrawDelay blocks after each post, then every replica accepts and the job runs.
    await market.until(() => state.ids.every((id) => market.ofJob(id, 'JobStarted').length === 1), 'every job to start');
    const byHotkey = new Map(state.providers.map((p) => [p.hotkey.address, p]));
    for (const id of state.ids) {
      const job = state.jobs[id];
      const [assigned] = market.ofJob(id, 'JobAssigned');
      assert.equal(assigned.number, job.block + DRAW_DELAY, `job ${id} drawn DrawDelay blocks after its post`);
      const drawn = assigned.event.data.providers.map(([hotkey, price]) => [hotkey.toString(), price.toBigInt()]);
      assert.equal(drawn.length, REPLICAS);
      job.replicas = drawn.map(([hotkey]) => byHotkey.get(hotkey));
      assert.ok(job.replicas.every(Boolean), `job ${id}: drawn among the three providers`);
      assert.equal(new Set(job.replicas.map((p) => p.coldkey.address)).size, REPLICAS, 'never two replicas of one coldkey');
      assert.deepEqual(drawn.map(([, price]) => price), job.replicas.map((p) => p.askPrice), 'at their asked prices');
      assert.equal(assigned.event.data.acceptBy.toNumber(), assigned.number + ACCEPT_TIMEOUT);
      job.disputed = job.replicas.some((p) => p.cheats);
      const accepts = await market.calls(id, 'accept');
      assertAllOk(accepts, `job ${id} accept`);
      const accepted = market.ofJob(id, 'AssignmentAccepted');
      assert.deepEqual(sorted(accepted.map((a) => `${a.event.data.provider}:${a.event.data.collateral.toBigInt()}`)),
        sorted(job.replicas.map((p) => `${p.hotkey.address}:${collateralOf(p.askPrice, job.units)}`)));
      const [started] = market.ofJob(id, 'JobStarted');
      assert.equal(started.number, Math.max(...accepted.map((a) => a.number)), 'it runs once both accepted');
    }
    // The collateral of every job moved from each provider's bond into the job's hold.
    const lastStart = market.events('JobStarted', (e) => state.ids.includes(e.data.job.toNumber())).at(-1);
    for (const p of state.providers) {
      const collateral = sum(state.ids.filter((id) => state.jobs[id].replicas.includes(p)).map((id) => collateralOf(p.askPrice, state.jobs[id].units)));
      const held = await holdsOf(api, p.coldkey.address, lastStart.hash);
      assert.deepEqual(held, { 'Compute.ProviderBond': p.bond0 - collateral, ...(collateral > 0n ? { 'Compute.JobCollateral': collateral } : {}) });
    }
    const mix = state.ids.map((id) => (state.jobs[id].disputed ? 'cheater' : 'honest pair'));
    assert.ok(mix.includes('cheater'), 'the cheater was drawn for some job');
    for (const p of honest()) assert.ok(state.ids.some((id) => state.jobs[id].replicas.includes(p)), 'each honest provider has work');
  });

  test('both replicas commit: each job is Checking, and DrawDelay blocks later its spot check is skipped (reveals open) or draws all three validators', async ({ api, rpc }, t) => {
    const { market } = state;
    const rolled = (id) => market.ofJob(id, 'SpotCheckSkipped').length + market.ofJob(id, 'ReviewersDrawn').length > 0;
    await market.until(() => state.ids.every(rolled), 'every spot-check roll');
    for (const id of state.ids) {
      const job = state.jobs[id];
      assertAllOk(await market.calls(id, 'commit'), `job ${id} commit`);
      const commits = market.ofJob(id, 'ResultCommitted');
      assert.deepEqual(sorted(commits.map((c) => c.event.data.provider)), sorted(job.replicas.map((p) => p.hotkey.address)));
      const committed = Math.max(...commits.map((c) => c.number));
      const hash = commits.find((c) => c.number === committed).hash;
      const info = await jobAt(api, id, hash);
      assert.deepEqual([info.status.type, optNum(info.nextStepAt)], ['Checking', committed + DRAW_DELAY], 'a spot-check chance: Checking, not Revealing');
      assert.equal(reviewOf(info), null);
      const skipped = market.ofJob(id, 'SpotCheckSkipped');
      const drawn = market.ofJob(id, 'ReviewersDrawn');
      assert.equal(skipped.length + drawn.length, 1, `job ${id}: one roll`);
      const { roll, parentVrf } = await spotCheckRoll(api, id, committed + DRAW_DELAY);
      job.roll = roll;
      t.diagnostic(`job ${id}: roll ${roll} in block ${committed + DRAW_DELAY} (parent VRF output: ${parentVrf}) -> ${skipped.length ? 'skipped' : 'drawn'}`);
      assert.equal(drawn.length === 1, roll < SPOT_CHECK, `job ${id}: drawn iff the roll ${roll} < ${SPOT_CHECK}`);
      if (skipped.length) {
        job.spotCheck = null;
        assert.equal(skipped[0].number, committed + DRAW_DELAY);
        const [started] = market.ofJob(id, 'RevealStarted');
        assert.deepEqual([started.number, started.event.data.revealEnd.toNumber()], [skipped[0].number, skipped[0].number + RESULT_REVEAL_WINDOW]);
      } else {
        const [d] = drawn;
        assert.deepEqual([d.number, d.event.data.kind.type], [committed + DRAW_DELAY, 'SpotCheck']);
        assert.deepEqual(sorted(d.event.data.reviewers), validatorHotkeys(), 'all three validators check it');
        assert.equal(d.event.data.commitEnd.toNumber(), d.number + REVIEW_WINDOW);
        job.spotCheck = { drawnAt: d.number, commitEnd: d.number + REVIEW_WINDOW };
        const viewed = await jobAt(api, id, d.hash);
        assert.equal(viewed.status.type, 'Checking');
        assert.deepEqual(reviewOf(viewed), { kind: 'SpotCheck', commitEnd: d.number + REVIEW_WINDOW, verdict: null,
          reviewers: d.event.data.reviewers.map((h) => ({ hotkey: h.toString(), committed: false, resultHash: null })) });
        const json = await rpc('compute_job', [id, d.hash.toHex()]);
        assert.deepEqual([json.status, json.review], ['Checking', reviewOf(viewed)]);
      }
    }
    const checked = state.ids.filter((id) => state.jobs[id].spotCheck);
    t.diagnostic(`spot checks drawn for jobs ${checked.join(', ') || 'none'}; skipped for ${state.ids.filter((id) => !state.jobs[id].spotCheck).join(', ') || 'none'}`);
    t.diagnostic(`jobs with the cheater: ${state.ids.filter((id) => state.jobs[id].disputed).join(', ')}`);
  });

  test('reveals: two honest replicas settle at once (checkers confirming them are paid from the verification fees); a job with the cheater is disputed', async ({ api, rpc }) => {
    const { market } = state;
    const closed = (id) => market.ofJob(id, 'JobSettled').length + market.ofJob(id, 'JobDisputed').length > 0;
    await market.until(() => state.ids.every(closed), 'every job to settle or be disputed');
    for (const id of state.ids) {
      const job = state.jobs[id];
      assertAllOk(await market.calls(id, 'reveal'), `job ${id} reveal`);
      const [started] = market.ofJob(id, 'RevealStarted');
      if (job.spotCheck) {
        assertAllOk(await market.calls(id, 'SpotCheck commit'), `job ${id} spot-check commit`);
        assertAllOk(await market.calls(id, 'SpotCheck reveal'), `job ${id} spot-check reveal`);
        const commits = market.ofJob(id, 'ReviewCommitted');
        assert.deepEqual(sorted(commits.map((c) => c.event.data.reviewer)), validatorHotkeys());
        assert.ok(commits.every((c) => c.number < job.spotCheck.commitEnd), 'committed before commitEnd');
        // At the window's last block every checker has committed; at its end the reveals open.
        const before = await api.rpc.chain.getBlockHash(job.spotCheck.commitEnd - 1);
        const info = await jobAt(api, id, before);
        const review = { kind: 'SpotCheck', commitEnd: job.spotCheck.commitEnd, verdict: null,
          reviewers: reviewOf(info).reviewers.map((r) => ({ ...r, committed: true, resultHash: null })) };
        assert.deepEqual([info.status.type, reviewOf(info)], ['Checking', review]);
        const json = await rpc('compute_job', [id, before.toHex()]);
        assert.deepEqual([json.status, json.review], ['Checking', review]);
        assert.deepEqual([started.number, started.event.data.revealEnd.toNumber()],
          [job.spotCheck.commitEnd, job.spotCheck.commitEnd + RESULT_REVEAL_WINDOW]);
      }
      // The job closes in the block of the last reveal, within the window.
      const [end] = [...market.ofJob(id, 'JobSettled'), ...market.ofJob(id, 'JobDisputed')];
      job.closedAt = end.number;
      assert.ok(end.number > started.number && end.number < started.event.data.revealEnd.toNumber(), `job ${id} closed early, at ${end.number}`);
      const lastReveal = Math.max(...[...market.ofJob(id, 'ResultRevealed'), ...market.ofJob(id, 'ReviewRevealed')]
        .map((r) => r.number).filter((n) => n <= end.number));
      assert.equal(end.number, lastReveal, 'once everyone who committed has revealed');
      const revealedHashes = Object.fromEntries(market.ofJob(id, 'ResultRevealed').map((r) => [r.event.data.provider.toString(), r.event.data.resultHash.toHex()]));
      for (const p of job.replicas) {
        if (p.cheats) assert.notEqual(revealedHashes[p.hotkey.address], job.truth);
        else assert.equal(revealedHashes[p.hotkey.address], job.truth);
      }
      const inBlock = (method) => market.ofJob(id, method).filter((e) => e.number === end.number);
      if (job.spotCheck) {
        // The checkers' majority confirms the true result: they share both verification fees.
        assert.deepEqual(inBlock('ReviewClosed').map((e) => e.event.data.verdict.unwrap().toHex()), [job.truth]);
        const each = (VERIFICATION_FEE * BigInt(REPLICAS)) / BigInt(SPOT_CHECKERS);
        assert.deepEqual(sorted(inBlock('ReviewerPaid').map((e) => `${e.event.data.reviewer}:${e.event.data.amount.toBigInt()}`)),
          sorted(state.validators.map((v) => `${v.hotkey.address}:${each}`)));
      }
      const info = await jobAt(api, id, end.hash);
      if (job.disputed) {
        assert.equal(end.event.method, 'JobDisputed', `job ${id}: two different results go to a jury`);
        assert.equal(inBlock('ProviderPaid').length, 0, 'nobody is paid yet');
        assert.equal(info.status.type, 'Disputed');
        assert.deepEqual(info.replicas.map((r) => [r.provider.toString(), r.collateral.toBigInt(), r.result.unwrap()[0].toHex()]),
          job.replicas.map((p) => [p.hotkey.address, collateralOf(p.askPrice, job.units), revealedHashes[p.hotkey.address]]),
          'both collaterals still held, nobody slashed yet');
        assert.deepEqual(reviewOf(info), { kind: 'Dispute', reviewers: [], commitEnd: end.number, verdict: null }, 'the jury is drawn later');
        assert.equal(optNum(info.nextStepAt), end.number + DRAW_DELAY);
      } else {
        assert.equal(end.event.method, 'JobSettled', `job ${id}: two equal results settle`);
        assert.equal(end.event.data.resultHash.toHex(), job.truth);
        assert.equal(info.status.type, 'Settled');
      }
    }
  });

  test('juries: all three validators are drawn DrawDelay blocks after the dispute, commit, reveal after commitEnd and decide for the true result: the honest replica is paid, the cheater gets a WrongResult slash', async ({ api, rpc }) => {
    const { market } = state;
    await market.until(() => state.ids.every((id) => market.ofJob(id, 'JobFinished').length === 1), 'every job to finish', 110_000);
    for (const id of state.ids.filter((i) => state.jobs[i].disputed)) {
      const job = state.jobs[id];
      const [drawn] = market.ofJob(id, 'ReviewersDrawn').filter((d) => d.event.data.kind.type === 'Dispute');
      assert.ok(drawn, `job ${id}: a jury`);
      assert.equal(drawn.number, job.closedAt + DRAW_DELAY);
      assert.deepEqual(sorted(drawn.event.data.reviewers), validatorHotkeys(), 'all three validators: fewer than JurySize are eligible');
      const commitEnd = drawn.event.data.commitEnd.toNumber();
      assert.equal(commitEnd, drawn.number + REVIEW_WINDOW);
      assertAllOk(await market.calls(id, 'Dispute commit'), `job ${id} jury commit`);
      assertAllOk(await market.calls(id, 'Dispute reveal'), `job ${id} jury reveal`);
      const commits = market.ofJob(id, 'ReviewCommitted').filter((c) => c.number >= drawn.number);
      assert.equal(commits.length, 3);
      assert.ok(commits.every((c) => c.number < commitEnd));
      const before = await api.rpc.chain.getBlockHash(commitEnd - 1);
      const info = await jobAt(api, id, before);
      const review = { kind: 'Dispute', commitEnd, verdict: null,
        reviewers: drawn.event.data.reviewers.map((h) => ({ hotkey: h.toString(), committed: true, resultHash: null })) };
      assert.deepEqual([info.status.type, reviewOf(info)], ['Disputed', review]);
      const json = await rpc('compute_job', [id, before.toHex()]);
      assert.deepEqual([json.status, json.review], ['Disputed', review]);

      // The last juror's reveal closes the jury at once: 3 of 3 on the true result.
      const reveals = market.ofJob(id, 'ReviewRevealed').filter((r) => r.number >= commitEnd);
      assert.equal(reveals.length, 3);
      const [settled] = market.ofJob(id, 'JobSettled');
      assert.equal(settled.number, Math.max(...reveals.map((r) => r.number)));
      assert.ok(settled.number < commitEnd + RESULT_REVEAL_WINDOW);
      const inBlock = (method) => market.ofJob(id, method).filter((e) => e.number === settled.number);
      assert.deepEqual(inBlock('ReviewClosed').map((e) => e.event.data.verdict.unwrap().toHex()), [job.truth]);
      // The jurors share what the spot checkers left of the verification fees (rounding dust after a spot check).
      const left = VERIFICATION_FEE * BigInt(REPLICAS) - sum(market.ofJob(id, 'ReviewerPaid').filter((e) => e.number < settled.number)
        .map((e) => e.event.data.amount.toBigInt()));
      const each = left / 3n;
      assert.deepEqual(sorted(inBlock('ReviewerPaid').map((e) => `${e.event.data.reviewer}:${e.event.data.amount.toBigInt()}`)),
        each > 0n ? sorted(state.validators.map((v) => `${v.hotkey.address}:${each}`)) : []);
      assert.equal(settled.event.data.resultHash.toHex(), job.truth);
      const c = cheater();
      // SlashScheduled names no job: the pending slash in storage does.
      const settledAt = await api.at(settled.hash);
      const slashes = [];
      for (const e of market.events('SlashScheduled').filter((x) => x.number === settled.number)) {
        const pending = (await settledAt.query.compute.slashes(e.event.data.slashId)).unwrap();
        if (pending.job.unwrap()[0].toNumber() === id) slashes.push({ event: e.event, pending });
      }
      assert.equal(slashes.length, 1, `job ${id}: one slash`);
      const s = slashes[0].event.data;
      assert.deepEqual([slashes[0].pending.job.unwrap()[1].toString(), sorted(slashes[0].pending.beneficiaries)],
        [job.poster.address, validatorHotkeys()], 'the poster is harmed, the jurors proved it');
      assert.deepEqual([s.provider.toString(), s.reason.type, s.collateral.toBigInt(), s.applyAt.toNumber()],
        [c.hotkey.address, 'WrongResult', collateralOf(c.askPrice, job.units), settled.number + SLASH_DEFER]);
      job.slashId = s.slashId.toNumber();
      job.settledAt = settled.number;
    }

    // Every job: the true result settled, the honest replicas paid price x units less the 5% fee,
    // the poster refunded the rest of its escrow, nothing left held.
    for (const id of state.ids) {
      const job = state.jobs[id];
      const [settled] = market.ofJob(id, 'JobSettled');
      const [finished] = market.ofJob(id, 'JobFinished');
      assert.equal(finished.number, settled.number);
      const payees = job.replicas.filter((p) => !p.cheats);
      const paid = market.ofJob(id, 'ProviderPaid');
      assert.ok(paid.every((e) => e.number === settled.number));
      assert.deepEqual(sorted(paid.map((e) => `${e.event.data.provider}:${e.event.data.amount.toBigInt()}:${e.event.data.fee.toBigInt()}`)),
        sorted(payees.map((p) => { const price = p.askPrice * BigInt(job.units); return `${p.hotkey.address}:${price}:${feeOf(price)}`; })));
      const spent = sum(paid.map((e) => e.event.data.amount.toBigInt()));
      const reviewerPaid = sum(market.ofJob(id, 'ReviewerPaid').map((e) => e.event.data.amount.toBigInt()));
      const refunded = job.total - spent - reviewerPaid;
      assert.deepEqual([finished.event.data.status.type, finished.event.data.refunded.toBigInt()], ['Settled', refunded]);
      assert.equal(await freeDelta(api, job.poster.address, finished.hash), refunded, 'the poster gets the rest of its escrow');
      assert.deepEqual(await holdsOf(api, job.poster.address, finished.hash), {});
      const info = await jobAt(api, id, finished.hash);
      assert.deepEqual([info.status.type, info.escrow.toBigInt(), info.paid.toBigInt(), info.burned.toBigInt(), info.result.unwrap()[0].toHex()],
        ['Settled', 0n, spent, sum(paid.map((e) => e.event.data.burned.toBigInt())), job.truth]);
      assert.equal(reviewOf(info), null, 'the review is gone with the job');
      const json = await rpc('compute_job', [id, finished.hash.toHex()]);
      assert.deepEqual([json.status, json.resultHash, json.review], ['Settled', job.truth, null]);
    }
    // Each block paid each honest provider's coldkey exactly what it earned there.
    for (const p of honest()) {
      const blocks = [...new Set(market.events('ProviderPaid', (e) => e.data.provider.toString() === p.hotkey.address).map((e) => e.hash.toHex()))];
      for (const hash of blocks) {
        const earned = sum(market.events('ProviderPaid', (e) => e.data.provider.toString() === p.hotkey.address)
          .filter((e) => e.hash.toHex() === hash).map((e) => e.event.data.amount.toBigInt() - e.event.data.fee.toBigInt()));
        assert.equal(await freeDelta(api, p.coldkey.address, hash), earned);
      }
    }
    // Nobody failed a duty: no reviewer was benched, every party's calls succeeded.
    assert.deepEqual(market.events('ReviewerBenched').map((e) => `${e.event.data.reviewer} ${e.event.data.fault.type}`), []);
    assert.deepEqual(market.anomalies, []);
    for (const id of state.ids) {
      const calls = await Promise.all(market.jobs.get(id).calls.map(async (c) => ({ ...c, ...(await c.outcome) })));
      assertAllOk(calls, `job ${id}`);
    }
  });

  test('the cheater\'s slashes apply after the defer period: 5% of its bond per offence (graduated) plus the collateral; its holds drop by exactly `slashed`, 30% to the poster, 50% to the jurors; the honest providers are never slashed', async ({ api }, t) => {
    const { market } = state;
    const c = cheater();
    const slashIds = state.ids.filter((id) => state.jobs[id].disputed).map((id) => state.jobs[id].slashId);
    await market.until(() => slashIds.every((sid) => market.events('SlashApplied', (e) => e.data.slashId.toNumber() === sid).length === 1),
      'every slash to apply');
    assert.deepEqual(market.events('SlashScheduled', (e) => e.data.provider.toString() !== c.hotkey.address).map((e) => e.event.data.provider.toString()), [],
      'no honest provider is slashed');

    // Replay the cheater's bond through the log: accepted collateral leaves it, applied slashes
    // take from it; each slash is its offence's fraction of the bond when it was scheduled.
    let bond = c.bond0;
    let offences = 0n;
    const scheduled = new Map();
    for (const { event, number } of market.log) {
      if (event.section !== 'compute' || event.data.provider?.toString() !== c.hotkey.address) continue;
      if (event.method === 'AssignmentAccepted') bond -= event.data.collateral.toBigInt();
      if (event.method === 'SlashScheduled') {
        const parts = minBig(WRONG_RESULT_SLASH * (offences + 1n), BILLION);
        assert.equal(event.data.amount.toBigInt(), perbill(parts, bond), `offence ${offences + 1n} at block ${number}: ${parts} ppb of ${bond}`);
        offences += 1n;
        scheduled.set(event.data.slashId.toNumber(), { amount: event.data.amount.toBigInt(), collateral: event.data.collateral.toBigInt(),
          applyAt: event.data.applyAt.toNumber() });
      }
      if (event.method === 'SlashApplied') {
        const slash = scheduled.get(event.data.slashId.toNumber());
        const fromBond = minBig(slash.amount, bond);
        const slashed = slash.collateral + fromBond;
        assert.equal(number, slash.applyAt);
        assert.deepEqual([event.data.reason.type, event.data.slashed.toBigInt()], ['WrongResult', slashed]);
        assert.equal(event.data.toPoster.toBigInt(), perbill(SLASH_TO_POSTER, slashed));
        assert.equal(event.data.rewarded.toBigInt(), (perbill(SLASH_REWARD_SHARE, slashed) / 3n) * 3n, 'half, shared by the three jurors');
        bond -= fromBond;
      }
    }
    assert.equal(offences, BigInt(slashIds.length));

    // Block by block: the holds drop by exactly what was slashed there, the free balance stays,
    // each poster gets its 30% and each juror its share.
    const applied = market.events('SlashApplied', (e) => e.data.provider.toString() === c.hotkey.address);
    for (const hash of [...new Set(applied.map((a) => a.hash.toHex()))]) {
      const here = applied.filter((a) => a.hash.toHex() === hash).map((a) => a.event.data);
      const parent = await parentOf(api, hash);
      const [before, after] = await Promise.all([holdsOf(api, c.coldkey.address, parent), holdsOf(api, c.coldkey.address, hash)]);
      const total = (h) => (h['Compute.ProviderBond'] ?? 0n) + (h['Compute.JobCollateral'] ?? 0n);
      assert.equal(total(before) - total(after), sum(here.map((e) => e.slashed.toBigInt())), `holds drop by slashed at ${hash}`);
      const collateral = sum(here.map((e) => scheduled.get(e.slashId.toNumber()).collateral));
      assert.equal((before['Compute.JobCollateral'] ?? 0n) - (after['Compute.JobCollateral'] ?? 0n), collateral, 'the collateral first');
      assert.equal(await freeDelta(api, c.coldkey.address, hash), 0n);
      const [storedBefore, storedAfter] = await Promise.all([parent, hash].map(async (h) => (await (await api.at(h)).query.compute.providers(c.hotkey.address)).unwrap().bond.toBigInt()));
      assert.equal(storedBefore - storedAfter, sum(here.map((e) => e.slashed.toBigInt())) - collateral, 'the rest from the bond');
      for (const e of here) {
        const id = state.ids.find((i) => state.jobs[i].slashId === e.slashId.toNumber());
        assert.equal(await freeDelta(api, state.jobs[id].poster.address, hash), e.toPoster.toBigInt(), 'the harmed poster gets 30%');
      }
      const records = market.log.filter((r) => r.hash.toHex() === hash).map((r) => r.event);
      for (const v of state.validators) {
        const reward = sum(here.map((e) => e.rewarded.toBigInt() / 3n));
        const reviewerPaid = sum(records.filter((e) => e.section === 'compute' && e.method === 'ReviewerPaid' && e.data.reviewer.toString() === v.hotkey.address)
          .map((e) => e.data.amount.toBigInt()));
        const fees = sum(records.filter((e) => e.section === 'transactionPayment' && e.method === 'TransactionFeePaid' && e.data.who.toString() === v.hotkey.address)
          .map((e) => e.data.actualFee.toBigInt() + e.data.tip.toBigInt()));
        assert.equal(await freeDelta(api, v.hotkey.address, hash), reward + reviewerPaid - fees, `juror ${v.hotkey.address} gets its share`);
      }
    }

    // At the end: the cheater's bond is what the replay left, nothing pending; the honest are whole.
    const end = applied.at(-1).hash;
    const at = await api.at(end);
    const stored = (await at.query.compute.providers(c.hotkey.address)).unwrap();
    assert.deepEqual([stored.bond.toBigInt(), stored.pendingSlashes.toNumber(), stored.activeJobs.toNumber()], [bond, 0, 0]);
    t.diagnostic(`the cheater: ${slashIds.length} offences, bond ${c.bond0} -> ${bond} (its hardware requires ${c.bond}), status ${stored.status.type}`);
    assert.deepEqual(await holdsOf(api, c.coldkey.address, end), bond > 0n ? { 'Compute.ProviderBond': bond } : {});
    const view = (await at.call.computeApi.provider(c.hotkey.address)).unwrap();
    assert.deepEqual([view.offences.toNumber(), view.pendingSlashes.toNumber()], [slashIds.length, 0]);
    for (const p of honest()) {
      const record = (await at.query.compute.providers(p.hotkey.address)).unwrap();
      assert.deepEqual([record.bond.toBigInt(), record.pendingSlashes.toNumber(), record.activeJobs.toNumber()], [p.bond0, 0, 0]);
      assert.deepEqual(await holdsOf(api, p.coldkey.address, end), { 'Compute.ProviderBond': p.bond0 }, 'every collateral back in the bond');
      assert.equal((await at.call.computeApi.provider(p.hotkey.address)).unwrap().offences.toNumber(), 0);
    }
    state.endHash = end;
  });

  test('reputations follow the moving average of the outcomes: the honest rise with each success, the cheater halves with each wrong result (computeApi.provider, compute_provider)', async ({ api, rpc }) => {
    const { market } = state;
    for (const p of state.providers) {
      let reputation = INITIAL_REPUTATION;
      const updates = market.events('ReputationUpdated', (e) => e.data.provider.toString() === p.hotkey.address);
      const jobsOf = state.ids.filter((id) => state.jobs[id].replicas.includes(p));
      assert.equal(updates.length, jobsOf.length, 'one update per job');
      for (const u of updates) {
        assert.equal(u.event.data.outcome.type, p.cheats ? 'WrongResult' : 'Success');
        // A success moves a tenth of the way to 1, a wrong result half-way to 0 (rounded down).
        reputation = p.cheats ? reputation - reputation / 2n : reputation + (BILLION - reputation) / 10n;
        assert.equal(u.event.data.reputation.toBigInt(), reputation);
      }
      p.reputation = reputation;
      const view = (await (await api.at(state.endHash)).call.computeApi.provider(p.hotkey.address)).unwrap();
      assert.equal(view.reputation.toBigInt(), reputation, 'no decay within a half life');
      const json = await rpc('compute_provider', [p.hotkey.address, state.endHash.toHex()]);
      assert.equal(json.reputation, Number(reputation) / 1e9);
      if (p.cheats) assert.ok(reputation < INITIAL_REPUTATION, `the cheater's reputation fell to ${reputation}`);
      else assert.ok(reputation > INITIAL_REPUTATION, `an honest provider's reputation rose to ${reputation}`);
    }
  });

  test('root sets the tempo to 10: the epoch drains the tempo\'s compute scores; computeScore is > 0 for the honest uids and 0 for the cheater, whose incentive is below the honest miners\'', async ({ api, alice, rpc }, t) => {
    const { market, netuid } = state;
    // Scores: what each payment burned, its fee times the provider's reputation right after
    // the success it pays (the rest of the fee went to the treasury).
    const expected = new Map();
    const lastSuccess = new Map();
    for (const { event } of market.log) {
      if (event.section !== 'compute') continue;
      const hotkey = event.data.provider?.toString();
      if (event.method === 'ReputationUpdated' && event.data.outcome.type === 'Success') lastSuccess.set(hotkey, event.data.reputation.toBigInt());
      if (event.method === 'ProviderPaid') {
        const burned = event.data.burned.toBigInt();
        assert.equal(burned, perbill(lastSuccess.get(hotkey), event.data.fee.toBigInt()), `${hotkey}: its reputation's share of the fee`);
        lastSuccess.delete(hotkey);
        const uid = state.uids[hotkey];
        expected.set(uid, (expected.get(uid) ?? 0n) + burned);
      }
    }

    const set = await sudo(api, alice, api.tx.subnets.setHyperparameters(netuid, { tempo: TEMPO }));
    assert.equal(set.outcome, 'Ok');
    const setAt = await blockNumber(api, set.result.blockHash);
    const epoch = await market.until(() => market.events('EpochPaid', (e) => e.data.netuid.toNumber() === netuid, 'emission')[0], 'the epoch', 60_000);
    assert.equal(epoch.number, setAt + 1, 'the tempo has long passed: the epoch runs in the next block');
    const parent = await parentOf(api, epoch.hash);
    const scores = new Map((await (await api.at(parent)).query.compute.tempoScores.entries(netuid))
      .map(([key, value]) => [key.args[1].toNumber(), value.toBigInt()]));
    assert.deepEqual([...scores.entries()].sort(), [...expected.entries()].sort(), 'TempoScores = the fees burned in the tempo');
    assert.equal((await (await api.at(epoch.hash)).query.compute.tempoScores.entries(netuid)).length, 0, 'the epoch took them');

    const m = (await (await api.at(epoch.hash)).call.neuronsApi.metagraph(netuid, ALL_UIDS)).unwrap();
    const total = sum([...scores.values()]);
    const computeScore = m.computeScore.map((x) => x.toBigInt());
    m.hotkeys.forEach((hotkey, uid) => {
      assert.equal(computeScore[uid], ((scores.get(uid) ?? 0n) * U16_MAX) / total, `uid ${uid}: its share of the scores`);
    });
    const [c, honestOnes] = [cheater(), honest()];
    const uidOf = (p) => state.uids[p.hotkey.address];
    for (const p of honestOnes) assert.ok(computeScore[uidOf(p)] > 0n, 'an honest provider is scored');
    assert.equal(computeScore[uidOf(c)], 0n, 'the cheater is not');
    for (const v of state.validators) assert.equal(m.validatorPermit[uidOf(v)].isTrue, true);

    // The miners' emission: half the incentive (capped at the scores) by compute score, the rest
    // by Yuma, where the three are weighed equally.
    const paid = epoch.event.data;
    const emission = m.emission.map((x) => x.toBigInt());
    const incentive = paid.incentive.toBigInt();
    assert.equal(sum(state.providers.map((p) => emission[uidOf(p)])), incentive, 'the miners get all the incentive');
    const pool = minBig(perbill(COMPUTE_INCENTIVE_SHARE, incentive), total);
    const cheaterEmission = emission[uidOf(c)];
    assert.ok(cheaterEmission > 0n, 'the cheater still has its Yuma share');
    for (const p of honestOnes) {
      const computePart = (pool * scores.get(uidOf(p))) / total;
      const lead = emission[uidOf(p)] - cheaterEmission;
      t.diagnostic(`uid ${uidOf(p)}: emission ${emission[uidOf(p)]}, cheater ${cheaterEmission}, compute part ${computePart}`);
      assert.ok(lead > 0n, 'an honest miner earns more than the cheater');
      // The lead is its compute part, up to Yuma's rounding between equally weighed miners.
      const tolerance = incentive / 1000n;
      assert.ok(lead - computePart <= tolerance && computePart - lead <= tolerance, `lead ${lead} vs compute part ${computePart}`);
    }

    // metagraph_selective says the same in JSON.
    const json = await rpc('metagraph_selective', [netuid, ['hotkeys', 'computeScore', 'emission', 'incentive'], null, epoch.hash.toHex()]);
    assert.deepEqual(json.hotkeys, m.hotkeys.map(String));
    assert.deepEqual(json.computeScore, computeScore.map((x) => Number(x) / 65535));
    assert.deepEqual(json.emission, emission.map(String));
    assert.ok(json.computeScore[uidOf(c)] === 0 && honestOnes.every((p) => json.computeScore[uidOf(p)] > 0));
    for (const p of state.providers) assert.ok(json.incentive[uidOf(p)] > 0, 'Yuma pays every weighed miner');
    await market.stop();
  });
});
