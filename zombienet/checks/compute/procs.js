// Processes of the compute network test (../compute-network.js): the `luxctl` and
// `luxtensor-agent` binaries, one-shot commands, the long-running agents (output in log files,
// always killed when this process exits), their peak memory and CPU time from /proc, and free
// local ports.
const { execFile, spawn } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `name` from $PATH (scripts/zombienet.sh puts the release directory there), else from the release build. */
function binary(name, envVar) {
  if (process.env[envVar]) return process.env[envVar];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  const target = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), ".cache", "luxtensor", "target");
  return path.join(target, "release", name);
}

const LUXCTL = () => binary("luxctl", "LUXCTL_BIN");
const AGENT = () => binary("luxtensor-agent", "LUXTENSOR_AGENT_BIN");

/** Runs `command args` to the end; resolves with its stdout, rejects with its stderr on a non-zero exit. */
function exec(command, args, { env = {}, timeoutMs = 180_000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${path.basename(command)} ${args.join(" ")} failed (${error.code ?? error.signal}):\n${stderr || stdout}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/**
 * A luxctl bound to one node and one wallet directory: `run(args)` resolves with stdout,
 * `json(args)` with `--json` output parsed. Transactions are sent without asking (`-y`).
 */
function luxctl({ url, walletPath, password }) {
  const run = (args) => exec(LUXCTL(), ["--url", url, "--wallet-path", walletPath, "-y", ...args], { env: { LUXCTL_PASSWORD: password } });
  return { run, json: async (args) => JSON.parse(await run(["--json", ...args])) };
}

// Every agent still running when this process exits is killed.
const live = new Set();
process.on("exit", () => {
  for (const child of live) {
    try {
      child.kill("SIGKILL");
    } catch {
      // gone already
    }
  }
});

/**
 * A long-running `luxtensor-agent args` with its stdout and stderr appended to `logPath`.
 * `start()`, `kill(signal)` (resolves when it has exited), `stop()` (SIGTERM, then SIGKILL
 * after a grace), `usage()` (peak RSS and CPU seconds of the running process).
 */
function agentProcess(name, args, { logPath, env = {} }) {
  let child = null;
  let exited = null;
  const agent = {
    name,
    args,
    logPath,
    restarts: 0,
    get pid() {
      return child?.pid;
    },
    get running() {
      return child !== null && exited === null;
    },
    start() {
      if (agent.running) throw new Error(`${name} is already running`);
      const fd = fs.openSync(logPath, "a");
      fs.writeSync(fd, `\n=== ${new Date().toISOString()} start: ${AGENT()} ${args.join(" ")}\n`);
      child = spawn(AGENT(), args, { stdio: ["ignore", fd, fd], env: { ...process.env, ...env } });
      fs.closeSync(fd);
      exited = null;
      const current = child;
      live.add(current);
      current.exitPromise = new Promise((resolve) => {
        current.once("exit", (code, signal) => {
          live.delete(current);
          if (current === child) exited = { code, signal };
          resolve({ code, signal });
        });
      });
      current.once("error", (e) => {
        if (current === child) exited = { error: e.message };
      });
    },
    /** Whether it died on its own: `{ code, signal }` or null. */
    get exitStatus() {
      return exited;
    },
    async kill(signal = "SIGKILL") {
      if (!agent.running) return;
      child.kill(signal);
      await child.exitPromise;
    },
    async stop(graceMs = 10_000) {
      if (!agent.running) return;
      child.kill("SIGTERM");
      const stopped = await Promise.race([child.exitPromise, sleep(graceMs).then(() => null)]);
      if (!stopped) await agent.kill("SIGKILL");
    },
    async restart() {
      await agent.kill("SIGKILL");
      agent.restarts += 1;
      agent.start();
    },
    /** Peak resident memory (VmHWM, KiB) and CPU seconds (utime + stime) of the running process. */
    usage() {
      if (!agent.running) return null;
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
        const hwm = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
        // Fields after "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based).
        const stat = fs.readFileSync(`/proc/${child.pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const CLK_TCK = 100;
        const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
        return { peakRssMib: hwm / 1024, cpuSeconds };
      } catch (e) {
        return { error: e.message };
      }
    },
    /** The last `lines` lines of its log. */
    tail(lines = 30) {
      try {
        return fs.readFileSync(logPath, "utf8").split("\n").slice(-lines - 1).join("\n");
      } catch (e) {
        return `(no log: ${e.message})`;
      }
    },
  };
  return agent;
}

/** `count` distinct TCP ports that were free on 127.0.0.1 a moment ago. */
async function freePorts(count) {
  const servers = [];
  try {
    const ports = [];
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", resolve);
      });
      ports.push(server.address().port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(() => resolve()))));
  }
}

/** The lines of an agent's Prometheus page that start with `prefix`. */
async function metricLines(port, prefix) {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`GET /metrics on port ${port}: HTTP ${res.status}`);
  return (await res.text()).split("\n").filter((line) => line.startsWith(prefix));
}

module.exports = { sleep, binary, LUXCTL, AGENT, exec, luxctl, agentProcess, freePorts, metricLines };
