// The compute network end to end (issue 17): a GPU market run by real agents on a 4-validator
// network. zombienet runs it on alice (compute.zndsl); it also runs standalone against one dev
// node: `node zombienet/checks/compute-network.js ws://127.0.0.1:9944` (with
// COMPUTE_TEST_SETUP_ONLY=1 it stops after the chain setup, step 1, which needs no agent).
//
// The script plays root (//Alice, through sudo) and a job poster (a luxctl wallet); the
// validators and providers are `luxtensor-agent` processes it starts, connected to bob, charlie
// and dave so their work travels by gossip:
//   1. Setup: root shortens the compute windows (`system.setStorage` of the runtime's storage
//      parameters; the node has no fast-runtime build), creates a subnet, marks it compute,
//      turns weight commit-reveal and rate limits off, keeps validator permits to two and
//      lengthens the tempo so every settled job is scored in one epoch. luxctl makes the
//      wallets (2 validators, 3 providers, 1 poster), which //Alice funds; the 5 hotkeys
//      register, the validators stake, two forced epochs give them permits, and they weigh
//      the three providers equally.
//   2. Content: the agent generates an inference model, a one-layer training model, an input
//      and a training set into a shared directory store; the poster registers both models.
//   3. Agents: 2 validators and 3 providers (the third returns wrong results). The providers
//      register, bond and serve their axons; the validators attest them. All must be Active.
//   4. Wave 1: 5 inference jobs (random, 2 replicas, quorum 2, 50% spot checks, reputation
//      at least 40%): the cheater's first wrong result halves its reputation to 25%. Wave 2:
//      5 more, a training job and a lease directly on an honest provider. The other honest
//      provider's agent is SIGKILLed right after it commits a result and started again: its
//      job must still settle. The poster terminates the lease once it was billed.
//   5. Checks: every job ends; a job without the cheater settles; honest providers are paid;
//      the cheater is slashed (WrongResult, after the defer), drops below 40% and gets no
//      later job; the lease ended Terminated after a billed period; an epoch then scores the
//      honest providers above the cheater.
//   6. Report (not asserted): settled jobs per minute, run time, each agent's peak RSS and
//      CPU time, and one agent's `luxtensor_agent_*` metrics.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const chainLib = require("./compute/chain.js");
const procs = require("./compute/procs.js");

const { MDT, sendTx, sudo } = chainLib;
const { sleep } = procs;

// Windows, in 6 s blocks: agents react once a block, so anything an agent must do (benchmark
// and commit, accept, re-run a job, reveal) gets 5 to 8 blocks.
const PARAMETERS = {
  AttestationCommitWindow: 8,
  AttestationRevealWindow: 6,
  ComputeAcceptTimeout: 6,
  ComputeReviewWindow: 8,
  ComputeResultRevealWindow: 6,
  ComputeSlashDeferDuration: 5,
  ComputeUnbondingPeriod: 20, // above the defer: a bond stays slashable until its slashes apply
  ComputeMinLeasePeriod: 5,
  ComputeMinHeartbeatInterval: 2,
  ComputeHeartbeatTimeout: 30,
};
/** Long enough that no epoch drains the compute scores while the jobs run; 10 at the end. */
const TEMPO_WHILE_RUNNING = 1000;
const FINAL_TEMPO = 10;
const MAX_VALIDATORS = 2;

const PASSWORD = "compute network test";
const VALIDATORS = [
  { wallet: "validator1", stake: 1_000n, node: "bob" },
  { wallet: "validator2", stake: 2_000n, node: "charlie" },
];
// The first honest provider gets the lease, the second is killed and restarted, the third cheats.
const PROVIDERS = [
  { wallet: "provider1", node: "bob" },
  { wallet: "provider2", node: "charlie" },
  { wallet: "provider3", node: "dave", cheat: "wrong-result" },
];
const POSTER = "poster";
/** Transfers from //Alice, MDT: the coldkeys pay stakes, bonds and escrows; hotkeys sign the agents' calls. */
const FUNDS = { validatorColdkey: 200n, providerColdkey: 1_000n, posterColdkey: 2_000n, hotkey: 10n };
const ANY_PRICE = 2n ** 128n - 1n;
const MAX_BURN_MDT = "1000";

const ASK_PRICE_MDT = "1";
const EXTRA_BOND_MDT = "50";
const WAVE_SIZE = 5;
const INFERENCE = { units: 4, deadline: 40 };
const TRAINING = { steps: 20, checkpointEvery: 5, deadline: 60 };
const LEASE = { periods: 3, periodBlocks: 5, deadline: 20 };
const MARKET_FLAGS = ["--min-class", "1", "--max-unit-price", "2", "--min-reputation", "40%"];
const MIN_REPUTATION = 400_000_000n; // 40% in Perbill parts
const RESTART_DELAY_MS = 5_000;

