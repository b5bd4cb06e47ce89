// Helpers for the LuxTensor end-to-end tests: start a `--dev --tmp` node on free ports, connect
// @polkadot/api to it, wait for blocks and finality, and submit transactions.
//
// Every test file starts one node in `before` and stops it in `after` (see `describeWithNode`).

import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, decodeAddress, mnemonicGenerate } from '@polkadot/util-crypto';

/** 1 MDT in the chain's smallest unit (9 decimals). */
export const MDT = 1_000_000_000n;
/** The largest u128: a registration's or a subnet lock's price cap that lets any price through. */
export const ANY_PRICE = 2n ** 128n - 1n;
/** A metagraph page of every uid (`UidRange`; the runtime stops pages with weights or bonds at 256). */
export const ALL_UIDS = { start: 0, limit: 4096 };
/** The first page of a runtime API listing, as long as the runtime allows (`PageRequest`). */
export const FIRST_PAGE = { startAfter: null, limit: 256 };

/** Per-test timeout: blocks are 6 s, a transaction takes up to ~12 s, finality a few blocks. */
export const TEST_TIMEOUT_MS = 120_000;

const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where each test file's node writes its stdout and stderr. */
export const LOG_DIR = process.env.LUXTENSOR_E2E_LOG_DIR
  ? path.resolve(process.env.LUXTENSOR_E2E_LOG_DIR)
  : path.join(E2E_DIR, '.logs');

const RPC_READY_TIMEOUT_MS = Number(process.env.LUXTENSOR_E2E_RPC_TIMEOUT_MS || 60_000);
const FIRST_BLOCK_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

/** The cargo target directory, as `scripts/env.sh` sets it. */
const targetDir = () => process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'luxtensor', 'target');

/** The node binary: `$LUXTENSOR_NODE_BIN`, else where `scripts/env.sh` puts the release build. */
export function nodeBinary() {
  const bin = process.env.LUXTENSOR_NODE_BIN || path.join(targetDir(), 'release', 'luxtensor-node');
  if (!existsSync(bin)) {
    throw new Error(
      `LuxTensor node binary not found at ${bin}. Build it first ` +
        '(from the repository root: `source scripts/env.sh && cargo build --release -p luxtensor-node`) ' +
        'or point LUXTENSOR_NODE_BIN at an existing binary.',
    );
  }
  return bin;
}

/**
 * The runtime built with `fast-runtime` (2 s blocks, governance periods in minutes):
 * `$LUXTENSOR_FAST_RUNTIME_WASM`, else where `scripts/build-fast-runtime.sh` leaves it, next to the
 * production WASM. Warns when it is older than that one: the runtime may have changed since.
 */
export function fastRuntimeWasm() {
  const wbuild = path.join(targetDir(), 'release', 'wbuild', 'luxtensor-runtime');
  const wasm = process.env.LUXTENSOR_FAST_RUNTIME_WASM || path.join(wbuild, 'luxtensor_runtime_fast.compact.compressed.wasm');
  const hint = 'Build it with `scripts/build-fast-runtime.sh` or point LUXTENSOR_FAST_RUNTIME_WASM at one.';
  if (!existsSync(wasm)) throw new Error(`the fast-runtime WASM is not at ${wasm}. ${hint}`);
  const production = path.join(wbuild, 'luxtensor_runtime.compact.compressed.wasm');
  if (!process.env.LUXTENSOR_FAST_RUNTIME_WASM && existsSync(production) && statSync(production).mtimeMs > statSync(wasm).mtimeMs) {
    process.stderr.write(`# warning: the fast-runtime WASM at ${wasm} is older than the production runtime next to it. ${hint}\n`);
  }
  return wasm;
}

/**
 * Writes `LOG_DIR/<name>.spec.json`: the node's `dev` chain spec with the fast-runtime WASM as its
 * code, so the genesis (the dev preset) is built by that runtime. Returns its path.
 */
