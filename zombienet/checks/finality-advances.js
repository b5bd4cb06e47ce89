// Passes when the node's finalized head advances by at least 2 blocks within the window
// (args: window seconds). Returns the number of blocks finalized in the window.
const { connect, headsOver } = require("./lib.js");

async function run(nodeName, networkInfo, args) {
  const seconds = Number(args[0] ?? 30);
  const api = await connect(networkInfo, nodeName);
  try {
    const { start, end } = await headsOver(api, seconds);
    const finalized = end.finalized - start.finalized;
    console.log(`${nodeName}: finalized #${start.finalized} -> #${end.finalized} in ${seconds}s`);
    if (finalized < 2) {
      throw new Error(`${nodeName}: finality advanced by ${finalized} blocks in ${seconds}s`);
    }
    return finalized;
  } finally {
    await api.disconnect();
  }
}

module.exports = { run };
