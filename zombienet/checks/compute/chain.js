// Chain helpers of the compute network test (../compute-network.js): @polkadot/api from
// zombienet's `zombie` global or, run standalone, from a node_modules of this repository;
// transactions and root calls; the runtime's storage parameters; and a follower of the best
// chain that keeps every event in order (re-reading the blocks of a branch it switches to).
const path = require("node:path");

const REPO = path.resolve(__dirname, "..", "..", "..");

/** 1 MDT in the chain's smallest unit (9 decimals). */
const MDT = 1_000_000_000n;
/** Perbill accuracy: 1.0. */
const BILLION = 1_000_000_000n;
/** A metagraph page of every uid. */
const ALL_UIDS = { start: 0, limit: 4096 };

/**
 * @polkadot/api, util and util-crypto: under zombienet the api comes from its `zombie` global
 * (util from zombienet's own node_modules); standalone, all three from e2e/node_modules if it
 * is installed, else from zombienet/node_modules.
 */
function polkadot() {
  const load = (root) => ({
    api: require(path.join(root, "@polkadot/api")),
    util: require(path.join(root, "@polkadot/util")),
    utilCrypto: require(path.join(root, "@polkadot/util-crypto")),
  });
  const roots = [path.join(REPO, "e2e", "node_modules"), path.join(REPO, "zombienet", "node_modules")];
  if (typeof zombie !== "undefined" && zombie) {
    const own = load(path.join(REPO, "zombienet", "node_modules"));
    return { ...own, api: { ApiPromise: zombie.ApiPromise, WsProvider: zombie.WsProvider, Keyring: zombie.Keyring } };
  }
  for (const root of roots) {
    try {
      return load(root);
    } catch {
      // try the next one
    }
  }
  throw new Error(`@polkadot/api not found: run 'npm ci' in e2e/ or zombienet/`);
}

const { api: polkadotApi, util, utilCrypto } = polkadot();

/**
 * `{ api, rpc }` for the node at `url`: `rpc(method, params)` calls a node JSON-RPC method
 * directly. The checks read the runtime APIs through the node's JSON-RPC (`compute_provider`,
 * `compute_job`, `metagraph_selective`): zombienet's @polkadot/api decodes metadata v14, which
 * has no runtime API types, so `api.call` lacks them there.
 */
async function connectUrl(url) {
  await utilCrypto.cryptoWaitReady();
  const provider = new polkadotApi.WsProvider(url);
  const api = await polkadotApi.ApiPromise.create({ provider, noInitWarn: true });
  return { api, rpc: (method, params = []) => provider.send(method, params) };
}

function keyring(api) {
  return new polkadotApi.Keyring({ type: "sr25519", ss58Format: api.registry.chainSS58 ?? 42 });
}

/** `Pallet.Error` (or the variant) of a DispatchError. */
function dispatchErrorName(api, error) {
  if (error.isModule) {
    const { section, name } = api.registry.findMetaError(error.asModule);
    return `${section}.${name}`;
  }
  return error.toString();
}

/** Signs and submits `tx`; resolves once it is in a block: `{ blockHash, events, find(section, method) }`. Rejects on a failed dispatch. */
function sendTx(api, tx, signer, { timeoutMs = 120_000 } = {}) {
  const label = `${tx.method.section}.${tx.method.method}`;
  return new Promise((resolve, reject) => {
    let unsubscribe = null;
    let done = false;
    const finish = (fn, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (unsubscribe) unsubscribe();
      fn(value);
    };
    const timer = setTimeout(() => finish(reject, new Error(`${label}: not in a block after ${timeoutMs} ms`)), timeoutMs);
    tx.signAndSend(signer, { nonce: -1 }, ({ status, events, dispatchError }) => {
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        finish(reject, new Error(`${label} was not included: ${status.type}`));
      } else if (status.isInBlock || status.isFinalized) {
        if (dispatchError) {
          finish(reject, new Error(`${label} failed: ${dispatchErrorName(api, dispatchError)}`));
          return;
        }
        const blockHash = status.isInBlock ? status.asInBlock : status.asFinalized;
        const find = (section, method) => events.find(({ event }) => event.section === section && event.method === method)?.event;
        finish(resolve, { blockHash, events, find });
      }
    })
      .then((u) => {
        unsubscribe = u;
        if (done) u();
      })
      .catch((e) => finish(reject, new Error(`${label}: ${e.message}`)));
  });
}

/** Root dispatches `call` (signed by the sudo key); fails unless the inner call succeeded too. */
async function sudo(api, sudoKey, call) {
  const result = await sendTx(api, api.tx.sudo.sudo(call), sudoKey);
  const sudid = result.find("sudo", "Sudid").data[0];
  if (sudid.isErr) throw new Error(`sudo(${call.method.section}.${call.method.method}) failed: ${dispatchErrorName(api, sudid.asErr)}`);
  return result;
}