export function fastRuntimeChainSpec(name) {
  const spec = JSON.parse(execFileSync(nodeBinary(), ['export-chain-spec', '--chain', 'dev'], { maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] }));
  spec.genesis.runtimeGenesis.code = `0x${readFileSync(fastRuntimeWasm()).toString('hex')}`;
  mkdirSync(LOG_DIR, { recursive: true });
  const file = path.join(LOG_DIR, `${name}.spec.json`);
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

/** `count` distinct TCP ports that were free on 127.0.0.1 a moment ago. */
export async function freePorts(count) {
  const servers = [];
  try {
    const ports = [];
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      ports.push(server.address().port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(() => resolve()))));
  }
}

/** The last `lines` lines of a file, or a note that it cannot be read. */
export function tailFile(file, lines = 40) {
  try {
    const text = readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch (e) {
    return `(cannot read ${file}: ${e.message})`;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects after `ms` with `message` unless `promise` settles first. */
export function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${message}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function rpcAnswers(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] }),
      signal: AbortSignal.timeout(2_000),
    });
    if (!res.ok) return false;
    const body = await res.json();
    return body && body.result !== undefined;
  } catch {
    return false;
  }
}

const liveChildren = new Set();
process.on('exit', () => {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * Spawns `command args` (a node, or a script that execs one) with its output in
 * `LOG_DIR/<name>.log` and waits until JSON-RPC answers on `rpcPort`. Returns
 * `{ logPath, fail(why), isRunning(), stop() }`; `fail` kills the process and throws with
 * the command line and the log's tail.
 */
export async function startProcess(name, command, args, { rpcPort, env = {} }) {
  mkdirSync(LOG_DIR, { recursive: true });
  const logPath = path.join(LOG_DIR, `${name}.log`);
  const logFd = openSync(logPath, 'w');
  const child = spawn(command, args, { stdio: ['ignore', logFd, logFd], env: { ...process.env, ...env } });
  closeSync(logFd);
  liveChildren.add(child);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      liveChildren.delete(child);
      resolve(exited);
    });
  });
  child.once('error', (e) => {
    exited = exited || { code: null, signal: null, error: e };
  });

  const proc = {
    logPath,
    isRunning: () => !exited,
    async fail(why) {
      const tail = tailFile(logPath);
      if (!exited) {
        child.kill('SIGKILL');
        await exitPromise;
      }
      throw new Error(`${why}\ncommand: ${command} ${args.join(' ')}\nlog: ${logPath}\n--- log tail ---\n${tail}`);
    },
    async stop() {
      if (exited) return;
      child.kill('SIGINT');
      const stopped = await Promise.race([exitPromise, sleep(STOP_GRACE_MS).then(() => null)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exitPromise;
      }
    },
  };

  const deadline = Date.now() + RPC_READY_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      await proc.fail(`${name} exited before its RPC answered (${JSON.stringify(exited)})`);
    }
    if (await rpcAnswers(rpcPort)) return proc;
    if (Date.now() > deadline) {
      await proc.fail(`${name}: RPC on port ${rpcPort} did not answer within ${RPC_READY_TIMEOUT_MS} ms`);
    }
    await sleep(500);
  }
}

/**
 * Starts a `--dev --tmp` node on free ports, waits until its RPC answers and (by default) it
 * has authored block #1, and connects an ApiPromise to it. With `fastRuntime` the node runs
 * the `fast-runtime` WASM (`fastRuntimeChainSpec`) instead of the one it embeds.
 *
 * Returns `{ api, provider, keyring, alice, bob, logPath, ports, rpc(method, params), stop() }`.
 */
