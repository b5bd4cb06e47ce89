//! Fills a subnet with neurons, for benchmarks on a development chain: `populate URL NETUID
//! COUNT` registers COUNT fresh hotkeys on subnet NETUID, each claimed with its signature and
//! registered, four to a `utility.batchAll`, every batch in flight at once (the client counts
//! the signers' nonces), then prints how long it took. The batches alternate between //Alice
//! and //Bob as owners, as a coldkey owns at most 256 hotkeys.

use futures::future::try_join_all;
use luxtensor_client::{
	api::{
		self,
		runtime_types::{luxtensor_runtime::RuntimeCall, pallet_registration::pallet::Call},
	},
	Client, Error, Keypair, Wait,
};
use std::time::Instant;

/// A registration weighs for a full subnet: four fill a good part of a block.
const BATCH: usize = 4;

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
	let owners = [Keypair::from_uri("//Alice")?, Keypair::from_uri("//Bob")?];
	let started = Instant::now();
	let hotkeys: Vec<Keypair> = (0..count)
		.map(|i| Keypair::from_uri(&format!("//Neuron//{netuid}//{i}")))
		.collect::<Result<_, _>>()?;
	let batches = hotkeys.chunks(BATCH).enumerate().map(|(index, chunk)| {
		let owner = owners[index % owners.len()].clone();
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
