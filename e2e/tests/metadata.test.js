// Runtime metadata: pallets, docs, runtime APIs, constants and chain properties.

import assert from 'node:assert/strict';

import { describeWithNode } from '../lib/node.js';

const PALLETS = [
  'System', 'Timestamp', 'Babe', 'Authorship', 'Balances', 'TransactionPayment', 'Staking',
  'VoterList', 'Offences', 'Historical', 'Session', 'Grandpa', 'Utility', 'Proxy', 'Multisig', 'Sudo',
  'Scheduler', 'Preimage', 'Referenda', 'ConvictionVoting', 'Origins', 'Whitelist', 'TechnicalCommittee',
  'Treasury', 'Identity',
];

// polkadot-sdk ships these without docs (stable2609): listed so that any other gap fails.
const UPSTREAM_UNDOCUMENTED = new Set([
  'Referenda event ConfirmStarted', 'Referenda event ConfirmAborted',
  'Whitelist call whitelistCall', 'Whitelist call removeWhitelistedCall', 'Whitelist call dispatchWhitelistedCall',
  'Whitelist call dispatchWhitelistedCallWithPreimage', 'Whitelist call removeDeferredDispatch',
  'Whitelist event CallWhitelisted', 'Whitelist event WhitelistedCallRemoved', 'Whitelist event WhitelistedCallDispatched',
]);

const RUNTIME_APIS = [
  'Core', 'Metadata', 'BlockBuilder', 'TaggedTransactionQueue', 'OffchainWorkerApi', 'BabeApi',
  'GrandpaApi', 'SessionKeys', 'AccountNonceApi', 'TransactionPaymentApi', 'StakingApi', 'GenesisBuilder',
];

const docsOf = (item) => item.meta.docs.map((d) => d.toString()).join(' ').trim();

describeWithNode('metadata', (_ctx, test) => {
  test('metadata lists every LuxTensor pallet by name', async ({ api }) => {
    assert.ok(api.runtimeMetadata.version >= 14, `metadata version ${api.runtimeMetadata.version}`);
    const names = api.runtimeMetadata.asLatest.pallets.map((p) => p.name.toString());
    for (const pallet of PALLETS) {
      assert.ok(names.includes(pallet), `pallet ${pallet} missing from metadata: ${names.join(', ')}`);
    }
    assert.equal(api.runtimeVersion.specName.toString(), 'luxtensor');
  });

  test("every listed pallet's calls, events and errors have docs", async ({ api }) => {
    const undocumented = [];
    const lower = (name) => name[0].toLowerCase() + name.slice(1);
    for (const pallet of PALLETS) {
      const section = lower(pallet);
      for (const [kind, decorated] of [['call', api.tx[section]], ['event', api.events[section]], ['error', api.errors[section]]]) {
        for (const [name, item] of Object.entries(decorated ?? {})) {
          const label = `${pallet} ${kind} ${name}`;
          if (!docsOf(item) && !UPSTREAM_UNDOCUMENTED.has(label)) undocumented.push(label);
        }
      }
    }
    assert.deepEqual(undocumented, [], `undocumented metadata items:\n${undocumented.join('\n')}`);

    // Spot checks of what the docs say.
    assert.match(docsOf(api.tx.balances.transferAllowDeath), /transfer/i);
    assert.ok(docsOf(api.errors.balances.InsufficientBalance).length > 0);
    assert.ok(docsOf(api.events.balances.Transfer).length > 0);
    assert.match(docsOf(api.tx.session.setKeys), /key/i);
    assert.ok(api.tx.sudo.sudo, 'Sudo.sudo call exists');
  });

  test('runtime APIs are in the metadata and callable', async ({ api }) => {
    const apis = api.runtimeMetadata.asLatest.apis.map((a) => a.name.toString());
    for (const name of RUNTIME_APIS) {
      assert.ok(apis.includes(name), `runtime API ${name} missing from metadata: ${apis.join(', ')}`);
    }
    assert.ok(api.call.transactionPaymentApi, 'api.call.transactionPaymentApi is decorated');
    assert.equal(typeof api.call.transactionPaymentApi.queryInfo, 'function');

    const config = await api.call.babeApi.configuration();
    const expected = api.consts.babe.expectedBlockTime.toBigInt();
    assert.equal(config.slotDuration.toBigInt(), expected, 'BABE slot duration = ExpectedBlockTime');
    assert.ok([6_000n, 2_000n].includes(expected), `block time ${expected} ms (6 s, or 2 s with fast-runtime)`);
    assert.equal(config.epochLength.toBigInt(), api.consts.babe.epochDuration.toBigInt());
    assert.equal(config.authorities.length, 1, 'Alice is the only BABE authority');

    const version = await api.call.core.version();
    assert.equal(version.specName.toString(), 'luxtensor');
  });

  test('chain properties: MDT with 9 decimals, SS58 prefix 42', async ({ api }) => {
    const props = await api.rpc.system.properties();
    assert.deepEqual(props.tokenSymbol.unwrap().map((s) => s.toString()), ['MDT']);
    assert.deepEqual(props.tokenDecimals.unwrap().map((d) => d.toNumber()), [9]);
    assert.equal(props.ss58Format.unwrap().toNumber(), 42);
    assert.deepEqual(api.registry.chainTokens, ['MDT']);
    assert.deepEqual(api.registry.chainDecimals, [9]);
    assert.equal(api.consts.system.ss58Prefix.toNumber(), 42);
  });

  test('constants: existential deposit 500, 6 s target block time', async ({ api }) => {
    assert.equal(api.consts.balances.existentialDeposit.toBigInt(), 500n);
    assert.equal(api.consts.timestamp.minimumPeriod.toBigInt() * 2n, api.consts.babe.expectedBlockTime.toBigInt());
    assert.ok(api.consts.session.keyDeposit.toBigInt() > 0n, 'setting session keys holds a deposit');
  });
});