export async function startNode(name, { waitForFirstBlock = true, fastRuntime = false } = {}) {
  const bin = nodeBinary();
  const [rpcPort, p2pPort, prometheusPort] = await freePorts(3);
  const args = [
    '--dev',
    ...(fastRuntime ? ['--chain', fastRuntimeChainSpec(name)] : []),
    '--tmp',
    '--rpc-port', String(rpcPort),
    '--port', String(p2pPort),
    '--prometheus-port', String(prometheusPort),
    '--rpc-methods', 'unsafe',
    '--rpc-cors', 'all',
    '--no-telemetry',
    '--no-mdns',
    '--unsafe-force-node-key-generation',
    ...(process.env.LUXTENSOR_E2E_NODE_ARGS ? process.env.LUXTENSOR_E2E_NODE_ARGS.split(/\s+/).filter(Boolean) : []),
  ];
  const proc = await startProcess(name, bin, args, { rpcPort });
  const { logPath, fail } = proc;

  await cryptoWaitReady();
  const provider = new WsProvider(`ws://127.0.0.1:${rpcPort}`, false);
  let api;
  try {
    await withTimeout(provider.connect(), 20_000, 'websocket connect');
    api = await withTimeout(ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true }), 30_000, 'ApiPromise.create');
  } catch (e) {
    await provider.disconnect().catch(() => {});
    await fail(`cannot connect @polkadot/api: ${e.message}`);
  }

  const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 ?? 42 });
  const node = {
    name,
    api,
    provider,
    keyring,
    alice: keyring.addFromUri('//Alice'),
    bob: keyring.addFromUri('//Bob'),
    logPath,
    ports: { rpc: rpcPort, p2p: p2pPort, prometheus: prometheusPort },
    /** A raw JSON-RPC call, bypassing @polkadot/api's type checks. */
    rpc: (method, params = []) => provider.send(method, params),
    isRunning: proc.isRunning,
    async stop() {
      try {
        await api.disconnect();
      } catch {
        // the node may already be gone
      }
      await proc.stop();
    },
  };

  if (waitForFirstBlock) {
    try {
      await waitForBestNumber(api, 1, FIRST_BLOCK_TIMEOUT_MS);
    } catch (e) {
      await api.disconnect().catch(() => {});
      await fail(`node authored no block: ${e.message}`);
    }
  }
  return node;
}

/** Resolves with the first best header whose number is at least `target`. */
export function waitForBestNumber(api, target, timeoutMs = 60_000) {
  return waitForHeader(api, 'subscribeNewHeads', (n) => n >= target, timeoutMs, `best block #${target}`);
}

/** Resolves with the first finalized header whose number is at least `target`. */
export function waitForFinalizedNumber(api, target, timeoutMs = 90_000) {
  return waitForHeader(api, 'subscribeFinalizedHeads', (n) => n >= target, timeoutMs, `finalized block #${target}`);
}

/** Waits for `count` new best blocks past the current best; resolves with the last header. */
export async function waitForNewBlocks(api, count = 1, timeoutMs = 30_000 + count * 12_000) {
  const start = (await api.rpc.chain.getHeader()).number.toNumber();
  return waitForBestNumber(api, start + count, timeoutMs);
}

/** Waits for the finalized head to advance by `count` blocks; resolves with the new header. */
export async function waitForFinalizedAdvance(api, count = 1, timeoutMs = 60_000 + count * 12_000) {
  const head = await api.rpc.chain.getFinalizedHead();
  const start = (await api.rpc.chain.getHeader(head)).number.toNumber();
  return waitForFinalizedNumber(api, start + count, timeoutMs);
}

/**
 * Runs a subscription until its callback settles the promise or `timeoutMs` passes, then
 * unsubscribes. `subscribe(resolve, reject)` starts it and returns a promise of the
 * unsubscribe function (as @polkadot/api subscriptions do).
 */