const FINAL_STATUSES = new Set(["Settled", "Cancelled", "Failed", "Refunded", "Terminated"]);
const PROVIDERS_ACTIVE_TIMEOUT_MS = Number(process.env.COMPUTE_TEST_ACTIVE_TIMEOUT_S ?? 480) * 1000;
const WAVE_TIMEOUT_MS = 540_000;
const SLASH_TIMEOUT_MS = 180_000;
const EPOCH_TIMEOUT_MS = 120_000;

const sum = (list) => list.reduce((a, b) => a + b, 0n);
const fmtMdt = (planck) => `${Number(planck) / Number(MDT)} MDT`;
const log = (...parts) => console.log(`[compute] ${parts.join(" ")}`);

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

// ---------------------------------------------------------------------------------------------
// 1. Setup

/** The six luxctl wallets, each a coldkey and a `default` hotkey: `{ name: { coldkey, hotkey } }`. */
async function createWallets(t) {
  const names = [...VALIDATORS.map((v) => v.wallet), ...PROVIDERS.map((p) => p.wallet), POSTER];
  const made = await Promise.all(names.map((name) => t.cli.json(["wallet", "new", "--wallet", name])));
  return Object.fromEntries(made.map((w) => [w.wallet, { coldkey: w.coldkey, hotkey: w.hotkey.address }]));
}

/** //Alice creates the subnet (a fresh owner hotkey) and funds every wallet in one batch; returns the netuid. */
async function createSubnetAndFund(t) {
  const { api, alice, wallets } = t;
  const owner = t.keyring.addFromUri(chainLib.utilCrypto.mnemonicGenerate());
  const fund = (address, mdt) => api.tx.balances.transferKeepAlive(address, mdt * MDT);
  const transfers = [
    ...VALIDATORS.map((v) => fund(wallets[v.wallet].coldkey, v.stake + FUNDS.validatorColdkey)),
    ...PROVIDERS.map((p) => fund(wallets[p.wallet].coldkey, FUNDS.providerColdkey)),
    fund(wallets[POSTER].coldkey, FUNDS.posterColdkey),
    ...[...VALIDATORS, ...PROVIDERS].map((x) => fund(wallets[x.wallet].hotkey, FUNDS.hotkey)),
  ];
  const result = await sendTx(api, api.tx.utility.batchAll([
    chainLib.claimHotkeyCall(api, owner, alice.address), api.tx.subnets.registerNetwork(owner.address, ANY_PRICE), ...transfers,
  ]), alice);
  return result.find("subnets", "NetworkRegistered").data.netuid.toNumber();
}

/** Root shortens the windows and makes the subnet a compute subnet with instant weights. */
async function configureAsRoot(t) {
  const { api, alice, netuid } = t;
  const items = chainLib.parameterItems(PARAMETERS);
  const hyperparameters = { commitRevealEnabled: false, weightsRateLimit: 1, maxAllowedValidators: MAX_VALIDATORS, tempo: TEMPO_WHILE_RUNNING };
  await sudo(api, alice, api.tx.utility.batchAll([
    api.tx.system.setStorage(items), api.tx.compute.setComputeSubnet(netuid, true), api.tx.subnets.setHyperparameters(netuid, hyperparameters),
  ]));
  for (const [key, value] of items) {
    const stored = (await api.rpc.state.getStorage(key)).toHex();
    check(stored === value, `parameter ${key} is ${stored}, set ${value}`);
  }
  const params = await t.cli.json(["subnet", "hyperparameters", String(netuid)]);
  check(params.commit_reveal_enabled === false && params.weights_rate_limit === 1 && params.max_allowed_validators === MAX_VALIDATORS &&
    params.tempo === TEMPO_WHILE_RUNNING, `subnet ${netuid}'s hyperparameters are set: ${JSON.stringify(params)}`);
}

/** luxctl registers the five hotkeys (uids in `t.uids`) and stakes on the validators. */
async function registerAndStake(t) {
  const register = (wallet) => t.cli.json(["register", "--wallet", wallet, "--netuid", String(t.netuid), "--max-burn", MAX_BURN_MDT]);
  const names = [...VALIDATORS, ...PROVIDERS].map((x) => x.wallet);
  const registered = await Promise.all(names.map(register));
  t.uids = Object.fromEntries(names.map((name, i) => [name, registered[i].uid]));
  for (const name of names) check(Number.isInteger(t.uids[name]), `luxctl register printed no uid for ${name}: ${JSON.stringify(registered)}`);
  await Promise.all(VALIDATORS.map((v) => t.cli.json(["stake", "add", "--wallet", v.wallet, "--amount", String(v.stake)])));
}

