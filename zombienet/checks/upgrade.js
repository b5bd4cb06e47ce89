// A live runtime upgrade (upgrade.zndsl): the network starts on the previous release's runtime
// (zombienet/upgrade/local-spec-102.json) and is upgraded to the runtime of this build, whose
// path scripts/zombienet.sh passes in LUXTENSOR_UPGRADE_WASM.
//   1. On the old runtime: a subnet with a 10-block tempo, a staked validator (also a root
//      member with root weights) and two miners; the root network's tempo is 10 too. Two
//      forced epochs give the validator its permit, it weighs the miners, and an epoch of the
//      tempo runs.
//   2. Root authorizes the new code's hash (`system.authorizeUpgrade`, through sudo) and
//      //Alice applies it (`system.applyAuthorizedUpgrade`): block C holds the new code and
//      block C+1 is the first the new runtime executes, migrations first.
//   3. The migrations ran once: pallet-emission's storage version went from 0 to 2 in C+1.
//      v1: its two root-epoch values are gone and `RootEpoch` holds what they held (or the root
//      epoch of C+1). v2: the `PendingEmission` map is gone and `EmittingSubnets` has a record
//      for the subnet with its tempo and what was pending in C, plus C+1's accrual (or drained
//      by C+1's epoch). pallet-registration and pallet-weights went from 0 to 1: their per-uid
//      maps `RegisteredAt` and `LastUpdate` are gone (step 4 checks the blocks they held);
//      so did pallet-stake, whose pool records gained the owner's shares (step 4 reads them).
//      `system.lastRuntimeUpgrade` names the new spec, and later blocks leave the versions be.
//   4. Nothing else changed: every account's balance is the same in C and C+1 except the stake
//      account, which grew by what C+1's epochs minted; the metagraph the new runtime reads at
//      C+1 has the hotkeys, coldkeys, registrations, weights and endpoints the old one read at
//      C-1, and the epoch outputs too unless an epoch ran in between; no stake fell.
//   5. Epochs go on under the new runtime: the subnet's next epoch pays the miners incentive.
// The DSL then checks that all four validators keep finalizing.
const fs = require("node:fs");

const chainLib = require("./compute/chain.js");
const { sleep } = require("./lib.js");

const { MDT, util, utilCrypto, sendTx, sudo, claimHotkeyCall, bestNumber } = chainLib;

/** The spec version of the runtime in upgrade/local-spec-102.json. */
const OLD_SPEC_VERSION = 102;
const TEMPO = 10;
const VALIDATOR_STAKE = 1_000n * MDT;
const ANY_PRICE = 2n ** 128n - 1n;
const EPOCH_TIMEOUT_MS = 180_000;
const UPGRADE_TIMEOUT_MS = 180_000;

/** Metagraph fields only registrations, weights and endpoint calls change. */
const STABLE_FIELDS = ["n", "tempo", "hotkeys", "coldkeys", "registeredAt", "lastUpdate", "weights", "axons", "prometheus"];
/** Fields each epoch rewrites. */
const EPOCH_FIELDS = [
  "lastEpochBlock", "rank", "trust", "consensus", "incentive", "dividends", "validatorTrust", "validatorPermit", "emission", "bonds",
  "computeScore",
];

const log = (...parts) => console.log(`[upgrade] ${parts.join(" ")}`);

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** `twox128(pallet) ++ twox128(item)`: the key of a storage value. */
function storageKey(pallet, item) {
  return util.u8aToHex(util.u8aConcat(utilCrypto.xxhashAsU8a(pallet, 128), utilCrypto.xxhashAsU8a(item, 128)));
}

const KEYS = {
  version: storageKey("Emission", ":__STORAGE_VERSION__:"),
  lastRootEpochBlock: storageKey("Emission", "LastRootEpochBlock"),
  subnetShares: storageKey("Emission", "SubnetShares"),
  rootEpoch: storageKey("Emission", "RootEpoch"),
  pendingEmission: storageKey("Emission", "PendingEmission"),
};

/** Per-uid maps that v1 of their pallet gathers into one value per subnet. */
const GATHERED_MAPS = [
  { pallet: "Registration", map: "RegisteredAt" },
  { pallet: "Weights", map: "LastUpdate" },
];

