//! Fills a subnet with neurons, for benchmarks on a development chain: `populate URL NETUID
//! COUNT` registers COUNT fresh hotkeys on subnet NETUID, each claimed with its signature and
//! registered, four to a `utility.batchAll`, every batch in flight at once (the client counts
//! the signers' nonces), then prints how long it took.
//!
//! A coldkey owns at most 256 hotkeys, so the batches take turns among as many fresh owners
//! (`//Owner//k`, which //Alice funds) as needed. First the subnet is made to hold COUNT uids
//! and its registration price held at the minimum burn (otherwise each registration raises
//! it, up to 100 MDT), through //Alice's sudo.

use futures::future::try_join_all;
use luxtensor_client::{
	api::{
		self,
		runtime_types::{
			luxtensor_runtime::RuntimeCall, pallet_balances::pallet::Call as BalancesCall,
			pallet_registration::pallet::Call, pallet_subnets::pallet::Call as SubnetsCall,
		},
	},
	types::{self, HyperparametersUpdate},
	units::MDT,
	Client, Error, Keypair, Wait,
};
use std::time::Instant;

/// A registration weighs for a full subnet: four fill a good part of a block.
const BATCH: usize = 4;

/// The most hotkeys a coldkey may own (the runtime's `MaxHotkeysPerColdkey`).
const HOTKEYS_PER_OWNER: usize = 256;

/// What //Alice gives each extra owner: 256 registrations at the minimum burn and their fees.
const OWNER_FUNDS: u128 = 100 * MDT;

/// The registration price a widened subnet keeps (the default minimum burn).
const BURN: u128 = MDT / 2_000;

#[tokio::main]
async fn main() -> Result<(), Error> {
	let args: Vec<String> = std::env::args().skip(1).collect();
	let [url, netuid, count] = args.as_slice() else {
		return Err(Error::Invalid("usage: populate URL NETUID COUNT".into()));
	};
	let number = |text: &str| {
		text.parse::<u16>().map_err(|_| Error::Invalid(format!("'{text}' is not a number")))
	};
	let (netuid, count) = (number(netuid)?, usize::from(number(count)?));
	let client = Client::connect(url).await?;
	let alice = Keypair::from_uri("//Alice")?;
	let owners: Vec<Keypair> = (0..count.div_ceil(HOTKEYS_PER_OWNER))
		.map(|k| Keypair::from_uri(&format!("//Owner//{k}")))
		.collect::<Result<_, _>>()?;
	fund(&client, &alice, &owners).await?;
	prepare(&client, &alice, netuid, count).await?;
	let started = Instant::now();
	let hotkeys: Vec<Keypair> = (0..count)
		.map(|i| Keypair::from_uri(&format!("//Neuron//{netuid}//{i}")))
		.collect::<Result<_, _>>()?;
	let batches = hotkeys.chunks(BATCH).enumerate().map(|(index, chunk)| {
		let owner = owners.get(index % owners.len()).cloned().unwrap_or_else(|| alice.clone());
		let calls = chunk
			.iter()
			.flat_map(|hotkey| {
				let claim = Call::claim_hotkey {
					hotkey: hotkey.account_id(),
					signature: hotkey.hotkey_consent(&owner.account_id()),
				};
				let register = Call::burned_register {
					netuid,
					hotkey: hotkey.account_id(),
					max_burn: u128::MAX,
				};
				[RuntimeCall::Registration(claim), RuntimeCall::Registration(register)]
			})
			.collect();
		let client = client.clone();
		async move {
			let call = api::tx().utility().batch_all(calls);
			client.submit(&call, &owner, Wait::InBlock, |_| {}).await
		}
	});
	try_join_all(batches).await?;
	println!(
		"registered {count} neurons on subnet {netuid} in {:.1} s",
		started.elapsed().as_secs_f64()
	);
	Ok(())
}

/// Gives each of `owners` [`OWNER_FUNDS`] from `from`, in one batch.
async fn fund(client: &Client, from: &Keypair, owners: &[Keypair]) -> Result<(), Error> {
	if owners.is_empty() {
		return Ok(());
	}
	let calls = owners
		.iter()
		.map(|owner| {
			RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
				dest: owner.account_id().into(),
				value: OWNER_FUNDS,
			})
		})
		.collect();
	client.submit(&api::tx().utility().batch_all(calls), from, Wait::InBlock, |_| {}).await?;
	Ok(())
}

/// Raises the subnet's `max_allowed_uids` to `count` if it is lower and holds its price at the
/// minimum burn, by `sudo`; fails if the subnet does not hold `count` uids afterwards.
async fn prepare(client: &Client, sudo: &Keypair, netuid: u16, count: usize) -> Result<(), Error> {
	let params = client.at_best().await?.hyperparameters(netuid).await?;
	let params = params.ok_or_else(|| Error::Invalid(format!("no subnet {netuid}")))?;
	let uids = u16::try_from(count).map_err(|_| Error::Invalid("too many uids".into()))?;
	let uids = uids.max(params.max_allowed_uids);
	let update = HyperparametersUpdate {
		max_allowed_uids: Some(uids),
		// The chain wants the maximum above the minimum: one planck is enough.
		min_burn: Some(BURN),
		max_burn: Some(BURN + 1),
		..types::unchanged_hyperparameters()
	};
	let call = RuntimeCall::Subnets(SubnetsCall::set_hyperparameters { netuid, update });
	client.submit(&api::tx().sudo().sudo(call), sudo, Wait::InBlock, |_| {}).await?;
	let params = client.at_best().await?.hyperparameters(netuid).await?;
	match params {
		Some(params) if params.max_allowed_uids == uids && params.max_burn == BURN + 1 => Ok(()),
		_ => {
			Err(Error::Invalid(format!("sudo could not prepare subnet {netuid} for {count} uids")))
		}
	}
}
