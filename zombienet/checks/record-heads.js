// Saves the node's heads so that a later check can compare against them.
const { connect, heads, saveRecord } = require("./lib.js");

async function run(nodeName, networkInfo) {
  const api = await connect(networkInfo, nodeName);
  try {
    const now = await heads(api);
    saveRecord(networkInfo, nodeName, now);
    console.log(`${nodeName}: best #${now.best}, finalized #${now.finalized}`);
    return now.finalized;
  } finally {
    await api.disconnect();
  }
}

module.exports = { run };
