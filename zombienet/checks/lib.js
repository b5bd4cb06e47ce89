// Helpers shared by the zombienet js-script checks. zombienet loads these files with
// require() and provides @polkadot/api through the `zombie` global.
const fs = require("node:fs");
const path = require("node:path");

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function connect(networkInfo, nodeName) {
  const { wsUri } = networkInfo.nodesByName[nodeName];
  return zombie.ApiPromise.create({ provider: new zombie.WsProvider(wsUri), noInitWarn: true });
}

/** Best and finalized block numbers as the node sees them now. */
async function heads(api) {
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const finalizedHash = await api.rpc.chain.getFinalizedHead();
  const finalized = (await api.rpc.chain.getHeader(finalizedHash)).number.toNumber();
  return { best, finalized };
}

/** Heads at the start and at the end of a window of `seconds`. */
async function headsOver(api, seconds) {
  const start = await heads(api);
  await sleep(seconds * 1000);
  const end = await heads(api);
  return { start, end };
}

// Values one check records for a later one live in the network's temporary folder.
function recordPath(networkInfo, nodeName) {
  return path.join(networkInfo.tmpDir, `${nodeName}.heads.json`);
}

function saveRecord(networkInfo, nodeName, value) {
  fs.writeFileSync(recordPath(networkInfo, nodeName), JSON.stringify(value));
}

function loadRecord(networkInfo, nodeName) {
  return JSON.parse(fs.readFileSync(recordPath(networkInfo, nodeName), "utf8"));
}

module.exports = { sleep, connect, heads, headsOver, saveRecord, loadRecord };
