// The container files, checked against the node they package (there is no docker engine on
// the build machines): the Dockerfile copies paths that exist, runs as non-root and exposes
// the node's ports; every flag is one the node accepts; and the compose network, its
// entrypoints and commands run natively (container paths mapped onto the repository and a
// temporary folder per volume, ports moved to free ones), inserts its session keys, peers
// and finalizes.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { parse as parseYaml } from 'yaml';

import { freePorts, nodeBinary, startProcess, waitForFinalizedNumber } from '../lib/node.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NETWORK_TIMEOUT_MS = 240_000;
// Substrate's default ports: p2p, JSON-RPC, Prometheus.
const NODE_PORTS = [30333, 9944, 9615];
const VALIDATORS = ['alice', 'bob', 'charlie', 'dave'];

/** The final (runtime) stage of the Dockerfile: its COPY mappings, ports, user, entrypoint, cmd. */
function parseDockerfile(file) {
  const instructions = readFileSync(file, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest, text: line.slice(keyword.length).trim() };
    });
  const lastFrom = instructions.map((i) => i.keyword).lastIndexOf('FROM');
  const stage = instructions.slice(lastFrom);
  const copies = stage
    .filter((i) => i.keyword === 'COPY')
    .map(({ args }) => {
      const from = args.find((a) => a.startsWith('--from='))?.slice('--from='.length) ?? null;
      const [source, destination] = args.filter((a) => !a.startsWith('--'));
      return { from, source, destination };
    });
  const json = (keyword) => JSON.parse(stage.find((i) => i.keyword === keyword)?.text ?? 'null');
  return {
    copies,
    exposed: stage.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.map(Number)),
    user: stage.filter((i) => i.keyword === 'USER').at(-1)?.args[0] ?? 'root',
    entrypoint: json('ENTRYPOINT'),
    cmd: json('CMD'),
  };
}

const dockerfile = parseDockerfile(path.join(ROOT, 'docker', 'Dockerfile'));
const compose = parseYaml(readFileSync(path.join(ROOT, 'docker', 'docker-compose.yml'), 'utf8'), { merge: true });

/**
 * Where a path inside the image comes from on this machine: a file copied from the
 * repository, or the node binary copied from the build stage.
 */
function hostPath(containerPath) {
  for (const { from, source, destination } of dockerfile.copies) {
    if (containerPath === destination || containerPath.startsWith(`${destination}/`)) {
      const rest = containerPath.slice(destination.length);
      if (from === null) return path.join(ROOT, source + rest);
      if (path.basename(source) === 'luxtensor-node' && rest === '') return nodeBinary();
    }
  }
  return null;
}

/** The long flags `luxtensor-node [subcommand] --help` lists. */
function nodeFlags(...subcommand) {
  const help = execFileSync(nodeBinary(), [...subcommand, '--help'], { encoding: 'utf8' });
  return new Set(help.match(/--[a-z0-9][a-z0-9-]*/g));
}

const flagName = (arg) => arg.split('=')[0];