/** The key of `netuid` in a `Twox64Concat` map of netuids. */
function netuidKey(prefix, netuid) {
  const encoded = new Uint8Array([netuid & 0xff, netuid >> 8]); // SCALE: little-endian
  return util.u8aToHex(util.u8aConcat(util.hexToU8a(prefix), utilCrypto.xxhashAsU8a(encoded, 64), encoded));
}

/** The raw value at `key` after block `hash`, or null. */
async function raw(t, key, hash) {
  const value = await t.rpc("state_getStorage", [key, hash]);
  return value === null ? null : util.hexToU8a(value);
}

async function blockAt(t, number) {
  const hash = (await t.api.rpc.chain.getBlockHash(number)).toHex();
  return { number, hash };
}

/** Waits until `find(block)` (called on each new best block from `from` on) returns a value. */
async function waitForBlock(t, from, what, timeoutMs, find) {
  const deadline = Date.now() + timeoutMs;
  let next = from;
  while (Date.now() < deadline) {
    const best = await bestNumber(t.api);
    for (; next <= best; next++) {
      const found = await find(await blockAt(t, next));
      if (found) return found;
    }
    await sleep(1000);
  }
  throw new Error(`${what}: not seen within ${timeoutMs / 1000} s`);
}

/** The events of block `hash`, decoded with the metadata of the runtime that made it. */
async function eventsAt(t, hash) {
  return (await t.api.at(hash)).query.system.events();
}

function epochPaid(t, events) {
  return events
    .filter(({ event }) => event.section === "emission" && event.method === "EpochPaid" && event.data.netuid.toNumber() === t.netuid)
    .map(({ event }) => Object.fromEntries(["drained", "incentive", "dividends", "carried"].map((f) => [f, event.data[f].toBigInt()])));
}

/** The subnet's next epoch after block `after`: `{ number, hash, paid }`. */
function nextEpoch(t, after) {
  return waitForBlock(t, after + 1, `an epoch of subnet ${t.netuid} after #${after}`, EPOCH_TIMEOUT_MS, async (block) => {
    const [paid] = epochPaid(t, await eventsAt(t, block.hash));
    return paid ? { ...block, paid } : null;
  });
}

// ---------------------------------------------------------------------------------------------
// 1. On the old runtime

async function setUp(t) {
  const { api, alice, keyring } = t;
  const fresh = () => keyring.addFromUri(utilCrypto.mnemonicGenerate());
  t.bob = keyring.addFromUri("//Bob");
  t.validator = fresh();
  t.miners = [fresh(), fresh()];
  const coldkeys = ["//Charlie", "//Dave"].map((uri) => keyring.addFromUri(uri));
  const owner = fresh();

  const created = await sendTx(api, api.tx.utility.batchAll([
    claimHotkeyCall(api, owner, alice.address),
    api.tx.subnets.registerNetwork(owner.address, ANY_PRICE),
    // The validator's hotkey signs its fee-free weights, so its account must exist.
    api.tx.balances.transferKeepAlive(t.validator.address, MDT),
  ]), alice);
  t.netuid = created.find("subnets", "NetworkRegistered").data.netuid.toNumber();
  const fast = { tempo: TEMPO, commitRevealEnabled: false, weightsRateLimit: 1 };
  await sudo(api, alice, api.tx.utility.batchAll([
    api.tx.subnets.setHyperparameters(t.netuid, fast),
    api.tx.subnets.setHyperparameters(0, { tempo: TEMPO }),
  ]));

  const register = (hotkey, coldkey) => sendTx(api, api.tx.utility.batchAll([
    claimHotkeyCall(api, hotkey, coldkey.address), api.tx.registration.burnedRegister(t.netuid, hotkey.address, ANY_PRICE),
  ]), coldkey);
  await register(t.validator, t.bob);
  await Promise.all(t.miners.map((miner, i) => register(miner, coldkeys[i])));
  const staked = await sendTx(api, api.tx.utility.batchAll([
    api.tx.stake.addStake(t.validator.address, VALIDATOR_STAKE), api.tx.registration.rootRegister(t.validator.address),
  ]), t.bob);
  await sendTx(api, api.tx.subnets.setRootWeights([t.netuid], [1]), t.validator);
  const stakedAt = (await api.rpc.chain.getHeader(staked.blockHash)).number.toNumber();
  log(`subnet ${t.netuid}: validator staked and in the root network at #${stakedAt}`);

  // Two forced epochs give the staked validator its permit at once (stake counts at an epoch
  // once it was there at the previous one); the tempo's own epochs run from then on.
  const forced = await sudo(api, alice, api.tx.utility.batchAll([api.tx.weights.forceEpoch(t.netuid, 0), api.tx.weights.forceEpoch(t.netuid, 0)]));
  const permits = (await metagraph(t, forced.blockHash.toHex())).validatorPermit;
  check(permits[0] === true, `the validator (uid 0) has a permit: ${JSON.stringify(permits)}`);
  await sendTx(api, api.tx.weights.setWeights(t.netuid, [1, 2], [1, 3], 0), t.validator);
  const epoch = await nextEpoch(t, stakedAt);
  log(`the validator has a permit and weighs the miners 1:3; the tempo's epochs run (#${epoch.number})`);
}

