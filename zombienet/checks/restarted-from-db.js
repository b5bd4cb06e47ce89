// After a restart: the node resumed from its own database (it started syncing from at least
// the finalized block recorded before it went down, not from genesis) and caught up with the
// finalized head of a peer that stayed up (args: that peer's name).
const { connect, heads, loadRecord, sleep } = require("./lib.js");

async function run(nodeName, networkInfo, args) {
  const before = loadRecord(networkInfo, nodeName);
  const api = await connect(networkInfo, nodeName);
  const peerApi = await connect(networkInfo, args[0] ?? "alice");
  try {
    const { startingBlock } = await api.rpc.system.syncState();
    console.log(`${nodeName}: restarted at #${startingBlock}, down at finalized #${before.finalized}`);
    if (startingBlock.toNumber() < before.finalized) {
      throw new Error(`${nodeName}: started from #${startingBlock}, its database lost blocks`);
    }
    const target = (await heads(peerApi)).finalized;
    for (;;) {
      const now = await heads(api);
      if (now.finalized >= target) {
        console.log(`${nodeName}: finalized #${now.finalized}, peer had #${target}`);
        return now.finalized;
      }
      await sleep(1000);
    }
  } finally {
    await api.disconnect();
    await peerApi.disconnect();
  }
}

module.exports = { run };
