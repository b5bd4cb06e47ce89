//! `luxctl watch`: LuxTensor's events as they happen, through reconnects.

use crate::{
	context::{Ctx, Result},
	output,
};
use clap::Args;
use luxtensor_client::events::{EventSubscription, Follow, LUXTENSOR_PALLETS};
use serde_json::json;

#[derive(Debug, Args)]
pub struct WatchArgs {
	/// Only these pallets (repeatable; default: LuxTensor's own).
	#[arg(long = "pallet")]
	pub pallets: Vec<String>,
	/// Every pallet's events, Substrate's included.
	#[arg(long, conflicts_with = "pallets")]
	pub all: bool,
	/// Follow finalized blocks instead of best blocks.
	#[arg(long = "finalized-only")]
	pub finalized_only: bool,
	/// Stop after this many events.
	#[arg(long)]
	pub count: Option<u64>,
}

pub async fn run(ctx: &Ctx, args: WatchArgs) -> Result<()> {
	let client = ctx.client().await?.clone();
	let follow = if args.finalized_only { Follow::Finalized } else { Follow::Best };
	let pallets = if args.all {
		None
	} else if args.pallets.is_empty() {
		Some(LUXTENSOR_PALLETS.map(String::from).to_vec())
	} else {
		Some(args.pallets)
	};
	let mut events = EventSubscription::new(client, follow, pallets);
	let mut seen = 0u64;
	while args.count.is_none_or(|count| seen < count) {
		let event = events.next().await?;
		seen += 1;
		let fields = output::value_json(&event.fields);
		if ctx.json {
			let line = json!({
				"block": event.block,
				"blockHash": format!("{:?}", event.block_hash),
				"index": event.index,
				"pallet": event.pallet,
				"name": event.name,
				"fields": fields,
			});
			println!("{line}");
		} else {
			println!("#{} {}.{} {}", event.block, event.pallet, event.name, fields);
		}
	}
	Ok(())
}