function subscribeUntilSettled(timeoutMs, what, subscribe) {
  return new Promise((resolve, reject) => {
    let unsub = null;
    let done = false;
    const finish = (fn, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (unsub) unsub();
      fn(value);
    };
    const timer = setTimeout(() => finish(reject, new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    subscribe((value) => finish(resolve, value), (error) => finish(reject, error))
      .then((u) => {
        unsub = u;
        // The callback may have settled before the subscription handle arrived.
        if (done) u();
      })
      .catch((e) => finish(reject, e));
  });
}

function waitForHeader(api, subscription, accept, timeoutMs, what) {
  return subscribeUntilSettled(timeoutMs, what, (resolve) =>
    api.rpc.chain[subscription]((header) => {
      if (accept(header.number.toNumber())) resolve(header);
    }));
}

/** A human-readable name for a DispatchError: `Pallet.Error` for module errors, `Token.X` etc. */
export function decodeDispatchError(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name, docs } = api.registry.findMetaError(dispatchError.asModule);
    // `section` is the camelCase pallet name; report the runtime's own spelling (`Session`).
    const pallet = api.runtimeMetadata.asLatest.pallets
      .find((p) => p.index.eq(dispatchError.asModule.index))?.name.toString() ?? section;
    return { name: `${pallet}.${name}`, section: pallet, method: name, docs: docs.join(' ') };
  }
  // Other variants: `BadOrigin`, or `Token.BelowMinimum`, `Arithmetic.Overflow`, ... (an inner enum).
  const kind = dispatchError.type;
  const inner = dispatchError.value;
  const detail = inner && typeof inner.type === 'string' ? inner.type : null;
  const name = detail ? `${kind}.${detail}` : kind;
  return { name, section: kind, method: detail ?? kind, docs: dispatchError.toString() };
}

/**
 * Signs `tx` with `signer`, submits it and resolves once it is in a block (or finalized with
 * `{ finalized: true }`). Rejects if the pool rejects it (invalid, dropped, usurped) or on timeout.
 *
 * Resolves with `{ blockHash, txHash, events, dispatchError, error, ok, findEvent(section, method) }`
 * where `events` are the event records of this extrinsic and `error` is the decoded dispatch error.
 */
export function sendTx(api, tx, signer, { tip, nonce = -1, finalized = false, timeoutMs = 90_000 } = {}) {
  const label = `${tx.method.section}.${tx.method.method}`;
  const options = { nonce };
  if (tip !== undefined) options.tip = tip;
  const what = `${label} to be ${finalized ? 'finalized' : 'in a block'}`;
  return subscribeUntilSettled(timeoutMs, what, (resolve, reject) =>
    tx.signAndSend(signer, options, (result) => {
      const { status, events, dispatchError } = result;
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        reject(new Error(`${label} was not included: ${status.type}`));
        return;
      }
      const reached = finalized ? status.isFinalized : status.isInBlock || status.isFinalized;
      if (!reached) return;
      const blockHash = status.isInBlock ? status.asInBlock : status.asFinalized;
      const error = dispatchError ? decodeDispatchError(api, dispatchError) : null;
      resolve({
        blockHash,
        txHash: result.txHash,
        events,
        dispatchError,
        error,
        ok: !dispatchError,
        findEvent: (section, method) => events.find(({ event }) => event.section === section && event.method === method)?.event,
      });
    }));
}

/** Like `sendTx` but fails (with the decoded error) unless the call dispatched successfully. */
export async function sendTxOk(api, tx, signer, options) {
  const result = await sendTx(api, tx, signer, options);
  if (!result.ok) {
    throw new Error(`${tx.method.section}.${tx.method.method} failed: ${result.error.name} (${result.error.docs})`);
  }
  return result;
}

/** The fee an extrinsic paid, from its TransactionPayment.TransactionFeePaid event. */
export function feePaid(result) {
  const ev = result.findEvent('transactionPayment', 'TransactionFeePaid');
  if (!ev) throw new Error('no TransactionPayment.TransactionFeePaid event');
  const [who, actualFee, tip] = ev.data;
  return { who: who.toString(), actualFee: actualFee.toBigInt(), tip: tip.toBigInt(), total: actualFee.toBigInt() + tip.toBigInt() };
}

/**
 * The part of a transaction fee that is burned: the runtime pays a fifth of each fee,
 * rounded down, to the treasury (tips go to the block author).
 */
export function burnedOfFee(actualFee) {
  return actualFee - actualFee / 5n;
}