/** Columns `fields` of the subnet's metagraph at block `hash` (`metagraph_selective`). */
const metagraph = (t, fields, hash) => t.rpc("metagraph_selective", [t.netuid, fields, null, hash]);

/** Two forced epochs give the staked validators permits (and the providers none); the validators weigh the providers equally. */
async function permitsAndWeights(t) {
  const { api, alice, netuid } = t;
  // luxctl returns once the stake is in alice's best block, which a sibling block of another
  // validator can still replace: the epochs are forced once the stake is final.
  const deadline = Date.now() + EPOCH_TIMEOUT_MS;
  for (;;) {
    const at = await api.at(await api.rpc.chain.getFinalizedHead());
    const pools = await Promise.all(VALIDATORS.map((v) => at.query.stake.pools(t.wallets[v.wallet].hotkey)));
    if (pools.every((pool) => pool.isSome)) break;
    check(Date.now() < deadline, "the validators' stake is finalized");
    await sleep(2_000);
  }
  const forced = await sudo(api, alice, api.tx.utility.batchAll([api.tx.weights.forceEpoch(netuid, 0), api.tx.weights.forceEpoch(netuid, 0)]));
  const m = await metagraph(t, ["validatorPermit"], forced.blockHash.toHex());
  for (const v of VALIDATORS) check(m.validatorPermit[t.uids[v.wallet]] === true, `validator ${v.wallet} (uid ${t.uids[v.wallet]}) got a permit`);
  for (const p of PROVIDERS) check(m.validatorPermit[t.uids[p.wallet]] === false, `provider ${p.wallet} got no permit`);
  const uids = PROVIDERS.map((p) => t.uids[p.wallet]).join(",");
  await Promise.all(VALIDATORS.map((v) =>
    t.cli.json(["weights", "set", "--wallet", v.wallet, "--netuid", String(netuid), "--uids", uids, "--weights", PROVIDERS.map(() => 1).join(",")])));
}

// ---------------------------------------------------------------------------------------------
// 2. Content

/** Models and inputs generated by the agent, put in the shared store; both models registered. */
async function generateContent(t) {
  const agent = (args) => procs.exec(procs.AGENT(), args);
  const file = (name) => path.join(t.dir, "content", name);
  fs.mkdirSync(path.join(t.dir, "content"), { recursive: true });
  await agent(["model", "generate", "--seed", "7", "--dims", "16,32,8", "--out", file("inference.model")]);
  await agent(["model", "generate", "--seed", "9", "--dims", "16,4", "--out", file("training.model")]);
  await agent(["input", "generate", "--seed", "11", "--rows", "64", "--width", "16", "--out", file("inference.input")]);
  await agent(["input", "generate", "--seed", "13", "--rows", "64", "--width", "20", "--out", file("training.dataset")]);
  const put = async (name) => {
    const out = (await agent(["content", "put", file(name), "--store", t.store])).trim().split("\n");
    const cid = out[out.length - 1].trim();
    check(/^b[a-z2-7]{20,}$/.test(cid), `content put ${name} printed a CID, not '${cid}'`);
    return cid;
  };
  const cids = {
    inferenceModel: await put("inference.model"), trainingModel: await put("training.model"),
    inferenceInput: await put("inference.input"), dataset: await put("training.dataset"),
  };
  const registerModel = async (name, cid, kind) => {
    const out = await t.cli.json(["compute", "register-model", "--wallet", POSTER, "--name", name, "--cid", cid, "--version", "1.0.0", "--kind", kind]);
    check(out.id !== null && out.id !== undefined, `register-model ${name} printed no id: ${JSON.stringify(out)}`);
    return String(out.id);
  };
  const models = { inference: await registerModel("zombienet-mlp", cids.inferenceModel, "llm"), training: await registerModel("zombienet-linear", cids.trainingModel, "other") };
  log(`content: ${JSON.stringify(cids)}; models ${JSON.stringify(models)}`);
  return { cids, models };
}

// ---------------------------------------------------------------------------------------------
// 3. Agents

/**
 * The machine's first non-loopback IPv4 address: the axons are published on chain, and only a
 * development chain takes loopback endpoints.
 */
function externalIpv4() {
  const address = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === "IPv4" && !a.internal);
  check(address, "the providers' axons need a non-loopback IPv4 address on this machine");
  return address.address;
}