const metagraph = (t, hash) => t.rpc("metagraph_get", [t.netuid, null, hash]);

// ---------------------------------------------------------------------------------------------
// 2. The upgrade

async function upgrade(t, code) {
  const { api, alice } = t;
  const codeHash = utilCrypto.blake2AsHex(code, 256);
  const started = Date.now();
  await sudo(api, alice, api.tx.system.authorizeUpgrade(codeHash));
  const applied = await sendTx(api, api.tx.system.applyAuthorizedUpgrade(util.u8aToHex(code)), alice, { timeoutMs: UPGRADE_TIMEOUT_MS });
  check(applied.find("system", "CodeUpdated"), "system.CodeUpdated in the block that applied the code");
  const codeBlock = (await api.rpc.chain.getHeader(applied.blockHash)).number.toNumber();
  log(`${code.length} bytes of code (blake2 ${codeHash}) applied in #${codeBlock}, ${Date.now() - started} ms after authorizing`);

  const first = await waitForBlock(t, codeBlock + 1, "the first block of the new runtime", UPGRADE_TIMEOUT_MS, async (b) => b);
  const version = await t.rpc("state_getRuntimeVersion", [first.hash]);
  check(version.specVersion > OLD_SPEC_VERSION, `the runtime after #${first.number} is spec ${version.specVersion}`);
  log(`spec ${OLD_SPEC_VERSION} -> ${version.specVersion}; #${first.number} is the first block it executed`);
  return {
    before: await blockAt(t, codeBlock - 1),
    code: await blockAt(t, codeBlock),
    first,
    specVersion: version.specVersion,
  };
}

// ---------------------------------------------------------------------------------------------
// 3. The migration

