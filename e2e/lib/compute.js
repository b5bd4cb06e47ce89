// Helpers shared by the compute market tests (`compute.test.js`, `jobs.test.js`): reading events
// and holds, root calls, the runtime's storage parameters, and the setup of a compute subnet
// with staked validators and attested providers.

import { bnToU8a, stringToHex, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, randomAsU8a, xxhashAsU8a } from '@polkadot/util-crypto';

import { ANY_PRICE, MDT, claimHotkeyCall, decodeDispatchError, freshAccount, sendTxOk } from './node.js';

/** Memory of one GPU of the test machines, in MiB. */
export const VRAM = 81_920n;
/** A valid CIDv1 (raw, sha2-256) in base32 text. */
export const CID = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku';

export const u32le = (n) => bnToU8a(n, { bitLength: 32, isLe: true });
export const blockNumber = async (api, hash) => (await api.rpc.chain.getHeader(hash)).number.toNumber();
export const eventsAt = async (api, hash) => (await (await api.at(hash)).query.system.events()).map(({ event }) => event);
/** The `Compute.<method>` events among `events`. */
export const computeEvents = (events, method) => events.filter((e) => e.section === 'compute' && e.method === method);
export const optNum = (option) => (option.isSome ? option.unwrap().toNumber() : null);
export const sortBy = (list, key) => [...list].sort((x, y) => String(x[key]).localeCompare(String(y[key]), 'en', { numeric: true }));

/** The funds held from `who` by reason (`Compute.ProviderBond`, ...), at `hash`. */
export async function holdsOf(api, who, hash) {
  const holds = await (await api.at(hash)).query.balances.holds(who);
  return Object.fromEntries(holds.map(({ id, amount }) => [`${id.type}.${id.value.type}`, amount.toBigInt()]));
}

/** Root dispatches `call`; `outcome` is `Ok` or the wrapped call's error name. */
export async function sudo(api, alice, call) {
  const result = await sendTxOk(api, api.tx.sudo.sudo(call), alice);
  const sudid = result.findEvent('sudo', 'Sudid').data[0];
  return { result, outcome: sudid.isErr ? decodeDispatchError(api, sudid.asErr).name : 'Ok' };
}

/** JSON for comparison: numbers (and bigints) as decimal strings, absent and null fields dropped. */
export function canon(value) {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(canon);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, canon(v)]));
  }
  return value;
}

// What `compute_networkMetrics` should answer, built from the runtime API's SCALE records.
const COUNTERS = ['providersPending', 'providersActive', 'providersOffline', 'providersRejected', 'providersLeaving', 'gpusOnline',
  'gpusOffline', 'gpusLeased', 'vramOnlineMib', 'activeJobs', 'models', 'modelsDeprecated'];
export const countersJson = (c) => Object.fromEntries(COUNTERS.map((field) => [field, c[field].toBigInt()]));
export const totalsJson = (t) => ({ providers: t.providers.toBigInt(), gpus: t.gpus.toBigInt(), vramMib: t.vramMib.toBigInt() });
/** `JobCounters` under the RPC's names. */
export const jobCountersJson = (j) => ({
  activeInferenceJobs: j.activeInference.toBigInt(), activeTrainingJobs: j.activeTraining.toBigInt(), activeLeases: j.activeLeases.toBigInt(),
  tempo: j.tempo.toBigInt(), settledJobs: j.settledJobs.toBigInt(), settledVolume: j.settledVolume.toBigInt(),
  previousSettledJobs: j.previousSettledJobs.toBigInt(), previousSettledVolume: j.previousSettledVolume.toBigInt(),
});
export const metricsJson = (m) => ({
  ...countersJson(m.counters),
  gpusFree: m.gpusFree.toBigInt(),
  ...jobCountersJson(m.jobs),
  byGpuModel: sortBy(m.byGpuModel.map(([name, t]) => ({ gpuModel: name.toUtf8(), ...totalsJson(t) })), 'gpuModel'),
  byClass: sortBy(m.byClass.map(([cls, t]) => ({ class: cls.toNumber(), ...totalsJson(t) })), 'class'),
});

/**
 * `system.setStorage` items for runtime storage parameters (`{ Name: blocks }`): the key
 * `twox128(":Name:")`, the value a SCALE u32, both as hex.
 */
export const parameterItems = (parameters) =>
  Object.entries(parameters).map(([name, blocks]) => [u8aToHex(xxhashAsU8a(`:${name}:`, 128)), u8aToHex(u32le(blocks))]);

/** A machine's declared hardware: `gpuCount` GPUs of `gpuModel` with 80 GB each. */
export const hardwareSpec = (gpuModel, gpuCount, major, region) => ({
  gpuModel, gpuCount, vramPerGpuMib: Number(VRAM), computeCapability: { major, minor: 0 }, cpuCores: 64, ramMib: 524_288,
  diskGib: 2_000, bandwidthMbps: 10_000, region: stringToHex(region),
});