async function startAgents(t) {
  t.axonIp = externalIpv4();
  const ports = await procs.freePorts(VALIDATORS.length + 2 * PROVIDERS.length);
  const env = { LUXTENSOR_PASSWORD: PASSWORD };
  const common = (role, x) => [
    "--url", t.urlOf(x.node), "--wallet-path", t.walletPath, role, "--wallet", x.wallet, "--hotkey", "default", "--netuid", String(t.netuid),
    "--state-dir", path.join(t.dir, "state", x.wallet), "--store", t.store,
  ];
  t.agents = [];
  for (const v of VALIDATORS) {
    v.prometheusPort = ports.shift();
    v.agent = procs.agentProcess(v.wallet, [...common("validator", v), "--prometheus-port", String(v.prometheusPort)],
      { logPath: path.join(t.dir, `${v.wallet}.log`), env });
    t.agents.push(v.agent);
  }
  for (const p of PROVIDERS) {
    p.axonPort = ports.shift();
    p.prometheusPort = ports.shift();
    p.agent = procs.agentProcess(p.wallet, [
      ...common("provider", p), "--ask-price", ASK_PRICE_MDT, "--extra-bond", EXTRA_BOND_MDT, "--axon-ip", t.axonIp, "--axon-port", String(p.axonPort),
      "--prometheus-port", String(p.prometheusPort), ...(p.cheat ? ["--cheat", p.cheat] : []),
    ], { logPath: path.join(t.dir, `${p.wallet}.log`), env });
    t.agents.push(p.agent);
  }
  for (const a of t.agents) {
    fs.mkdirSync(path.join(t.dir, "state", a.name), { recursive: true });
    a.start();
    log(`started ${a.name} (pid ${a.pid}), log ${a.logPath}`);
  }
}

/** Fails if an agent died (other than the one being restarted). */
function checkAgentsAlive(t) {
  for (const a of t.agents ?? []) {
    if (!a.running && !a.expectedDown) {
      throw new Error(`agent ${a.name} exited (${JSON.stringify(a.exitStatus)}); log ${a.logPath}:\n${a.tail()}`);
    }
  }
}

/** `t.chain.until` that also fails as soon as an agent dies. */
function until(t, condition, what, timeoutMs) {
  return t.chain.until(() => {
    checkAgentsAlive(t);
    return condition();
  }, what, timeoutMs);
}

/** `compute_provider`'s JSON for `hotkey` (status, payout, class, bond, reputation as a fraction, ...), or null. */
const providerView = (t, hotkey) => t.rpc("compute_provider", [hotkey]);