async function checkMigration(t, up) {
  const { api } = t;
  const version = async (hash) => util.u8aToNumber((await raw(t, KEYS.version, hash)) ?? new Uint8Array([0, 0]));
  check((await version(up.code.hash)) === 0, "pallet-emission is at storage version 0 before the upgrade");
  const lastBlock = await raw(t, KEYS.lastRootEpochBlock, up.code.hash);
  const shares = await raw(t, KEYS.subnetShares, up.code.hash);
  check(lastBlock !== null, "the old runtime ran root epochs (LastRootEpochBlock is set)");
  const old = {
    block: util.u8aToNumber(lastBlock),
    shares: shares === null ? [] : api.createType("Vec<(u16,u64)>", shares).map(([n, s]) => [n.toNumber(), s.toBigInt()]),
  };

  const pendingBefore = await raw(t, netuidKey(KEYS.pendingEmission, t.netuid), up.code.hash);
  check(pendingBefore !== null, `the old runtime kept subnet ${t.netuid}'s pending emission in PendingEmission`);
  const pending = api.createType("u128", pendingBefore).toBigInt();

  check((await version(up.first.hash)) === 2, `pallet-emission is at storage version 2 after #${up.first.number}`);
  check((await raw(t, KEYS.lastRootEpochBlock, up.first.hash)) === null, "LastRootEpochBlock is gone");
  check((await raw(t, KEYS.subnetShares, up.first.hash)) === null, "SubnetShares is gone");
  const at = await api.at(up.first.hash);
  const record = (await at.query.emission.rootEpoch()).unwrap();
  const migrated = { block: record.block.toNumber(), shares: record.shares.map(([n, s]) => [n.toNumber(), s.toBigInt()]) };
  const events = await eventsAt(t, up.first.hash);
  const rootEpochRan = events.some(({ event }) => event.section === "emission" && event.method === "SubnetSharesSet");
  if (rootEpochRan) {
    check(migrated.block === up.first.number, `the root epoch of #${up.first.number} renewed the record`);
  } else {
    check(migrated.block === old.block && JSON.stringify(migrated.shares) === JSON.stringify(old.shares),
      `RootEpoch ${JSON.stringify(migrated, bigints)} holds the v0 values ${JSON.stringify(old, bigints)}`);
  }
  const left = await t.rpc("state_getKeysPaged", [KEYS.pendingEmission, 10, null, up.first.hash]);
  check(left.length === 0, `PendingEmission is gone (${left.length} keys left)`);
  const subnets = (await at.query.emission.emittingSubnets()).map((subnet) => ({
    netuid: subnet.netuid.toNumber(), pending: subnet.pending.toBigInt(), tempo: subnet.tempo.toNumber(),
  }));
  const subnet = subnets.find(({ netuid }) => netuid === t.netuid);
  check(subnets.length === 1 && subnet?.tempo === TEMPO, `EmittingSubnets is subnet ${t.netuid} with tempo ${TEMPO}: ${JSON.stringify(subnets, bigints)}`);
  // C+1 accrued at most one block's emission (under 1 MDT) on top of what was pending in C,
  // or its epoch drained both.
  const [paid] = epochPaid(t, events);
  const grew = (paid ? paid.drained : subnet.pending) - pending;
  check(grew > 0n && grew < MDT, `subnet ${t.netuid} kept its ${pending} pending (+${grew} in #${up.first.number})`);

  for (const { pallet, map } of GATHERED_MAPS) {
    const palletVersion = async (hash) => util.u8aToNumber((await raw(t, storageKey(pallet, ":__STORAGE_VERSION__:"), hash)) ?? new Uint8Array([0, 0]));
    const keys = (hash) => t.rpc("state_getKeysPaged", [storageKey(pallet, map), 10, null, hash]);
    check((await palletVersion(up.code.hash)) === 0 && (await keys(up.code.hash)).length > 0,
      `the old runtime kept ${pallet}.${map} at storage version 0`);
    check((await palletVersion(up.first.hash)) === 1, `${pallet} is at storage version 1 after #${up.first.number}`);
    check((await keys(up.first.hash)).length === 0, `${pallet}.${map} is gone`);
  }

  const stakeVersion = async (hash) => util.u8aToNumber((await raw(t, storageKey("Stake", ":__STORAGE_VERSION__:"), hash)) ?? new Uint8Array([0, 0]));
  check((await stakeVersion(up.code.hash)) === 0 && (await stakeVersion(up.first.hash)) === 1,
    `Stake went from storage version 0 to 1 in #${up.first.number}`);

  const upgraded = (await at.query.system.lastRuntimeUpgrade()).unwrap();
  check(upgraded.specVersion.toNumber() === up.specVersion, `lastRuntimeUpgrade is spec ${upgraded.specVersion}`);
  log(`migration v1 in #${up.first.number}: root epoch of #${old.block} with ${old.shares.length} shares -> RootEpoch ` +
    `${JSON.stringify(migrated, bigints)}${rootEpochRan ? " (renewed by that block's root epoch)" : ""}`);
  log(`migration v2: ${pending} pending -> EmittingSubnets ${JSON.stringify(subnets, bigints)}${paid ? ` (an epoch drained ${paid.drained})` : ""}`);
  log(`migrations v1 of ${GATHERED_MAPS.map(({ pallet, map }) => `${pallet}.${map}`).join(" and ")}: one value per subnet`);
}

const bigints = (_, value) => (typeof value === "bigint" ? value.toString() : value);

/** Later: the version stays 2 and the record changes only with root epochs. */
async function checkRanOnce(t, up) {
  const later = await waitForBlock(t, up.first.number + 3, "three blocks after the upgrade", 120_000, async (b) => b);
  const version = util.u8aToNumber(await raw(t, KEYS.version, later.hash));
  check(version === 2, `pallet-emission is still at version 2 at #${later.number}`);
  check((await raw(t, KEYS.lastRootEpochBlock, later.hash)) === null, "no v0 value came back");
  const upgrades = [];
  for (let n = up.first.number + 1; n <= later.number; n++) {
    const events = await eventsAt(t, (await blockAt(t, n)).hash);
    if (events.some(({ event }) => event.section === "system" && event.method === "CodeUpdated")) upgrades.push(n);
  }
  check(upgrades.length === 0, `no further code change after the upgrade (in ${upgrades})`);
}