/** `system.setStorage` items for the runtime's storage parameters `{ Name: blocks }`: key twox128(":Name:"), value a SCALE u32. */
function parameterItems(parameters) {
  return Object.entries(parameters).map(([name, blocks]) => [
    util.u8aToHex(utilCrypto.xxhashAsU8a(`:${name}:`, 128)),
    util.u8aToHex(util.bnToU8a(blocks, { bitLength: 32, isLe: true })),
  ]);
}

/** The hotkey's consent to be owned by `coldkeyAddress` (`registration.claimHotkey`'s signature). */
function claimHotkeyCall(api, hotkeyPair, coldkeyAddress) {
  const message = util.u8aConcat(util.stringToU8a("luxtensor/hotkey-owner"), utilCrypto.decodeAddress(coldkeyAddress));
  return api.tx.registration.claimHotkey(hotkeyPair.address, { Sr25519: hotkeyPair.sign(message) });
}

const bestNumber = async (api) => (await api.rpc.chain.getHeader()).number.toNumber();

/**
 * Follows the best chain from the current head: every block's events in order, as
 * `{ number, hash, index, seenAt, event }` records. When the best chain switches branch, the
 * blocks of the old one are dropped and the new one's read. `onEvent(fn)` calls `fn(record)`
 * for each new record (a record may come twice if its block is replaced by a sibling);
 * `until(check, what, ms)` resolves with `check()`'s first truthy value, checked after each block.
 */
function followChain(api) {
  const blocks = new Map(); // number -> { hash, records }
  const listeners = [];
  let waiters = [];
  let failure = null;
  let first = null;
  let head = null;
  let queue = Promise.resolve();

  async function readBlock(number, hash) {
    const events = await (await api.at(hash)).query.system.events();
    const seenAt = Date.now();
    return { hash: hash.toHex(), records: events.map(({ event }, index) => ({ number, hash: hash.toHex(), index, seenAt, event })) };
  }

  async function onHead(header) {
    const number = header.number.toNumber();
    if (first === null) first = number;
    // Walk back from the new head to a block we hold (or to where we started).
    const branch = [];
    let hash = header.hash;
    let n = number;
    let parent = header.parentHash;
    while (n >= first && blocks.get(n)?.hash !== hash.toHex()) {
      branch.push([n, hash]);
      if (n === first) break;
      hash = parent;
      n -= 1;
      parent = (await api.rpc.chain.getHeader(hash)).parentHash;
    }
    const forkPoint = branch.length ? branch[branch.length - 1][0] : number + 1;
    for (const key of [...blocks.keys()]) if (key >= forkPoint) blocks.delete(key);
    for (const [blockNumber, blockHash] of branch.reverse()) {
      const block = await readBlock(blockNumber, blockHash);
      blocks.set(blockNumber, block);
      for (const record of block.records) for (const fn of listeners) fn(record);
    }
    head = number;
    waiters = waiters.filter((w) => !w.check());
  }

  const unsubscribe = api.rpc.chain.subscribeNewHeads((header) => {
    queue = queue.then(() => onHead(header)).catch((e) => {
      failure = e;
      for (const w of waiters) w.fail(e);
      waiters = [];
    });
  });

  const chain = {
    get head() {
      return head;
    },
    /** Every record, in chain order. */
    records() {
      return [...blocks.keys()].sort((a, b) => a - b).flatMap((n) => blocks.get(n).records);
    },
    /** Records of `section.method` events (`compute` by default) whose event matches `filter`. */
    events(method, filter = () => true, section = "compute") {
      return chain.records().filter(({ event }) => event.section === section && event.method === method && filter(event));
    },
    onEvent(fn) {
      listeners.push(fn);
    },
    until(check, what, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what} (followed up to block #${head})`));
        }, timeoutMs);
        const waiter = {
          check() {
            let value;
            try {
              value = check();
            } catch (e) {
              this.fail(e);
              return true;
            }
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
    /** Resolves once the followed head is `count` blocks past the current one. */
    blocks(count, timeoutMs = (count + 5) * 12_000) {
      let target = head === null ? null : head + count;
      return chain.until(() => {
        if (head === null) return false;
        target ??= head + count;
        return head >= target;
      }, `${count} more block(s)`, timeoutMs);
    },
    async stop() {
      (await unsubscribe)();
      await queue;
    },
  };
  return chain;
}

module.exports = {
  MDT, BILLION, ALL_UIDS, util, utilCrypto, connectUrl, keyring, sendTx, sudo, parameterItems, claimHotkeyCall, bestNumber, followChain,
};