/** The bond a provider of `gpuCount` GPUs must hold: 100 MDT plus 50 MDT per GPU. */
export const requiredBond = (gpuCount) => (100n + 50n * BigInt(gpuCount)) * MDT;

/** blake2_256 of the SCALE encoding of (provider, score, verdict, salt), as the pallet checks it. */
export const attestationCommitment = (provider, [score, verdict], salt) =>
  u8aToHex(blake2AsU8a(u8aConcat(provider.publicKey, u32le(score), Uint8Array.of(verdict ? 1 : 0), salt), 256));

/** Validators with the dev coldkeys `uris`, fresh hotkeys and 1 000, 2 000, ... MDT to stake. */
export const newValidators = (keyring, uris) =>
  uris.map((uri, i) => ({ coldkey: keyring.addFromUri(uri), hotkey: freshAccount(keyring), stake: BigInt(i + 1) * 1_000n * MDT }));

/** Providers from `list` (`{ spec, reports, ... }`) with fresh coldkeys and hotkeys and their required bond. */
export const newProviders = (keyring, list) =>
  list.map((p) => ({ ...p, coldkey: freshAccount(keyring), hotkey: freshAccount(keyring), bond: requiredBond(p.spec.gpuCount) }));

/**
 * Transfers funding the setup: 10 MDT to each validator hotkey, 1 000 MDT to each provider
 * coldkey and 1 MDT to each provider hotkey (hotkeys sign commits, reveals, heartbeats and
 * job calls, so their accounts must exist).
 */
export function fundingCalls(api, validators, providers) {
  const fund = (pair, amount) => api.tx.balances.transferKeepAlive(pair.address, amount * MDT);
  return [
    ...validators.map((v) => fund(v.hotkey, 10n)),
    ...providers.flatMap((p) => [fund(p.coldkey, 1_000n), fund(p.hotkey, 1n)]),
  ];
}

/**
 * Two epochs of `netuid` in one call, for root: stake counts from the second epoch that sees
 * it, so two hand out the permits by the stake added since.
 */
export const twoEpochs = (api, netuid) =>
  api.tx.utility.batchAll([api.tx.weights.forceEpoch(netuid, 0), api.tx.weights.forceEpoch(netuid, 0)]);

/**
 * Each validator's coldkey claims its (fresh) hotkey, registers it and stakes on it; each
 * provider's coldkey claims and registers its hotkey. One batch per coldkey.
 */
export function registerNeurons(api, netuid, validators, providers) {
  return Promise.all([
    ...validators.map((v) => sendTxOk(api, api.tx.utility.batchAll([
      claimHotkeyCall(api, v.hotkey, v.coldkey),
      api.tx.registration.burnedRegister(netuid, v.hotkey.address, ANY_PRICE), api.tx.stake.addStake(v.hotkey.address, v.stake),
    ]), v.coldkey)),
    ...providers.map((p) => sendTxOk(api, api.tx.utility.batchAll([
      claimHotkeyCall(api, p.hotkey, p.coldkey), api.tx.registration.burnedRegister(netuid, p.hotkey.address, ANY_PRICE),
    ]), p.coldkey)),
  ]);
}

/** `compute.registerProvider` for `p`: its ask price (`p.askPrice`, 2 MDT by default), paid to its coldkey. */
export const registerProviderCall = (api, netuid, p) =>
  api.tx.compute.registerProvider(p.hotkey.address, netuid, p.spec, p.askPrice ?? 2n * MDT, p.coldkey.address);

/**
 * Each validator commits to its report on every provider (`p.reports[i]` for validator `i`)
 * in one batch, all validators at once. Returns the salts, `salts[validator][provider]`.
 */
export async function commitAttestations(api, validators, providers) {
  const salts = validators.map(() => providers.map(() => randomAsU8a(32)));
  await Promise.all(validators.map((v, i) => sendTxOk(api, api.tx.utility.batchAll(providers.map((p, j) =>
    api.tx.compute.attestCommit(p.hotkey.address, attestationCommitment(p.hotkey, p.reports[i], salts[i][j])))), v.hotkey)));
  return salts;
}

/** Each validator reveals its reports committed with `salts`, in one batch; resolves with the results. */
export function revealAttestations(api, validators, providers, salts) {
  return Promise.all(validators.map((v, i) => sendTxOk(api, api.tx.utility.batchAll(providers.map((p, j) =>
    api.tx.compute.attestReveal(p.hotkey.address, p.reports[i][0], p.reports[i][1], u8aToHex(salts[i][j])))), v.hotkey)));
}
