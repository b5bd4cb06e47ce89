// Passes when, over the window, the node keeps importing blocks but its finalized head does
// not move (args: window seconds). Returns the number of blocks imported in the window.
const { connect, headsOver } = require("./lib.js");

async function run(nodeName, networkInfo, args) {
  const seconds = Number(args[0] ?? 60);
  const api = await connect(networkInfo, nodeName);
  try {
    const { start, end } = await headsOver(api, seconds);
    console.log(
      `${nodeName}: best #${start.best} -> #${end.best}, ` +
        `finalized #${start.finalized} -> #${end.finalized} in ${seconds}s`,
    );
    if (end.finalized !== start.finalized) {
      throw new Error(`${nodeName}: finality moved without a 2/3 supermajority`);
    }
    if (end.best <= start.best) {
      throw new Error(`${nodeName}: no block authored in ${seconds}s`);
    }
    return end.best - start.best;
  } finally {
    await api.disconnect();
  }
}

module.exports = { run };
