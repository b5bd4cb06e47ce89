//! Fills a subnet with neurons, for benchmarks on a development chain: `populate URL NETUID
//! COUNT` registers COUNT fresh hotkeys owned by //Alice on subnet NETUID, each claimed with
//! its signature and registered in `utility.batchAll`s of 32, then prints how long it took.

use luxtensor_client::{
	api::{
		self,
		runtime_types::{luxtensor_runtime::RuntimeCall, pallet_registration::pallet::Call},
	},
	Client, Error, Keypair, Wait,
};
use std::time::Instant;

const BATCH: usize = 32;

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
	let started = Instant::now();
	let hotkeys: Vec<Keypair> = (0..count)
		.map(|i| Keypair::from_uri(&format!("//Alice//neuron//{netuid}//{i}")))
		.collect::<Result<_, _>>()?;
	for chunk in hotkeys.chunks(BATCH) {
		let calls = chunk
			.iter()
			.flat_map(|hotkey| {
				let claim = Call::claim_hotkey {
					hotkey: hotkey.account_id(),
					signature: hotkey.hotkey_consent(&alice.account_id()),
				};
				let register = Call::burned_register {
					netuid,
					hotkey: hotkey.account_id(),
					max_burn: u128::MAX,
				};
				[RuntimeCall::Registration(claim), RuntimeCall::Registration(register)]
			})
			.collect();
		client.submit(&api::tx().utility().batch_all(calls), &alice, Wait::InBlock, |_| {}).await?;
	}
	println!(
		"registered {count} neurons on subnet {netuid} in {:.1} s",
		started.elapsed().as_secs_f64()
	);
	Ok(())
}
