// A full node joining late, from an empty database, with warp sync (GRANDPA finality proofs,
// then the state at the finalized block), and serving RPC while validators restart.
//   "start": spawn the node (`--sync warp`, the network's raw chain spec, the validators as
//            bootnodes), wait until it has the finalized head the validators had when it
//            started and reads the same state there, then leave it running with a poller
//            that calls its RPC every 250 ms.
//   "check": the poller saw no failed call, the node followed finality through the
//            restarts, and its log shows the warp sync; then both are stopped.
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { connect, heads, sleep } = require("./lib.js");

const RPC_PORT = 9988;
const P2P_PORT = 30999;

function files(networkInfo) {
  const dir = path.join(networkInfo.tmpDir, "warp-node");
  fs.mkdirSync(dir, { recursive: true });
  return {
    dir,
    log: path.join(dir, "node.log"),
    poll: path.join(dir, "poll.log"),
    pids: path.join(dir, "pids.json"),
  };
}

async function rpc(method, params = []) {
  const response = await fetch(`http://127.0.0.1:${RPC_PORT}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(5000),
  });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

async function finalizedNumber() {
  const hash = await rpc("chain_getFinalizedHead");
  const header = await rpc("chain_getHeader", [hash]);
  return { hash, number: parseInt(header.number, 16) };
}

// The poller: a separate process, so it keeps calling while zombienet restarts validators.
const POLLER = `
const fs = require("node:fs");
const [port, out] = process.argv.slice(1);
const call = async (method, params = []) => {
  const response = await fetch("http://127.0.0.1:" + port, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(5000),
  });
  const body = await response.json();
  if (body.error) throw new Error(JSON.stringify(body.error));
  return body.result;
};
(async () => {
  for (;;) {
    const started = Date.now();
    try {
      const hash = await call("chain_getFinalizedHead");
      const header = await call("chain_getHeader", [hash]);
      await call("system_health");
      fs.appendFileSync(out, "ok " + parseInt(header.number, 16) + " " + (Date.now() - started) + "\\n");
    } catch (error) {
      fs.appendFileSync(out, "fail " + error.message.replace(/\\n/g, " ") + "\\n");
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
})();
`;

async function start(networkInfo) {
  const f = files(networkInfo);
  const spec = path.join(networkInfo.tmpDir, "local-raw.json");
  const alice = await zombie.ApiPromise.create({
    provider: new zombie.WsProvider(networkInfo.nodesByName.alice.wsUri),
    noInitWarn: true,
  });
  try {
    // The validators' p2p addresses on this machine, as they report them.
    const bootnodes = [];
    for (const name of ["alice", "bob", "charlie", "dave"]) {
      const api = await connect(networkInfo, name);
      const addresses = (await api.rpc.system.localListenAddresses()).map(String);
      await api.disconnect();
      bootnodes.push(...addresses.filter((address) => address.startsWith("/ip4/127.0.0.1/")));
    }
    if (bootnodes.length === 0) throw new Error("no validator listens on 127.0.0.1");
    const target = (await heads(alice)).finalized;
    const node = spawn(
      "luxtensor-node",
      [
        "--chain", spec,
        "--base-path", path.join(f.dir, "db"),
        "--sync", "warp",
        "--port", String(P2P_PORT),
        "--rpc-port", String(RPC_PORT),
        "--no-prometheus",
        "--no-telemetry",
        "--no-mdns",
        "--bootnodes", ...bootnodes,
      ],
      { detached: true, stdio: ["ignore", fs.openSync(f.log, "a"), fs.openSync(f.log, "a")] },
    );
    node.unref();
    let exited = null;
    node.on("exit", (code) => (exited = code));
    const began = Date.now();
    for (;;) {
      if (exited !== null) throw new Error(`the node exited with ${exited}: see ${f.log}`);
      if (Date.now() - began > 240_000) throw new Error("the warp-syncing node did not catch up");
      try {
        const { hash, number } = await finalizedNumber();
        if (number >= target) {
          const seconds = ((Date.now() - began) / 1000).toFixed(1);
          console.log(`warp node: finalized #${number} (validators had #${target}) after ${seconds}s`);
          // The same state at the same block as a validator's.
          const key = alice.query.system.account.key(
            "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
          );
          const mine = await rpc("state_getStorage", [key, hash]);
          const theirs = (await alice.rpc.state.getStorage(key, hash)).toHex();
          if (mine !== theirs) throw new Error(`state differs at ${hash}: ${mine} vs ${theirs}`);
          break;
        }
      } catch (error) {
        if (!String(error.message).match(/fetch failed|ECONNREFUSED|aborted|timeout/i)) throw error;
      }
      await sleep(1000);
    }
    const poller = spawn(process.execPath, ["-e", POLLER, String(RPC_PORT), f.poll], {
      detached: true,
      stdio: "ignore",
    });
    poller.unref();
    fs.writeFileSync(f.pids, JSON.stringify({ node: node.pid, poller: poller.pid, target }));
    return 1;
  } finally {
    await alice.disconnect();
  }
}

async function check(networkInfo) {
  const f = files(networkInfo);
  const { node, poller, target } = JSON.parse(fs.readFileSync(f.pids, "utf8"));
  try {
    const lines = fs.readFileSync(f.poll, "utf8").trim().split("\n");
    const ok = lines.filter((line) => line.startsWith("ok "));
    const failed = lines.filter((line) => line.startsWith("fail "));
    const slowest = Math.max(...ok.map((line) => Number(line.split(" ")[2])));
    const last = Number(ok[ok.length - 1]?.split(" ")[1] ?? 0);
    console.log(
      `warp node: ${ok.length} RPC rounds answered, ${failed.length} failed, slowest ${slowest} ms; ` +
        `finalized #${target} -> #${last}`,
    );
    if (failed.length > 0) throw new Error(`RPC failed while validators restarted: ${failed[0]}`);
    if (ok.length < 20) throw new Error(`only ${ok.length} RPC rounds`);
    if (last <= target) throw new Error("the node did not follow finality");
    const log = fs.readFileSync(f.log, "utf8");
    if (!log.includes("Warp sync is complete")) throw new Error("the node's log shows no warp sync");
    return last;
  } finally {
    for (const pid of [poller, node]) {
      try {
        process.kill(pid, "SIGTERM");
      } catch (_) {}
    }
  }
}

async function run(nodeName, networkInfo, args) {
  return args[0] === "check" ? check(networkInfo) : start(networkInfo);
}

module.exports = { run };
