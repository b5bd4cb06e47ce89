//! The commands, by group, and what several of them share.

pub mod compute;
pub mod errors;
pub mod neuron;
pub mod stake;
pub mod subnet;
pub mod wallet;
pub mod watch;

use crate::{
	context::{Ctx, Result},
	output,
};
use clap::Args;
use luxtensor_client::{
	api::{
		self,
		runtime_types::{
			luxtensor_runtime::RuntimeCall, pallet_registration, sp_arithmetic::per_things::Perbill,
		},
	},
	subxt::dynamic::At as _,
	wallet::Wallet,
	At, Keypair, TxOutcome,
};
use serde_json::json;

/// A wallet and one of its hotkeys.
#[derive(Debug, Args)]
pub struct WalletHotkey {
	/// The wallet.
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
	/// The wallet's hotkey.
	#[arg(long, short = 'k', default_value = "default")]
	pub hotkey: String,
}

impl WalletHotkey {
	/// The wallet and the hotkey's key.
	pub fn open(&self, ctx: &Ctx) -> Result<(Wallet, Keypair)> {
		let wallet = ctx.wallet(&self.wallet)?;
		let hotkey = wallet.hotkey(&self.hotkey)?;
		Ok((wallet, hotkey))
	}
}

/// `call`, preceded in one `utility.batchAll` by the hotkey's claim when no coldkey owns it
/// yet (a hotkey's first owner needs its signature); refused when another coldkey owns it.
pub async fn claimed_then(
	at: &At,
	coldkey: &Keypair,
	hotkey: &Keypair,
	call: RuntimeCall,
) -> Result<impl luxtensor_client::subxt::tx::Payload> {
	let calls = match at.hotkey_owner(&hotkey.account_id()).await? {
		Some(owner) if owner == coldkey.account_id() => vec![call],
		Some(owner) => {
			return Err(format!(
				"hotkey {} belongs to another coldkey ({owner})",
				hotkey.account_id()
			)
			.into())
		}
		None => {
			let claim = pallet_registration::pallet::Call::claim_hotkey {
				hotkey: hotkey.account_id(),
				signature: hotkey.hotkey_consent(&coldkey.account_id()),
			};
			vec![RuntimeCall::Registration(claim), call]
		}
	};
	Ok(api::tx().utility().batch_all(calls))
}

/// The field `field` of the first `pallet::name` event, as a number.
pub fn event_u128(outcome: &TxOutcome, pallet: &str, name: &str, field: &str) -> Option<u128> {
	outcome
		.events
		.iter()
		.find(|event| event.pallet == pallet && event.name == name)
		.and_then(|event| event.fields.at(field))
		.and_then(|value| value.as_u128())
}

/// With `--json`, the transaction's hash, block and events, with `extra` merged in.
pub fn print_outcome(ctx: &Ctx, outcome: &TxOutcome, extra: serde_json::Value) {
	if !ctx.json {
		return;
	}
	let events: Vec<_> = outcome
		.events
		.iter()
		.map(|event| {
			json!({ "pallet": event.pallet, "name": event.name, "fields": output::value_json(&event.fields) })
		})
		.collect();
	let mut report = json!({
		"hash": format!("{:?}", outcome.hash),
		"block": outcome.block.map(|hash| format!("{hash:?}")),
		"events": events,
	});
	if let (Some(report), Some(extra)) = (report.as_object_mut(), extra.as_object()) {
		report.extend(extra.clone());
	}
	println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
}

/// `sudo.sudo` succeeds as a transaction even when the call inside fails: its `Sudid` event
/// carries the inner result, checked here.
pub fn sudo_succeeded(outcome: &TxOutcome) -> Result<()> {
	let sudid = outcome
		.events
		.iter()
		.find(|event| event.pallet == "Sudo" && event.name == "Sudid")
		.ok_or("sudo did not run the call (no Sudid event)")?;
	let result = sudid.fields.at("sudo_result").ok_or("the Sudid event has no result")?;
	let json = output::value_json(result);
	if json.get("Err").is_some() {
		return Err(format!("the call failed as root: {}", json["Err"]).into());
	}
	Ok(())
}

/// `18%` or `0.18` as a Perbill.
pub fn parse_perbill(text: &str) -> Result<Perbill> {
	let fraction = match text.strip_suffix('%') {
		Some(percent) => percent.trim().parse::<f64>().map(|p| p / 100.0),
		None => text.trim().parse::<f64>(),
	}
	.map_err(|_| format!("'{text}' is not a proportion (e.g. 18% or 0.18)"))?;
	if !(0.0..=1.0).contains(&fraction) {
		return Err(format!("'{text}' is not between 0 and 100%").into());
	}
	Ok(Perbill((fraction * 1e9).round() as u32))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn proportions_parse_as_percent_or_fraction() {
		assert_eq!(parse_perbill("18%").unwrap().0, 180_000_000);
		assert_eq!(parse_perbill("0.18").unwrap().0, 180_000_000);
		assert!(parse_perbill("101%").is_err());
		assert!(parse_perbill("-1").is_err());
		assert!(parse_perbill("lots").is_err());
	}
}
