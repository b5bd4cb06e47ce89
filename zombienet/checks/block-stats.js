// Watches the node for `count` new blocks (args: count) and prints the network's medians:
// block time (from the blocks' timestamps, over the whole chain) and finality lag (in blocks,
// and in seconds from a block's import to its finalization). Reports figures, asserts none.
const { connect } = require("./lib.js");

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function run(nodeName, networkInfo, args) {
  const count = Number(args[0] ?? 10);
  const api = await connect(networkInfo, nodeName);
  try {
    const importedAt = new Map();
    const lagBlocks = [];
    const lagSeconds = [];
    let finalized = 0;
    await new Promise((resolve, reject) => {
      let unsubscribeNew;
      let unsubscribeFinalized;
      const done = () => {
        unsubscribeNew();
        unsubscribeFinalized();
        resolve();
      };
      api.rpc.chain
        .subscribeFinalizedHeads((header) => {
          const now = Date.now();
          for (let n = finalized + 1; n <= header.number.toNumber(); n++) {
            if (importedAt.has(n)) lagSeconds.push((now - importedAt.get(n)) / 1000);
          }
          finalized = header.number.toNumber();
          if (lagSeconds.length >= count) done();
        })
        .then((unsubscribe) => (unsubscribeFinalized = unsubscribe), reject);
      api.rpc.chain
        .subscribeNewHeads((header) => {
          const n = header.number.toNumber();
          if (!importedAt.has(n)) importedAt.set(n, Date.now());
          if (finalized > 0) lagBlocks.push(n - finalized);
        })
        .then((unsubscribe) => (unsubscribeNew = unsubscribe), reject);
    });

    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const timestamps = [];
    for (let n = 1; n <= best; n++) {
      const hash = await api.rpc.chain.getBlockHash(n);
      timestamps.push((await api.query.timestamp.now.at(hash)).toNumber());
    }
    const blockTimes = timestamps.slice(1).map((t, i) => (t - timestamps[i]) / 1000);
    console.log(
      `block time median ${median(blockTimes)} s over ${blockTimes.length} blocks; ` +
        `finality lag median ${median(lagBlocks)} blocks, ` +
        `${median(lagSeconds).toFixed(1)} s from import over ${lagSeconds.length} blocks`,
    );
    return median(blockTimes);
  } finally {
    await api.disconnect();
  }
}

module.exports = { run };
