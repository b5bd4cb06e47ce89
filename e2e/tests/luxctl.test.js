// luxctl end to end: the README's tutorial ("Your first subnet with luxctl") run command by
// command against a dev node, its JSON output checked against the runtime APIs at the same
// block; keystores move between luxctl and polkadot.js both ways; refused calls print the
// pallet error and change nothing; the client's committed metadata is the running runtime's.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';

import { CID } from '../lib/compute.js';
import { ALL_UIDS, describeWithNode, MDT, withTimeout } from '../lib/node.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PASSWORD = 'tutorial password';
const NETUID = 1;
const BLOCK_MS = 6_000;

const TARGET = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'luxtensor', 'target');
const luxctlBinary = () => process.env.LUXCTL_BIN || path.join(TARGET, 'release', 'luxctl');
/** luxtensor-client's example of transactions in flight (built by `cargo test --release`). */
const transfersExample = () => path.join(TARGET, 'release', 'examples', 'transfers');

/**
 * The tutorial's shell block, as steps: each paragraph (its comment, then its commands)
 * becomes one step, each command an argv (the tutorial quotes nothing, so spaces split).
 */
function tutorialSteps() {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.split('## Your first subnet with luxctl')[1];
  assert.ok(section, 'the README has the luxctl tutorial');
  const block = section.split('```sh\n')[1].split('```')[0];
  return block.split(/\n\s*\n/).map((paragraph) => {
    const lines = paragraph.split('\n').map((line) => line.trim()).filter(Boolean);
    const title = lines.filter((l) => l.startsWith('#')).map((l) => l.replace(/^#\s*/, '')).join(' ');
    const commands = lines.filter((l) => l.startsWith('luxctl ')).map((l) => l.split(/\s+/).slice(1));
    return { title, commands };
  });
}

describeWithNode('luxctl', (ctx, test) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'luxctl-e2e-'));
  const wallets = path.join(home, 'wallets');

  /** Runs luxctl against the test's node with the test's wallets; resolves `{ code, stdout, stderr }`. */
  const luxctl = (args, { password = PASSWORD } = {}) =>
    new Promise((resolve) => {
      const env = {
        ...process.env,
        LUXCTL_URL: `ws://127.0.0.1:${ctx.node.ports.rpc}`,
        LUXCTL_WALLET_PATH: wallets,
        LUXCTL_CONFIG: path.join(home, 'config.json'),
        LUXCTL_PASSWORD: password,
      };
      execFile(luxctlBinary(), args, { env, timeout: 120_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
        resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr });
      });
    });
  const ok = async (args, options) => {
    const result = await luxctl(args, options);
    assert.equal(result.code, 0, `luxctl ${args.join(' ')} failed: ${result.stderr}`);
    return result;
  };
  const json = async (args) => JSON.parse((await ok([...args, '--json'])).stdout);
  const hotkeyAddress = (name) => JSON.parse(readFileSync(path.join(wallets, 'owner', 'hotkeys', `${name}.json`), 'utf8')).address;

  /** Runs one tutorial command; the ones that depend on chain time wait for it first. */
  async function runTutorialCommand(api, args) {
    const command = args.slice(0, 2).join(' ');
    if (command === 'weights set') {
      await waitForMetagraph(api, (m) => m.validatorPermit[0].isTrue, 'the validator got no permit');
    }
    if (command === 'metagraph 1') {
      await waitForMetagraph(api, (m) => m.incentive.some((value) => value.toNumber() > 0), 'no epoch paid incentive');
      return checkMetagraphJson(api);
    }
    if (command === 'weights reveal') {
      // Too early until the reveal period has passed: retry each block until it is not.
      return withTimeout((async () => {
        for (;;) {
          const result = await luxctl(args);
          if (result.code === 0) return result;
          assert.match(result.stderr, /Weights::RevealTooEarly/, result.stderr);
          await new Promise((r) => setTimeout(r, BLOCK_MS));
        }
      })(), 240_000, 'the commit never became revealable');
    }
    return ok(args);
  }

  /** Waits (a block at a time) until the subnet's metagraph satisfies `done`. */
  async function waitForMetagraph(api, done, message) {
    await withTimeout((async () => {
      for (;;) {
        const metagraph = (await api.call.neuronsApi.metagraph(NETUID, ALL_UIDS)).unwrap();
        if (done(metagraph)) return;
        await new Promise((r) => setTimeout(r, BLOCK_MS));
      }
    })(), 300_000, message);
  }

  /** `luxctl metagraph --json` against the runtime API at the block it read. */
  async function checkMetagraphJson(api) {
    const output = await json(['metagraph', String(NETUID)]);
    const hash = await api.rpc.chain.getBlockHash(output.block);
    const runtime = (await (await api.at(hash)).call.neuronsApi.metagraph(NETUID, ALL_UIDS)).unwrap();
    assert.equal(output.n, runtime.header.n.toNumber());
    assert.equal(output.neurons.length, output.n);
    const fraction = (value) => Math.round((value.toNumber() / 65535) * 1e6) / 1e6;
    for (const [uid, neuron] of output.neurons.entries()) {
      assert.equal(neuron.uid, uid);
      assert.equal(neuron.hotkey, runtime.hotkeys[uid].toString());
      assert.equal(neuron.coldkey, runtime.coldkeys[uid].toString());
      assert.equal(neuron.stake, runtime.stake[uid].toBigInt().toString());
      assert.equal(neuron.emission, runtime.emission[uid].toBigInt().toString());
      assert.equal(neuron.validatorPermit, runtime.validatorPermit[uid].isTrue);
      for (const column of ['rank', 'trust', 'consensus', 'incentive', 'dividends', 'validatorTrust']) {
        assert.equal(neuron[column], fraction(runtime[column][uid]), `${column} of uid ${uid}`);
      }
    }
    // The validator's 1:2:3 weights order the miners' incentive.
    const incentive = output.neurons.slice(1).map((n) => n.incentive);
    assert.ok(incentive[0] < incentive[1] && incentive[1] < incentive[2], `incentive ${incentive}`);
    assert.equal(output.neurons[0].validatorPermit, true, 'the staked validator has a permit');
    // And the human table shows every uid.
    const table = (await ok(['metagraph', String(NETUID)])).stdout;
    assert.match(table, /UID\s+HOTKEY\s+STAKE\s+RANK\s+TRUST\s+CONSENSUS\s+INCENTIVE\s+DIVIDENDS\s+EMISSION\s+VTRUST\s+PERMIT\s+AXON/);
    assert.equal(table.trim().split('\n').length, 2 + output.n);
  }

  const steps = tutorialSteps();
  assert.ok(steps.length >= 6, 'the tutorial has its steps');
  for (const [index, step] of steps.entries()) {
    test(`tutorial ${index + 1}: ${step.title}`, async ({ api }) => {
      for (const args of step.commands) {
        await runTutorialCommand(api, args);
      }
    }, { timeout: 420_000 });
  }

  test('what the tutorial built reads back the same through the runtime APIs', async ({ api, alice }) => {
    const subnets = await json(['subnet', 'list']);
    const runtime = await api.call.subnetsApi.subnetsInfo();
    assert.deepEqual(subnets.map((s) => s.netuid), runtime.map((s) => s.netuid.toNumber()));
    const mine = subnets.find((s) => s.netuid === NETUID);
    assert.equal(mine.owner, alice.address);
    assert.equal(mine.neurons, 4);

    const stake = await json(['stake', 'show', '--wallet', 'owner']);
    const positions = await api.call.stakeApi.stakeInfoForColdkey(alice.address, { startAfter: null, limit: 256 });
    const staked = (hotkey) => positions.filter((p) => p.hotkey.toString() === hotkey).reduce((sum, p) => sum + p.stake.toBigInt(), 0n);
    const validator = hotkeyAddress('validator');
    assert.equal(BigInt(stake.find((p) => p.hotkey === validator).stake), staked(validator));
    assert.ok(staked(validator) >= 1000n * MDT);

    const axon = (await api.call.neuronsApi.neuron(NETUID, 1)).unwrap().axon.unwrap();
    assert.equal(axon.port.toNumber(), 8091);
    assert.equal(axon.ip.toBigInt(), (10n << 24n) + 1n);

    const balances = await json(['wallet', 'balance', '--wallet', 'owner']);
    const free = (await api.query.system.account(alice.address)).data.free.toBigInt();
    const coldkeyRow = balances.find((b) => b.key === 'coldkey');
    // Alice's balance may move between the two reads only by her own (none) transactions.
    assert.equal(BigInt(coldkeyRow.free), free);
  }, { timeout: 60_000 });

  test('transfers, stake moves, a subnet identity and a hotkey swap land as asked', async ({ api }) => {
    const free = async (who) => (await api.query.system.account(who)).data.free.toBigInt();
    const miner3 = hotkeyAddress('miner3');
    const before = await free(miner3);
    await ok(['wallet', 'transfer', '--wallet', 'owner', '--dest', 'miner3', '--amount', '1.5', '--yes']);
    assert.equal((await free(miner3)) - before, 1_500_000_000n);

    const event = (outcome, name) => outcome.events.find((e) => e.pallet === 'Stake' && e.name === name)?.fields;
    const moved = await json(['stake', 'move', '--wallet', 'owner', '--from', 'validator', '--to', 'miner1', '--amount', '10', '--yes']);
    assert.equal(BigInt(event(moved, 'StakeMoved').amount), 10n * MDT);
    const removed = await json(['stake', 'remove', '--wallet', 'owner', '--hotkey', 'miner1', '--amount', '5', '--yes']);
    assert.equal(BigInt(event(removed, 'StakeRemoved').amount), 5n * MDT);

    await ok(['subnet', 'identity', '1', '--wallet', 'owner', '--name', 'tutorial', '--repo', 'https://example.org/tutorial', '--yes']);
    const shown = await json(['subnet', 'show', '1']);
    assert.equal(shown.identity.name, 'tutorial');
    assert.equal(shown.identity.repo, 'https://example.org/tutorial');
    const identity = (await api.call.subnetsApi.subnetInfo(1)).unwrap().identity.unwrap();
    assert.equal(Buffer.from(identity.name.toU8a(true)).toString(), 'tutorial');

    await ok(['wallet', 'new-hotkey', '--wallet', 'owner', '--hotkey', 'miner3b']);
    await ok(['swap', 'hotkey', '--wallet', 'owner', '--hotkey', 'miner3', '--new-hotkey', 'miner3b', '--yes']);
    const neuron = (await api.call.neuronsApi.neuron(1, 3)).unwrap();
    assert.equal(neuron.hotkey.toString(), hotkeyAddress('miner3b'));
  }, { timeout: 180_000 });

  test('compute: a provider, a model and a job made with luxctl read back as the node serves them', async ({ api, alice }) => {
    const rpc = ctx.node.rpc;
    await ok(['compute', 'mark-subnet', '1', '--wallet', 'owner', '--yes']);
    await ok([
      'compute', 'register', '--wallet', 'owner', '--hotkey', 'miner2', '--netuid', '1', '--gpu-model', 'H100-SXM',
      '--gpu-count', '1', '--vram-mib', '81920', '--compute-capability', '9.0', '--cpu-cores', '32', '--ram-mib', '262144',
      '--disk-gib', '2000', '--bandwidth-mbps', '10000', '--region', 'de', '--ask-price', '0.5', '--yes',
    ]);
    const providers = await json(['compute', 'providers', '--netuid', '1']);
    assert.deepEqual(providers, await rpc('compute_providers', [{ netuid: 1, limit: 256 }]));
    assert.equal(providers.length, 1);
    assert.equal(providers[0].hotkey, hotkeyAddress('miner2'));
    assert.equal(providers[0].spec.gpuModel, 'H100-SXM');
    assert.equal(providers[0].spec.region, 'DE');
    assert.deepEqual(await json(['compute', 'provider', hotkeyAddress('miner2')]), providers[0]);

    const model = await json(['compute', 'register-model', '--wallet', 'owner', '--name', 'tiny-llm', '--cid', CID, '--version', '1.0.0', '--kind', 'llm', '--yes']);
    assert.deepEqual(await json(['compute', 'model', String(model.id)]), await rpc('compute_model', [model.id]));

    // An auction no provider bids in yet (none is attested): quoted, posted with exactly the quote
    // held, then cancelled with everything back.
    const job = ['--units', '4', '--model', String(model.id), '--input', CID, '--gpu-model', 'H100-SXM', '--max-unit-price', '1', '--deadline', '600', '--replicas', '2', '--quorum', '2', '--spot-check', '50%', '--assignment', 'auction:50'];
    const quote = await json(['compute', 'quote', ...job]);
    const before = (await api.query.system.account(alice.address)).data;
    const posted = await json(['compute', 'post', '--wallet', 'owner', ...job, '--yes']);
    const shown = await json(['compute', 'job', String(posted.job)]);
    assert.deepEqual(shown, await rpc('compute_job', [posted.job]));
    assert.equal(shown.escrow, quote.total, 'the quote is what is held');
    assert.equal(shown.spec.replicas, 2);
    assert.deepEqual((await json(['compute', 'jobs', '--poster', alice.address])).map((j) => j.id), [posted.job]);
    await ok(['compute', 'cancel', String(posted.job), '--wallet', 'owner']);
    const after = (await api.query.system.account(alice.address)).data;
    assert.equal(after.reserved.toBigInt(), before.reserved.toBigInt(), 'the escrow came back');
    assert.deepEqual(await json(['compute', 'metrics']), await rpc('compute_networkMetrics', []));
  }, { timeout: 180_000 });

  test('a refused call prints the pallet error and changes nothing', async ({ api }) => {
    // Refused by the transaction pool (the fee-free axon guard): `Custom error: N` named.
    const before = (await api.call.neuronsApi.neuron(NETUID, 1)).unwrap().axon.toJSON();
    const port0 = await luxctl(['axon', 'serve', '--wallet', 'owner', '--hotkey', 'miner1', '--netuid', '1', '--ip', '10.0.0.2', '--port', '0']);
    assert.equal(port0.code, 1);
    assert.match(port0.stderr, /^error: Registration::InvalidPort: Port 0 cannot be served\.\n$/);
    assert.deepEqual((await api.call.neuronsApi.neuron(NETUID, 1)).unwrap().axon.toJSON(), before);

    // Refused in the block: a take increase above the maximum.
    const validator = hotkeyAddress('validator');
    const take = (await api.query.stake.takes(validator)).toJSON();
    const tooHigh = await luxctl(['delegate', 'take', '--wallet', 'owner', '--hotkey', 'validator', '--take', '100%', '--yes']);
    assert.equal(tooHigh.code, 1);
    assert.match(tooHigh.stderr, /^error: Stake::TakeTooHigh: .+\n$/);
    assert.deepEqual((await api.query.stake.takes(validator)).toJSON(), take);

    // Refused before sending: one line naming the cause.
    const cases = [
      [['register', '--wallet', 'owner', '--hotkey', 'miner1', '--netuid', '99', '--yes'], /^error: no subnet 99\n$/],
      [['register', '--wallet', 'owner', '--hotkey', 'miner1', '--netuid', '1', '--yes'], /^error: hotkey \w+ is already registered on subnet 1 as uid 1\n$/],
      [['wallet', 'transfer', '--wallet', 'owner', '--dest', 'not-an-address', '--amount', '1', '--yes'], /^error: 'not-an-address' is neither an SS58 address nor a hotkey of wallet 'owner'\n$/],
      [['wallet', 'transfer', '--wallet', 'owner', '--dest', validator, '--amount', '999999999', '--yes'], /^error: not enough balance: .+\n$/],
      [['stake', 'add', '--wallet', 'nobody', '--amount', '1', '--yes'], /^error: no wallet 'nobody' in .+\n$/],
      [['weights', 'set', '--wallet', 'owner', '--hotkey', 'validator', '--netuid', '1', '--uids', '1,9', '--weights', '1,1'], /^error: uid 9 is not on subnet 1 \(it has 4 neurons\)\n$/],
      [['stake', 'add', '--wallet', 'owner', '--hotkey', 'validator', '--amount', '1'], /^error: .*confirmation needed; pass --yes to send without asking\n$/],
    ];
    const balance = (await api.query.system.account(validator)).data.free.toBigInt();
    for (const [args, message] of cases) {
      const result = await luxctl(args);
      assert.equal(result.code, 1, `luxctl ${args.join(' ')}: ${result.stdout}`);
      assert.match(result.stderr, message);
    }
    assert.equal((await api.query.system.account(validator)).data.free.toBigInt(), balance, 'nothing was sent');

    // A hotkey with no balance cannot sign even a fee-free call: the error says so.
    await ok(['wallet', 'new-hotkey', '--wallet', 'owner', '--hotkey', 'ghost']);
    const ghost = await luxctl(['weights', 'set', '--wallet', 'owner', '--hotkey', 'ghost', '--netuid', '1', '--uids', '1', '--weights', '1']);
    assert.equal(ghost.code, 1);
    assert.match(ghost.stderr, /^error: \w+ has no balance: an account needs at least the existential deposit \(500 planck\) to sign transactions, fee-free ones included; fund it first \(luxctl wallet transfer\)\n$/);

    // A wrong password opens nothing.
    const wrong = await luxctl(['stake', 'add', '--wallet', 'owner', '--hotkey', 'validator', '--amount', '1', '--yes'], { password: 'wrong' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /wrong password/);
  });

  test('keystores move between luxctl and polkadot.js both ways', async () => {
    const keyring = new Keyring({ type: 'sr25519' });
    // luxctl's coldkey opens in polkadot.js with its password, and its files are private.
    const file = path.join(wallets, 'owner', 'coldkey.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(path.join(wallets, 'owner', 'hotkeys', 'validator.json')).mode & 0o777, 0o600);
    const pair = keyring.addFromJson(JSON.parse(readFileSync(file, 'utf8')));
    pair.decodePkcs8(PASSWORD);
    assert.equal(pair.address, keyring.addFromUri('//Alice').address);
    const signature = pair.sign('message');
    assert.ok(pair.verify('message', signature, pair.publicKey));

    // An account exported by polkadot.js imports into a wallet.
    const exported = keyring.addFromUri('//Ferdie', { name: 'ferdie' }).toJson('apps password');
    const exportPath = path.join(home, 'ferdie.json');
    writeFileSync(exportPath, JSON.stringify(exported));
    await ok(['wallet', 'import', '--wallet', 'ferdie', '--file', exportPath], { password: 'apps password' });
    const shown = await json(['wallet', 'show', '--wallet', 'ferdie']);
    assert.equal(shown.coldkey, keyring.addFromUri('//Ferdie').address);
    const refused = await luxctl(['wallet', 'import', '--wallet', 'ferdie2', '--file', exportPath], { password: 'nope' });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /wrong password/);
    assert.deepEqual((await json(['wallet', 'list'])).map((w) => w.name), ['ferdie', 'owner']);
  });

  test('the client\'s committed metadata is the running runtime\'s', async ({ api }) => {
    const committed = readFileSync(path.join(REPO, 'client', 'metadata', 'luxtensor.scale'));
    const live = (await api.call.metadata.metadataAtVersion(16)).unwrap();
    assert.equal(u8aToHex(live.toU8a(true)), u8aToHex(committed));
  });

  test('the client keeps several transactions of one account in flight with consecutive nonces', async ({ api, alice, bob }) => {
    const COUNT = 8;
    const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
    const nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
    const output = await new Promise((resolve, reject) => {
      execFile(transfersExample(), [`ws://127.0.0.1:${ctx.node.ports.rpc}`, String(COUNT)], { timeout: 90_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}: ${stderr}`)) : resolve(stdout));
    });
    const transfers = output.trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(transfers.map((t) => t.nonce).sort((a, b) => a - b), [...Array(COUNT).keys()].map((i) => nonce + i));
    assert.ok(transfers.every((t) => t.block.startsWith('0x')), 'each one is in a block');
    const sent = [...Array(COUNT).keys()].reduce((sum, i) => sum + 1_000_000n + BigInt(i), 0n);
    assert.equal((await api.query.system.account(bob.address)).data.free.toBigInt() - before, sent);
  });

  test('cleanup', async () => {
    rmSync(home, { recursive: true, force: true });
  });
});