// ---------------------------------------------------------------------------------------------
// 4. The same state

async function accounts(t, hash) {
  const entries = await (await t.api.at(hash)).query.system.account.entries();
  return new Map(entries.map(([key, info]) => [key.args[0].toString(), info.data.free.toBigInt() + info.data.reserved.toBigInt()]));
}

async function checkSameState(t, up) {
  const { api } = t;
  const block = await api.rpc.chain.getBlock(up.first.hash);
  check(block.block.extrinsics.length === 1, `#${up.first.number} holds only the timestamp inherent`);
  const [before, after] = [await accounts(t, up.code.hash), await accounts(t, up.first.hash)];
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((who) => before.get(who) !== after.get(who));
  const issuance = async (hash) => (await (await api.at(hash)).query.balances.totalIssuance()).toBigInt();
  const minted = (await issuance(up.first.hash)) - (await issuance(up.code.hash));
  const paid = epochPaid(t, await eventsAt(t, up.first.hash)).reduce((sum, e) => sum + e.drained - e.carried, 0n);
  check(minted === paid, `#${up.first.number} minted ${minted}, what its epochs paid (${paid})`);
  if (paid === 0n) {
    check(changed.length === 0, `no balance changed in #${up.first.number}: ${changed}`);
  } else {
    check(changed.length === 1 && after.get(changed[0]) - (before.get(changed[0]) ?? 0n) === paid,
      `only the stake account changed in #${up.first.number}, by what the epoch paid: ${changed}`);
  }
  log(`${before.size} accounts: ${changed.length} changed in #${up.first.number} (the epoch's ${paid} minted into stake)`);

  const [old, now] = [await metagraph(t, up.before.hash), await metagraph(t, up.first.hash)];
  const same = (field) => JSON.stringify(old[field]) === JSON.stringify(now[field]);
  for (const field of STABLE_FIELDS) check(same(field), `metagraph ${field}: ${JSON.stringify(old[field])} -> ${JSON.stringify(now[field])}`);
  const epochBetween = [];
  for (const b of [up.code, up.first]) {
    if (epochPaid(t, await eventsAt(t, b.hash)).length > 0) epochBetween.push(b.number);
  }
  if (epochBetween.length === 0) {
    for (const field of EPOCH_FIELDS) check(same(field), `metagraph ${field}: ${JSON.stringify(old[field])} -> ${JSON.stringify(now[field])}`);
  }
  old.stake.forEach((stake, uid) => check(BigInt(now.stake[uid]) >= BigInt(stake), `uid ${uid}'s stake fell: ${stake} -> ${now.stake[uid]}`));
  log(`metagraph of subnet ${t.netuid} (${now.n} uids) read the same by both runtimes` +
    (epochBetween.length ? ` (epoch outputs renewed in #${epochBetween})` : ", epoch outputs included"));
}

// ---------------------------------------------------------------------------------------------

async function run(nodeName, networkInfo) {
  const wasmPath = process.env.LUXTENSOR_UPGRADE_WASM;
  check(wasmPath && fs.existsSync(wasmPath), `LUXTENSOR_UPGRADE_WASM names the new runtime (${wasmPath}); run through scripts/zombienet.sh`);
  const code = fs.readFileSync(wasmPath);
  const { api, rpc } = await chainLib.connectUrl(networkInfo.nodesByName[nodeName].wsUri);
  try {
    const t = { api, rpc, keyring: chainLib.keyring(api) };
    t.alice = t.keyring.addFromUri("//Alice");
    const running = api.runtimeVersion.specVersion.toNumber();
    check(running === OLD_SPEC_VERSION, `the network starts on spec ${OLD_SPEC_VERSION}, not ${running}`);
    const started = Date.now();
    await setUp(t);
    const up = await upgrade(t, code);
    await checkMigration(t, up);
    await checkSameState(t, up);
    await checkRanOnce(t, up);
    const epoch = await nextEpoch(t, up.first.number);
    check(epoch.paid.incentive > 0n, `the epoch of #${epoch.number} under the new runtime pays the miners: ${JSON.stringify(epoch.paid, bigints)}`);
    log(`the new runtime's epoch at #${epoch.number} paid ${JSON.stringify(epoch.paid, bigints)}; ${Math.round((Date.now() - started) / 1000)} s in all`);
  } finally {
    await api.disconnect();
  }
}

module.exports = { run };