async function waitProvidersActive(t) {
  const statuses = {};
  const poll = async () => {
    for (const p of PROVIDERS) {
      const view = await providerView(t, t.wallets[p.wallet].hotkey);
      statuses[p.wallet] = view ? view.status : "unregistered";
    }
  };
  const deadline = Date.now() + PROVIDERS_ACTIVE_TIMEOUT_MS;
  for (;;) {
    checkAgentsAlive(t);
    await poll();
    if (PROVIDERS.every((p) => statuses[p.wallet] === "Active")) break;
    if (Date.now() > deadline) {
      throw new Error(`the providers are not all Active after ${PROVIDERS_ACTIVE_TIMEOUT_MS / 1000} s: ${JSON.stringify(statuses)} ` +
        `(attestations: ${t.chain.events("AttestationRequested").length} requested, ${t.chain.events("ProviderAttested").length} attested, ` +
        `${t.chain.events("AttestationInconclusive").length} inconclusive, ${t.chain.events("ProviderRejected").length} rejected)`);
    }
    await t.chain.blocks(1);
  }
  for (const p of PROVIDERS) {
    const view = await providerView(t, t.wallets[p.wallet].hotkey);
    p.payout = view.payout;
    p.payoutBefore = (await t.api.query.system.account(p.payout)).data.free.toBigInt();
    log(`${p.wallet} Active: class ${view.class}, bond ${fmtMdt(BigInt(view.bond))}, ${view.spec.gpuCount} x ${view.spec.gpuModel}, ` +
      `reputation ${view.reputation}, payout ${p.payout}`);
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Jobs

const inferenceJob = (t) => [
  "--kind", "inference", "--units", String(INFERENCE.units), "--model", t.content.models.inference, "--input", t.content.cids.inferenceInput,
  "--deadline", String(INFERENCE.deadline), "--assignment", "random", "--replicas", "2", "--quorum", "2", "--spot-check", "50%", ...MARKET_FLAGS,
];
const trainingJob = (t) => [
  "--kind", "training", "--units", String(TRAINING.steps), "--checkpoint-every", String(TRAINING.checkpointEvery), "--model", t.content.models.training,
  "--input", t.content.cids.dataset, "--deadline", String(TRAINING.deadline), "--assignment", "random", "--replicas", "2", "--quorum", "2", ...MARKET_FLAGS,
];
const leaseJob = (t, hotkey) => [
  "--kind", "lease", "--units", String(LEASE.periods), "--period-blocks", String(LEASE.periodBlocks), "--model", t.content.models.inference,
  "--input", t.content.cids.inferenceInput, "--deadline", String(LEASE.deadline), "--assignment", `direct:${hotkey}`, "--replicas", "1", "--quorum", "1",
  ...MARKET_FLAGS,
];

/**
 * Runs the luxctl commands `argsList`, each sending one transaction from the poster's coldkey,
 * one process per command: the next starts once the previous one's transaction is in the pool
 * (its nonce taken), so they land in the same few blocks. Resolves with their JSON outputs.
 */
async function fromPosterInFlight(t, argsList) {
  const poster = t.wallets[POSTER].coldkey;
  const nextNonce = async () => (await t.api.rpc.system.accountNextIndex(poster)).toNumber();
  const runs = [];
  for (const args of argsList) {
    const before = await nextNonce();
    const run = t.cli.json(args);
    runs.push(run);
    const exited = run.then(() => true, () => true);
    while (!(await Promise.race([exited, sleep(300).then(() => false)])) && (await nextNonce()) === before);
  }
  return Promise.all(runs);
}

/** The poster posts `jobs` (each `{ kind, args }`) with `luxctl compute post`; resolves with their ids, recorded in `t.jobs`. */
async function postJobs(t, wave, jobs) {
  t.firstPostAt ??= Date.now();
  const outputs = await fromPosterInFlight(t, jobs.map((job) => ["compute", "post", "--wallet", POSTER, ...job.args]));
  return outputs.map((out, i) => {
    check(out.job !== null && out.job !== undefined, `compute post printed no job id: ${JSON.stringify(out)}`);
    const id = Number(out.job);
    t.jobs.set(id, { id, wave, kind: jobs[i].kind });
    return id;
  });
}

const jobOf = (e) => e.data.job.toNumber();
/** Every provider drawn for job `id` (replacements included) and the block of its first draw. */
function replicasOf(t, id) {
  const assigned = t.chain.events("JobAssigned", (e) => jobOf(e) === id);
  const hotkeys = new Set(assigned.flatMap((r) => r.event.data.providers.map(([hotkey]) => hotkey.toString())));
  for (const r of t.chain.events("ProviderReplaced", (e) => jobOf(e) === id)) hotkeys.add(r.event.data.replacement.toString());
  return { hotkeys, drawnAt: assigned[0]?.number ?? null };
}
/** Job `id`'s final status from its JobFinished event, or null. */
function finalStatus(t, id) {
  const finished = t.chain.events("JobFinished", (e) => jobOf(e) === id).at(-1);
  return finished ? finished.event.data.status.type : null;
}
const allFinished = (t, ids) => ids.every((id) => FINAL_STATUSES.has(finalStatus(t, id)));
const statusLine = (t, ids) => ids.map((id) => `${id}:${finalStatus(t, id) ?? "open"}`).join(" ");

async function waveOne(t) {
  const ids = await postJobs(t, 1, Array.from({ length: WAVE_SIZE }, () => ({ kind: "inference", args: inferenceJob(t) })));
  log(`wave 1: posted inference jobs ${ids.join(", ")}`);
  await until(t, () => allFinished(t, ids), `wave 1 to finish (${statusLine(t, ids)})`, WAVE_TIMEOUT_MS);
  log(`wave 1 finished: ${statusLine(t, ids)}`);
  return ids;
}

/**
 * Wave 2: inference jobs and a training job, then (once those are drawn, so the lease's GPU
 * does not keep its provider out of their draws) a lease on the first honest provider. The
 * second honest provider's agent is killed after its first commit here and restarted; the
 * lease is terminated after its first bill.
 */
async function waveTwo(t) {
  const [leaseProvider, restarted] = PROVIDERS.filter((p) => !p.cheat);
  const wave2 = new Set();
  t.restart = null;
  t.chain.onEvent(({ number, event }) => {
    if (t.restart || event.section !== "compute" || event.method !== "ResultCommitted") return;
    if (!wave2.has(jobOf(event)) || event.data.provider.toString() !== t.wallets[restarted.wallet].hotkey) return;
    t.restart = { job: jobOf(event), committedAt: number, agent: restarted.agent };
    restarted.agent.expectedDown = true;
    t.restart.done = (async () => {
      await restarted.agent.kill("SIGKILL");
      log(`killed ${restarted.wallet} (SIGKILL) after its commit on job ${t.restart.job} in block #${number}; restarting in ${RESTART_DELAY_MS / 1000} s`);
      await sleep(RESTART_DELAY_MS);
      restarted.agent.restarts += 1;
      restarted.agent.start();
      restarted.agent.expectedDown = false;
      log(`restarted ${restarted.wallet} (pid ${restarted.agent.pid})`);
    })();
    t.restart.done.catch(() => {}); // awaited below; never an unhandled rejection meanwhile
  });

  const jobs = [...Array.from({ length: WAVE_SIZE }, () => ({ kind: "inference", args: inferenceJob(t) })), { kind: "training", args: trainingJob(t) }];
  const ids = await postJobs(t, 2, jobs);
  ids.forEach((id) => wave2.add(id));
  log(`wave 2: posted inference jobs ${ids.slice(0, WAVE_SIZE).join(", ")} and training job ${ids[WAVE_SIZE]}`);
  await until(t, () => ids.every((id) => replicasOf(t, id).drawnAt !== null || finalStatus(t, id)), "the wave-2 draws", WAVE_TIMEOUT_MS);

  const [lease] = await postJobs(t, 2, [{ kind: "lease", args: leaseJob(t, t.wallets[leaseProvider.wallet].hotkey) }]);
  wave2.add(lease);
  t.lease = { id: lease, provider: leaseProvider };
  log(`wave 2: posted lease ${lease} on ${leaseProvider.wallet}`);
  const billed = until(t, () => t.chain.events("LeaseBilled", (e) => jobOf(e) === lease)[0], `lease ${lease} to be billed`, WAVE_TIMEOUT_MS);
  const terminated = billed.then(async (bill) => {
    log(`lease ${lease} billed ${bill.event.data.periods} period(s) in block #${bill.number}: the poster terminates it`);
    t.lease.terminateOutput = await t.cli.json(["compute", "terminate", String(lease), "--wallet", POSTER]);
  });
  terminated.catch(() => {}); // awaited below

  const all = [...ids, lease];
  await until(t, () => allFinished(t, all), `wave 2 to finish (${statusLine(t, all)})`, WAVE_TIMEOUT_MS);
  await terminated;
  check(t.restart !== null, `${restarted.wallet} committed no wave-2 result, so it was never killed and restarted`);
  await t.restart.done;
  log(`wave 2 finished: ${statusLine(t, all)}`);
  return { ids, lease };
}

// ---------------------------------------------------------------------------------------------
// 5. Checks

async function checkOutcomes(t, wave1, wave2) {
  const { api } = t;
  const hotkeyOf = (p) => t.wallets[p.wallet].hotkey;
  const cheater = PROVIDERS.find((p) => p.cheat);
  const honest = PROVIDERS.filter((p) => !p.cheat);
  const jobs = [...wave1, ...wave2.ids];

  // Every inference and training job ended; those the cheater was not drawn for settled.
  for (const id of jobs) {
    const status = finalStatus(t, id);
    check(FINAL_STATUSES.has(status), `job ${id} ended (${status})`);
    const { hotkeys } = replicasOf(t, id);
    if (!hotkeys.has(hotkeyOf(cheater))) check(status === "Settled", `job ${id} (replicas ${[...hotkeys]}) has no cheater: Settled, not ${status}`);
  }
  const settled = jobs.filter((id) => finalStatus(t, id) === "Settled");
  log(`jobs: ${statusLine(t, jobs)}; ${settled.length} of ${jobs.length} settled`);

  // The honest providers were paid, to their payout accounts; none was slashed.
  for (const p of honest) {
    const paid = t.chain.events("ProviderPaid", (e) => e.data.provider.toString() === hotkeyOf(p));
    check(paid.length > 0, `${p.wallet} was paid (ProviderPaid)`);
    const now = (await api.query.system.account(p.payout)).data.free.toBigInt();
    check(now > p.payoutBefore, `${p.wallet}'s payout account grew: ${fmtMdt(p.payoutBefore)} -> ${fmtMdt(now)}`);
    log(`${p.wallet}: ${paid.length} payments, ${fmtMdt(sum(paid.map((r) => r.event.data.amount.toBigInt())))}; payout account +${fmtMdt(now - p.payoutBefore)}`);
    const slashes = t.chain.events("SlashScheduled", (e) => e.data.provider.toString() === hotkeyOf(p));
    check(slashes.length === 0, `honest ${p.wallet} was never slashed (got ${slashes.map((r) => r.event.data.reason.type)})`);
  }

  // The cheater's WrongResult slashes were scheduled, then applied after the defer.
  const scheduled = t.chain.events("SlashScheduled", (e) => e.data.provider.toString() === hotkeyOf(cheater) && e.data.reason.type === "WrongResult");
  check(scheduled.length > 0, "the cheater got a WrongResult slash (SlashScheduled)");
  const slashIds = scheduled.map((r) => r.event.data.slashId.toNumber());
  const appliedOf = (id) => t.chain.events("SlashApplied", (e) => e.data.slashId.toNumber() === id)[0];
  await until(t, () => slashIds.every(appliedOf), `the cheater's slashes ${slashIds} to apply`, SLASH_TIMEOUT_MS);
  for (const r of scheduled) {
    const applied = appliedOf(r.event.data.slashId.toNumber());
    check(applied.event.data.reason.type === "WrongResult", `slash ${r.event.data.slashId} applied as WrongResult`);
    check(applied.number >= r.event.data.applyAt.toNumber() && applied.number >= r.number + PARAMETERS.ComputeSlashDeferDuration,
      `slash ${r.event.data.slashId} scheduled in #${r.number} for #${r.event.data.applyAt} applied after the defer (in #${applied.number})`);
    log(`cheater slash ${r.event.data.slashId}: scheduled #${r.number}, applied #${applied.number}, ${fmtMdt(applied.event.data.slashed.toBigInt())}`);
  }

  // Its reputation is below the jobs' 40%, and no job drawn after it fell went to it.
  const view = await providerView(t, hotkeyOf(cheater));
  check(view.reputation < Number(MIN_REPUTATION) / 1e9, `the cheater's reputation ${view.reputation} is below 40%`);
  const fell = t.chain.events("ReputationUpdated", (e) => e.data.provider.toString() === hotkeyOf(cheater) && e.data.reputation.toBigInt() < MIN_REPUTATION)[0];
  check(fell, "the cheater's reputation fell below 40% during the run (ReputationUpdated)");
  for (const id of [...wave2.ids, wave2.lease]) {
    const { hotkeys, drawnAt } = replicasOf(t, id);
    if (drawnAt !== null && drawnAt > fell.number) check(!hotkeys.has(hotkeyOf(cheater)), `wave-2 job ${id} drawn in #${drawnAt}, after the cheater fell below 40% in #${fell.number}, is not the cheater's`);
  }

  // The lease was billed, then terminated by the poster.
  const lease = wave2.lease;
  const bills = t.chain.events("LeaseBilled", (e) => jobOf(e) === lease);
  check(bills.length >= 1, `lease ${lease} was billed`);
  const leaseJson = await t.cli.json(["compute", "job", String(lease)]);
  check(leaseJson.status === "Terminated" && finalStatus(t, lease) === "Terminated", `lease ${lease} ended Terminated (luxctl says ${leaseJson.status})`);
  check(leaseJson.periodsBilled >= 1, `lease ${lease} billed ${leaseJson.periodsBilled} periods (at least 1)`);
  log(`lease ${lease}: ${bills.length} bill(s), ${leaseJson.periodsBilled} period(s), Terminated`);

  // The job of the killed and restarted provider settled, and it was paid for it.
  const { job } = t.restart;
  const restartedHotkey = t.wallets[t.restart.agent.name].hotkey;
  check(finalStatus(t, job) === "Settled", `job ${job}, committed by ${t.restart.agent.name} before it was killed, settled (${finalStatus(t, job)})`);
  check(t.chain.events("ProviderPaid", (e) => jobOf(e) === job && e.data.provider.toString() === restartedHotkey).length === 1,
    `${t.restart.agent.name} was paid for job ${job} after its restart`);
  return settled;
}

/** Root sets the tempo short: the next block's epoch scores the settled work. Honest providers beat the cheater. */
async function checkEpoch(t) {
  const { api, alice, netuid } = t;
  const cheater = PROVIDERS.find((p) => p.cheat);
  const honest = PROVIDERS.filter((p) => !p.cheat);
  const set = await sudo(api, alice, api.tx.subnets.setHyperparameters(netuid, { tempo: FINAL_TEMPO }));
  const setAt = (await api.rpc.chain.getHeader(set.blockHash)).number.toNumber();
  const epoch = await until(t, () => t.chain.events("EpochPaid", (e) => e.data.netuid.toNumber() === netuid, "emission").find((r) => r.number > setAt),
    `subnet ${netuid}'s epoch after the tempo change`, EPOCH_TIMEOUT_MS);
  const m = await metagraph(t, ["computeScore", "incentive", "emission"], epoch.hash);
  // computeScore and incentive are fractions, emission is planck as text.
  const column = (name, p) => (name === "emission" ? BigInt(m[name][t.uids[p.wallet]]) : m[name][t.uids[p.wallet]]);
  for (const p of PROVIDERS) {
    log(`epoch #${epoch.number}: ${p.wallet} uid ${t.uids[p.wallet]} computeScore ${column("computeScore", p)} incentive ${column("incentive", p)} emission ${column("emission", p)}`);
  }
  for (const p of honest) {
    check(column("computeScore", p) > column("computeScore", cheater), `${p.wallet}'s computeScore exceeds the cheater's`);
    check(column("emission", p) > column("emission", cheater), `${p.wallet}'s emission (incentive paid) exceeds the cheater's`);
  }
}

// ---------------------------------------------------------------------------------------------
// 6. Report

async function report(t, settled) {
  const settledAt = settled.map((id) => t.chain.events("JobFinished", (e) => jobOf(e) === id).at(-1).seenAt);
  if (settledAt.length && t.firstPostAt) {
    const minutes = (Math.max(...settledAt) - t.firstPostAt) / 60_000;
    log(`report: ${settled.length} jobs settled in ${minutes.toFixed(1)} min from the first post: ${(settled.length / minutes).toFixed(2)} jobs/min`);
  }
  log(`report: run time ${((Date.now() - t.startedAt) / 1000).toFixed(0)} s`);
  await printAgentUsage(t);
  const metricsAgent = VALIDATORS[0];
  try {
    const lines = await procs.metricLines(metricsAgent.prometheusPort, "luxtensor_agent_");
    log(`report: ${metricsAgent.wallet}'s metrics (port ${metricsAgent.prometheusPort}):\n${lines.join("\n")}`);
  } catch (e) {
    log(`report: no metrics from ${metricsAgent.wallet}: ${e.message}`);
  }
}

async function printAgentUsage(t) {
  for (const a of t.agents ?? []) {
    const u = a.usage();
    const since = a.restarts ? ` (since its restart)` : "";
    log(`report: ${a.name}: ${u && !u.error ? `peak RSS ${u.peakRssMib.toFixed(1)} MiB, CPU ${u.cpuSeconds.toFixed(1)} s${since}` : `not running (${u?.error ?? JSON.stringify(a.exitStatus)})`}`);
  }
}

// ---------------------------------------------------------------------------------------------

async function run(nodeName, networkInfo) {
  const t = { startedAt: Date.now(), jobs: new Map() };
  const nodes = networkInfo.nodesByName;
  t.urlOf = (name) => (nodes[name] ?? nodes[nodeName]).wsUri;
  t.dir = fs.mkdtempSync(path.join(networkInfo.tmpDir ?? os.tmpdir(), "compute-"));
  t.walletPath = path.join(t.dir, "wallets");
  t.store = `dir:${path.join(t.dir, "store")}`;
  fs.mkdirSync(path.join(t.dir, "store"), { recursive: true });
  log(`node ${nodeName} at ${t.urlOf(nodeName)}; files under ${t.dir}`);

  ({ api: t.api, rpc: t.rpc } = await chainLib.connectUrl(t.urlOf(nodeName)));
  t.keyring = chainLib.keyring(t.api);
  t.alice = t.keyring.addFromUri("//Alice");
  t.cli = procs.luxctl({ url: t.urlOf(nodeName), walletPath: t.walletPath, password: PASSWORD });
  t.chain = chainLib.followChain(t.api);
  let failed = false;
  try {
    t.wallets = await createWallets(t);
    t.netuid = await createSubnetAndFund(t);
    log(`subnet ${t.netuid}; wallets ${JSON.stringify(t.wallets)}`);
    await configureAsRoot(t);
    await registerAndStake(t);
    await permitsAndWeights(t);
    log(`setup done: uids ${JSON.stringify(t.uids)}, validators hold permits and weigh the providers`);
    if (process.env.COMPUTE_TEST_SETUP_ONLY) return t.netuid;

    t.content = await generateContent(t);
    await startAgents(t);
    await waitProvidersActive(t);
    const wave1 = await waveOne(t);
    const wave2 = await waveTwo(t);
    const settled = await checkOutcomes(t, wave1, wave2);
    await checkEpoch(t);
    await report(t, settled);
    log("passed");
    return settled.length;
  } catch (e) {
    failed = true;
    await printAgentUsage(t).catch(() => {});
    for (const a of t.agents ?? []) log(`${a.name}'s log (${a.logPath}), last lines:\n${a.tail(20)}`);
    throw e;
  } finally {
    await Promise.all((t.agents ?? []).map((a) => (failed ? a.kill("SIGKILL") : a.stop())));
    await t.chain.stop().catch(() => {});
    await t.api.disconnect().catch(() => {});
  }
}

// `run` for zombienet; the steps for development harnesses.
module.exports = { run, steps: { fromPosterInFlight, postJobs, inferenceJob, trainingJob, leaseJob, finalStatus, replicasOf, allFinished, statusLine, until } };

// Standalone: one node plays every role (`node compute-network.js ws://127.0.0.1:9944`).
if (require.main === module) {
  const url = process.argv[2] ?? "ws://127.0.0.1:9944";
  const networkInfo = { tmpDir: os.tmpdir(), nodesByName: { alice: { name: "alice", wsUri: url } } };
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));
  run("alice", networkInfo).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