describe('docker', () => {
  it('the image copies files that exist, runs as non-root and exposes the node ports', () => {
    for (const { source } of dockerfile.copies.filter((c) => c.from === null)) {
      assert.ok(existsSync(path.join(ROOT, source)), `COPY ${source}: no such path in the repository`);
    }
    assert.notEqual(dockerfile.user, 'root', 'the node must not run as root');
    assert.deepEqual([...dockerfile.exposed].sort(), [...NODE_PORTS].sort());
    assert.equal(hostPath(dockerfile.entrypoint[0]), nodeBinary(), 'ENTRYPOINT is the copied node binary');
    for (const arg of dockerfile.cmd.filter((a) => a.startsWith('/chain-specs/'))) {
      assert.ok(existsSync(hostPath(arg)), `CMD names ${arg}, which the image lacks`);
    }
  });

  it('the validator start script and its default paths are in the image', () => {
    const script = hostPath('/usr/local/bin/validator-start.sh');
    assert.ok(script && existsSync(script), 'validator-start.sh is copied into the image');
    const defaults = [...readFileSync(script, 'utf8').matchAll(/:-(\/[^}]+)\}/g)].map((m) => m[1]);
    assert.ok(defaults.length >= 2, 'the script has default paths');
    for (const containerPath of defaults.filter((p) => p !== '/data')) {
      assert.ok(hostPath(containerPath) && existsSync(hostPath(containerPath)), `${containerPath} is not in the image`);
    }
  });

  it('every flag in the Dockerfile, the compose file and the start script is accepted by the node', () => {
    const flags = nodeFlags();
    const used = [...dockerfile.cmd, ...Object.values(compose.services).flatMap((s) => s.command ?? [])]
      .filter((arg) => arg.startsWith('--'))
      .map(flagName);
    for (const flag of used) assert.ok(flags.has(flag), `luxtensor-node has no flag ${flag}`);

    // Each `"$node" <subcommand> --flags` the start script runs.
    const script = readFileSync(hostPath('/usr/local/bin/validator-start.sh'), 'utf8');
    const invocations = script
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.trim().replace(/^exec /, ''))
      .filter((line) => line.startsWith('"$node"'));
    assert.equal(invocations.length, 4, 'two key inserts, a node key, the node');
    for (const line of invocations) {
      const words = line.split(/\s+/).slice(1);
      const subcommand = words.slice(0, words.findIndex((w) => w.startsWith('--')));
      const accepted = nodeFlags(...subcommand);
      for (const flag of words.filter((w) => w.startsWith('--'))) {
        assert.ok(accepted.has(flag), `luxtensor-node ${subcommand.join(' ')} has no flag ${flag}`);
      }
    }
  });

  it('compose runs the image with published ports it exposes and a volume per node', () => {
    assert.deepEqual(Object.keys(compose.services).sort(), [...VALIDATORS, 'rpc'].sort());
    for (const [name, service] of Object.entries(compose.services)) {
      assert.equal(service.image, 'luxtensor-node:local', `${name} runs the LuxTensor image`);
      for (const mapping of service.ports ?? []) {
        const containerPort = Number(String(mapping).split(':').at(-1));
        assert.ok(dockerfile.exposed.includes(containerPort), `${name} publishes ${containerPort}, not exposed`);
      }
      assert.deepEqual(service.volumes, [`${name}:/data`]);
      assert.ok(name in compose.volumes, `volume ${name} is declared`);
    }
    for (const name of VALIDATORS) {
      assert.equal(hostPath(compose.services[name].entrypoint[0]), hostPath('/usr/local/bin/validator-start.sh'));
      assert.match(compose.services[name].environment.SESSION_SEED, new RegExp(`^//${name}$`, 'i'));
    }
  });

  describe('the compose network, run natively', () => {
    const started = [];
    const baseDirs = [];
    let api;

    after(async () => {
      await api?.disconnect().catch(() => {});
      await Promise.all(started.map(({ proc }) => proc.stop()));
      for (const dir of baseDirs) rmSync(dir, { recursive: true, force: true });
    });

    it('validators insert their session keys, peer with the bootnode and finalize', { timeout: NETWORK_TIMEOUT_MS }, async () => {
      const services = Object.entries(compose.services);
      const ports = await freePorts(services.length * 3);
      const portsOf = Object.fromEntries(services.map(([name], i) => [name, ports.slice(i * 3, i * 3 + 3)]));
      const [aliceP2p] = portsOf.alice;

      for (const [name, service] of services) {
        const baseDir = mkdtempSync(path.join(os.tmpdir(), `luxtensor-compose-${name}-`));
        baseDirs.push(baseDir);
        const [p2p, rpc, prometheus] = portsOf[name];
        const mapArg = (arg) =>
          arg
            .replace(/(^|=)\/data$/, `$1${baseDir}`)
            .replace(/(^|=)(\/chain-specs\/\S+)$/, (_, prefix, p) => prefix + hostPath(p))
            .replace('/dns/alice/tcp/30333/', `/ip4/127.0.0.1/tcp/${aliceP2p}/`);
        const args = [
          ...(service.command ?? []).map(mapArg),
          `--port=${p2p}`,
          `--rpc-port=${rpc}`,
          `--prometheus-port=${prometheus}`,
          '--no-mdns',
        ];
        const entrypoint = service.entrypoint ?? dockerfile.entrypoint;
        const env = {
          ...service.environment,
          CHAIN: hostPath('/chain-specs/local.raw.json'),
          BASE_PATH: baseDir,
          NODE_BIN: nodeBinary(),
        };
        const proc = await startProcess(`compose-${name}`, hostPath(entrypoint[0]), [...entrypoint.slice(1), ...args], { rpcPort: rpc, env });
        started.push({ name, proc, rpc });
      }

      await cryptoWaitReady();
      const rpcNode = started.find((s) => s.name === 'rpc');
      api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${rpcNode.rpc}`), noInitWarn: true });
      await waitForFinalizedNumber(api, 2, NETWORK_TIMEOUT_MS - 60_000);
      const peers = (await api.rpc.system.health()).peers.toNumber();
      assert.equal(peers, VALIDATORS.length, 'the RPC node is connected to every validator');

      const sr25519 = new Keyring({ type: 'sr25519' });
      const ed25519 = new Keyring({ type: 'ed25519' });
      for (const { name, rpc } of started.filter((s) => s.name !== 'rpc')) {
        const seed = compose.services[name].environment.SESSION_SEED;
        const hasKey = async (publicKey, keyType) => {
          const res = await fetch(`http://127.0.0.1:${rpc}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'author_hasKey', params: [u8aToHex(publicKey), keyType] }),
          });
          return (await res.json()).result;
        };
        assert.equal(await hasKey(sr25519.addFromUri(seed).publicKey, 'babe'), true, `${name} has its BABE key`);
        assert.equal(await hasKey(ed25519.addFromUri(seed).publicKey, 'gran'), true, `${name} has its GRANDPA key`);
      }
    });
  });
});