/** `system.account(address).data` as bigints, at the best block or at `blockHash`. */
export async function accountData(api, address, blockHash) {
  const at = blockHash ? await api.at(blockHash) : api;
  const { data, nonce, providers, consumers } = await at.query.system.account(address);
  return {
    free: data.free.toBigInt(),
    reserved: data.reserved.toBigInt(),
    frozen: (data.frozen ?? data.miscFrozen).toBigInt(),
    nonce: nonce.toNumber(),
    providers: providers.toNumber(),
    consumers: consumers.toNumber(),
  };
}

/** `balances.totalIssuance` as a bigint, at the best block or at `blockHash`. */
export async function totalIssuance(api, blockHash) {
  const at = blockHash ? await api.at(blockHash) : api;
  return (await at.query.balances.totalIssuance()).toBigInt();
}

/** The parent hash of block `blockHash`. */
export async function parentOf(api, blockHash) {
  return (await api.rpc.chain.getHeader(blockHash)).parentHash;
}

/** A new sr25519 key pair from a random mnemonic. */
export function freshAccount(keyring) {
  return keyring.addFromUri(mnemonicGenerate());
}

const SIGNATURE_VARIANT = { sr25519: 'Sr25519', ed25519: 'Ed25519', ecdsa: 'Ecdsa' };

/**
 * The hotkey's consent to be owned by a coldkey (an address or a key pair), as a MultiSignature:
 * its signature of `"luxtensor/hotkey-owner"` followed by the coldkey's 32-byte account id.
 * `registration.claimHotkey` and `registration.swapHotkey` (for the new hotkey) take it.
 */
export function hotkeyConsent(hotkeyPair, coldkeyAddressOrPair) {
  const coldkeyId = decodeAddress(coldkeyAddressOrPair.address ?? coldkeyAddressOrPair);
  const message = u8aConcat(stringToU8a('luxtensor/hotkey-owner'), coldkeyId);
  return { [SIGNATURE_VARIANT[hotkeyPair.type]]: hotkeyPair.sign(message) };
}

/**
 * `registration.claimHotkey` making the coldkey (which signs it) the hotkey's first owner. A hotkey
 * other than the coldkey needs it before its first `burnedRegister` or `registerNetwork`; batch the
 * two with `utility.batchAll([claim, register])`.
 */
export function claimHotkeyCall(api, hotkeyPair, coldkeyAddressOrPair) {
  return api.tx.registration.claimHotkey(hotkeyPair.address, hotkeyConsent(hotkeyPair, coldkeyAddressOrPair));
}

/** The SCALE encoding of an AccountId32 (its 32 raw public key bytes), as hex. */
export function accountIdHex(pair) {
  return u8aToHex(pair.publicKey);
}

/**
 * One `describe` block with a node of its own (on the `fast-runtime` WASM with `fastRuntime`):
 * started in `before`, stopped in `after`.
 * `body(ctx, test)` declares the tests; `ctx.node` holds the node once started, and
 * `test(title, fn, { timeout })` is `it` with the per-test timeout (TEST_TIMEOUT_MS unless given)
 * that reports the node log's path when a test fails.
 */
export function describeWithNode(name, body, { fastRuntime = false } = {}) {
  describe(name, () => {
    const ctx = { node: null, failed: false };
    before(async () => {
      ctx.node = await startNode(name, { fastRuntime });
    }, { timeout: RPC_READY_TIMEOUT_MS + FIRST_BLOCK_TIMEOUT_MS + 60_000 });
    after(async () => {
      if (ctx.node) {
        if (ctx.failed) process.stderr.write(`# [${name}] node log: ${ctx.node.logPath}\n`);
        await ctx.node.stop();
      }
    }, { timeout: STOP_GRACE_MS + 20_000 });
    const test = (title, fn, { timeout = TEST_TIMEOUT_MS } = {}) =>
      it(title, { timeout }, async (t) => {
        if (!ctx.node) throw new Error('the node did not start (see the before hook error)');
        try {
          await fn(ctx.node, t);
        } catch (e) {
          ctx.failed = true;
          t.diagnostic(`node log: ${ctx.node.logPath}`);
          throw e;
        }
      });
    body(ctx, test);
  });
}
