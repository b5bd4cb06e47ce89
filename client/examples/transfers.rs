//! Several transactions in flight from one account: `transfers URL COUNT` signs and sends
//! COUNT transfers from //Alice to //Bob at once (the client reserves each one's nonce), waits
//! until each is in a block, and prints one JSON line per transfer: its nonce and block.

use futures::future::try_join_all;
use luxtensor_client::{api, Client, Error, Keypair, Wait};

#[tokio::main]
async fn main() -> Result<(), Error> {
	let mut args = std::env::args().skip(1);
	let url = args.next().unwrap_or_else(|| "ws://127.0.0.1:9944".into());
	let count: u128 = args
		.next()
		.map(|count| count.parse().map_err(|_| Error::Invalid(format!("'{count}' is not a count"))))
		.transpose()?
		.unwrap_or(5);
	let client = Client::connect(&url).await?;
	let alice = Keypair::from_uri("//Alice")?;
	let bob = Keypair::from_uri("//Bob")?.account_id();
	let transfers = (0..count).map(|i| {
		let (client, alice) = (client.clone(), alice.clone());
		// Distinct amounts, so each transfer is told apart in the events.
		let call = api::tx().balances().transfer_keep_alive(bob.into(), 1_000_000 + i);
		async move { client.submit(&call, &alice, Wait::InBlock, |_| {}).await }
	});
	for outcome in try_join_all(transfers).await? {
		let block = outcome.block.map(|hash| format!("{hash:?}")).unwrap_or_default();
		println!(r#"{{"nonce":{},"hash":"{:?}","block":"{block}"}}"#, outcome.nonce, outcome.hash);
	}
	Ok(())
}
