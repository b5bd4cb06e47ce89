// Passes once the node finalizes a block authored after the check started, and at least
// `blocks` blocks past the finalized head it saw then (args: blocks, default 2). The check
// waits for progress rather than measuring a rate: the DSL's `within` bounds the wait, so a
// slow but live network passes and a stalled one fails. Returns the seconds it waited.
const { sleep, connect, heads } = require("./lib.js");

async function run(nodeName, networkInfo, args) {
  const blocks = Number(args[0] ?? 2);
  const api = await connect(networkInfo, nodeName);
  try {
    const start = await heads(api);
    const target = Math.max(start.finalized + blocks, start.best + 1);
    const began = Date.now();
    let now = start;
    while (now.finalized < target) {
      await sleep(1000);
      now = await heads(api);
    }
    const seconds = Math.round((Date.now() - began) / 1000);
    console.log(
      `${nodeName}: finalized #${start.finalized} -> #${now.finalized} in ${seconds}s ` +
        `(best was #${start.best})`,
    );
    return seconds;
  } finally {
    await api.disconnect();
  }
}

module.exports = { run };
