//! What a neuron does: `luxctl weights`, `luxctl axon`, `luxctl metagraph`, `luxctl swap`.

use crate::{
	commands::{print_outcome, WalletHotkey},
	context::{Ctx, Result},
	output,
};
use clap::{Args, Subcommand};
use luxtensor_client::{
	api,
	metagraph::sync,
	types::{MetagraphField, NetUid, SelectiveMetagraph},
	units::format_mdt,
	wallet::PendingCommit,
	weights::{commit_hash, normalize, random_salt},
};
use serde_json::json;
use std::net::IpAddr;

#[derive(Debug, Subcommand)]
pub enum WeightsCommand {
	/// Set weights now (subnets without commit-reveal).
	Set(WeightsArgs),
	/// Commit to weights by hash; the salt is kept in the wallet for `weights reveal`.
	Commit(WeightsArgs),
	/// Reveal the wallet's pending commits on a subnet.
	Reveal(RevealArgs),
}

#[derive(Debug, Args)]
pub struct WeightsArgs {
	#[command(flatten)]
	pub key: WalletHotkey,
	#[arg(long)]
	pub netuid: NetUid,
	/// Uids, comma-separated.
	#[arg(long, value_delimiter = ',', required = true)]
	pub uids: Vec<u16>,
	/// Relative weights, comma-separated, one per uid.
	#[arg(long, value_delimiter = ',', required = true)]
	pub weights: Vec<f64>,
	/// The version key (default: the subnet's `weights_version_key`).
	#[arg(long)]
	pub version_key: Option<u64>,
}

#[derive(Debug, Args)]
pub struct RevealArgs {
	#[command(flatten)]
	pub key: WalletHotkey,
	#[arg(long)]
	pub netuid: NetUid,
}

#[derive(Debug, Subcommand)]
pub enum AxonCommand {
	/// Announce where the hotkey's neuron serves (fee-free, signed by the hotkey).
	Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
	#[command(flatten)]
	pub key: WalletHotkey,
	#[arg(long)]
	pub netuid: NetUid,
	/// IPv4 or IPv6 address.
	#[arg(long)]
	pub ip: IpAddr,
	#[arg(long)]
	pub port: u16,
	/// Transport protocol, as the neuron's software numbers it.
	#[arg(long, default_value_t = 4)]
	pub protocol: u8,
	/// The neuron software's version.
	#[arg(long, default_value_t = 1)]
	pub version: u32,
}

#[derive(Debug, Args)]
pub struct MetagraphArgs {
	/// The subnet.
	pub netuid: NetUid,
}

#[derive(Debug, Subcommand)]
pub enum SwapCommand {
	/// Move a registered hotkey's uids and stake to a new hotkey of the wallet.
	Hotkey(SwapHotkeyArgs),
	/// Schedule moving everything of the wallet's coldkey to a new coldkey (after a delay).
	Coldkey(SwapColdkeyArgs),
	/// Cancel the wallet's scheduled coldkey swap.
	CancelColdkey(crate::commands::wallet::WalletName),
	/// Apply a coldkey swap whose delay has passed (anyone may; the wallet pays the fee).
	ApplyColdkey(ApplyColdkeyArgs),
}

#[derive(Debug, Args)]
pub struct SwapHotkeyArgs {
	#[command(flatten)]
	pub key: WalletHotkey,
	/// The new hotkey's name in the wallet (it signs its consent).
	#[arg(long)]
	pub new_hotkey: String,
}

#[derive(Debug, Args)]
pub struct SwapColdkeyArgs {
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
	/// The new coldkey's SS58 address.
	#[arg(long)]
	pub new_coldkey: String,
}

#[derive(Debug, Args)]
pub struct ApplyColdkeyArgs {
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
	/// The old coldkey whose swap is due.
	#[arg(long)]
	pub old_coldkey: String,
}

pub async fn run_weights(ctx: &Ctx, command: WeightsCommand) -> Result<()> {
	match command {
		WeightsCommand::Set(args) => {
			let (uids, values, version_key) = checked_weights(ctx, &args).await?;
			let (_, hotkey) = args.key.open(ctx)?;
			let call = api::tx().weights().set_weights(args.netuid, uids, values, version_key);
			ctx.send_and_report(&call, &hotkey, "weights set").await
		}
		WeightsCommand::Commit(args) => {
			let (uids, values, version_key) = checked_weights(ctx, &args).await?;
			let (wallet, hotkey) = args.key.open(ctx)?;
			let salt = random_salt()?;
			let account = hotkey.account_id();
			let hash = commit_hash(&account, args.netuid, &uids, &values, &salt, version_key);
			// Kept before sending: a commit whose salt is lost can never be revealed.
			let mut pending = wallet.pending_commits()?;
			pending.push(PendingCommit {
				netuid: args.netuid,
				hotkey: account.to_string(),
				hash: format!("{hash:?}"),
				uids,
				values,
				salt,
				version_key,
			});
			wallet.save_pending_commits(&pending)?;
			let call = api::tx().weights().commit_weights(args.netuid, hash);
			match ctx.send(&call, &hotkey, "weights committed").await {
				Ok(outcome) => {
					if !ctx.json {
						println!(
							"commit {hash:?}: reveal with `luxctl weights reveal --netuid {}`",
							args.netuid
						);
					}
					print_outcome(ctx, &outcome, json!({ "commitHash": format!("{hash:?}") }));
					Ok(())
				}
				Err(error) => {
					// Refused, so nothing to reveal; a connection failure keeps it (it may be in).
					if !error.0.contains("may still be included") {
						pending.retain(|commit| commit.hash != format!("{hash:?}"));
						wallet.save_pending_commits(&pending)?;
					}
					Err(error)
				}
			}
		}
		WeightsCommand::Reveal(args) => reveal(ctx, args).await,
	}
}

/// The uids and normalized weights after the checks the chain would make anyway, so a bad
/// row fails here with its reason and nothing is sent; and the version key.
async fn checked_weights(ctx: &Ctx, args: &WeightsArgs) -> Result<(Vec<u16>, Vec<u16>, u64)> {
	if args.uids.len() != args.weights.len() {
		return Err(format!("{} uids but {} weights", args.uids.len(), args.weights.len()).into());
	}
	let values = normalize(&args.weights)?;
	let at = ctx.client().await?.at_best().await?;
	let subnet = at.existing_subnet(args.netuid).await?;
	if let Some(uid) = args.uids.iter().find(|uid| **uid >= subnet.neuron_count) {
		return Err(format!(
			"uid {uid} is not on subnet {} (it has {} neurons)",
			args.netuid, subnet.neuron_count
		)
		.into());
	}
	let version_key = args.version_key.unwrap_or(subnet.hyperparameters.weights_version_key);
	Ok((args.uids.clone(), values, version_key))
}

async fn reveal(ctx: &Ctx, args: RevealArgs) -> Result<()> {
	let (wallet, hotkey) = args.key.open(ctx)?;
	let account = hotkey.account_id().to_string();
	let mut pending = wallet.pending_commits()?;
	let mine: Vec<PendingCommit> = pending
		.iter()
		.filter(|commit| commit.netuid == args.netuid && commit.hotkey == account)
		.cloned()
		.collect();
	if mine.is_empty() {
		return Err(format!(
			"no pending commit of {account} on subnet {} in wallet '{}'",
			args.netuid,
			wallet.name()
		)
		.into());
	}
	let mut revealed = Vec::new();
	for commit in mine {
		let call = api::tx().weights().reveal_weights(
			commit.netuid,
			commit.uids.clone(),
			commit.values.clone(),
			commit.salt.clone(),
			commit.version_key,
		);
		let outcome = ctx.send(&call, &hotkey, "weights revealed").await?;
		pending.retain(|kept| kept.hash != commit.hash);
		wallet.save_pending_commits(&pending)?;
		revealed.push(json!({ "commitHash": commit.hash, "hash": format!("{:?}", outcome.hash) }));
	}
	if ctx.json {
		println!("{}", json!({ "revealed": revealed }));
	}
	Ok(())
}

pub async fn run_axon(ctx: &Ctx, command: AxonCommand) -> Result<()> {
	let AxonCommand::Serve(args) = command;
	let (_, hotkey) = args.key.open(ctx)?;
	let (ip, ip_type) = match args.ip {
		IpAddr::V4(v4) => (u128::from(u32::from(v4)), 4u8),
		IpAddr::V6(v6) => (u128::from(v6), 6u8),
	};
	let at = ctx.client().await?.at_best().await?;
	at.existing_subnet(args.netuid).await?;
	if at.uid_of(args.netuid, &hotkey.account_id()).await?.is_none() {
		return Err(format!(
			"hotkey {} is not registered on subnet {}",
			hotkey.account_id(),
			args.netuid
		)
		.into());
	}
	let call = api::tx().registration().serve_axon(
		args.netuid,
		args.version,
		ip,
		args.port,
		ip_type,
		args.protocol,
	);
	ctx.send_and_report(&call, &hotkey, "axon served").await
}

/// The columns `luxctl metagraph` shows.
const METAGRAPH_FIELDS: [MetagraphField; 12] = [
	MetagraphField::Hotkeys,
	MetagraphField::Coldkeys,
	MetagraphField::Stake,
	MetagraphField::Rank,
	MetagraphField::Trust,
	MetagraphField::Consensus,
	MetagraphField::Incentive,
	MetagraphField::Dividends,
	MetagraphField::Emission,
	MetagraphField::ValidatorTrust,
	MetagraphField::ValidatorPermit,
	MetagraphField::Axons,
];

pub async fn metagraph(ctx: &Ctx, args: MetagraphArgs) -> Result<()> {
	let at = ctx.client().await?.at_best().await?;
	let metagraph = sync(&at, args.netuid, &METAGRAPH_FIELDS)
		.await?
		.ok_or_else(|| format!("no subnet {}", args.netuid))?;
	let neurons = neuron_rows(&metagraph);
	let header = &metagraph.header;
	let report = json!({
		"netuid": header.netuid,
		"n": header.n,
		"block": header.block,
		"lastEpochBlock": header.last_epoch_block,
		"tempo": header.tempo,
		"neurons": neurons,
	});
	output::print_json_or(ctx, &report, || {
		println!(
			"subnet {}: {} neurons at block #{}, last epoch #{}, tempo {}",
			header.netuid, header.n, header.block, header.last_epoch_block, header.tempo
		);
		let rows = neurons
			.iter()
			.map(|neuron| {
				let proportion = |name: &str| {
					output::proportion(
						(neuron[name].as_f64().unwrap_or(0.0) * f64::from(u16::MAX)).round() as u16,
					)
				};
				vec![
					neuron["uid"].to_string(),
					output::short(neuron["hotkey"].as_str().unwrap_or("")),
					format_mdt(neuron["stake"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0)),
					proportion("rank"),
					proportion("trust"),
					proportion("consensus"),
					proportion("incentive"),
					proportion("dividends"),
					format_mdt(
						neuron["emission"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0),
					),
					proportion("validatorTrust"),
					if neuron["validatorPermit"].as_bool().unwrap_or(false) {
						"*".into()
					} else {
						String::new()
					},
					neuron["axon"].as_str().unwrap_or("").into(),
				]
			})
			.collect();
		let header = [
			"UID",
			"HOTKEY",
			"STAKE",
			"RANK",
			"TRUST",
			"CONSENSUS",
			"INCENTIVE",
			"DIVIDENDS",
			"EMISSION",
			"VTRUST",
			"PERMIT",
			"AXON",
		];
		let right = [
			"UID",
			"STAKE",
			"RANK",
			"TRUST",
			"CONSENSUS",
			"INCENTIVE",
			"DIVIDENDS",
			"EMISSION",
			"VTRUST",
		];
		println!("{}", output::table(&header, rows, &right));
	});
	Ok(())
}

/// One JSON object per uid: the columns side by side, proportions as fractions, balances as
/// strings of planck, axons as `ip:port`.
fn neuron_rows(metagraph: &SelectiveMetagraph) -> Vec<serde_json::Value> {
	let n = usize::from(metagraph.header.n);
	let column = |values: &Option<Vec<u16>>, uid: usize| {
		values
			.as_ref()
			.and_then(|values| values.get(uid))
			.map(|value| output::proportion_json(*value))
	};
	(0..n)
		.map(|uid| {
			let axon = metagraph.axons.as_ref().and_then(|axons| axons.get(uid).cloned().flatten()).map(|axon| {
				let ip: IpAddr = if axon.ip_type == 6 {
					std::net::Ipv6Addr::from(axon.ip).into()
				} else {
					std::net::Ipv4Addr::from(axon.ip as u32).into()
				};
				format!("{ip}:{}", axon.port)
			});
			json!({
				"uid": uid,
				"hotkey": metagraph.hotkeys.as_ref().and_then(|keys| keys.get(uid)).map(|key| key.to_string()),
				"coldkey": metagraph.coldkeys.as_ref().and_then(|keys| keys.get(uid)).map(|key| key.to_string()),
				"stake": metagraph.stake.as_ref().and_then(|stake| stake.get(uid)).map(|stake| stake.to_string()),
				"rank": column(&metagraph.rank, uid),
				"trust": column(&metagraph.trust, uid),
				"consensus": column(&metagraph.consensus, uid),
				"incentive": column(&metagraph.incentive, uid),
				"dividends": column(&metagraph.dividends, uid),
				"emission": metagraph.emission.as_ref().and_then(|emission| emission.get(uid)).map(|e| e.to_string()),
				"validatorTrust": column(&metagraph.validator_trust, uid),
				"validatorPermit": metagraph.validator_permit.as_ref().and_then(|permits| permits.get(uid)),
				"axon": axon,
			})
		})
		.collect()
}

pub async fn run_swap(ctx: &Ctx, command: SwapCommand) -> Result<()> {
	match command {
		SwapCommand::Hotkey(args) => {
			let (wallet, old) = args.key.open(ctx)?;
			let new = wallet.hotkey(&args.new_hotkey)?;
			let coldkey_account = wallet.coldkey_account()?;
			ctx.confirm(&format!(
				"swap hotkey {} to {} (the swap fee is burned)",
				old.account_id(),
				new.account_id()
			))?;
			let coldkey = ctx.coldkey(&wallet)?;
			let call = api::tx().registration().swap_hotkey(
				old.account_id(),
				new.account_id(),
				new.hotkey_consent(&coldkey_account),
			);
			ctx.send_and_report(&call, &coldkey, "hotkey swapped").await
		}
		SwapCommand::Coldkey(args) => {
			let wallet = ctx.wallet(&args.wallet)?;
			let new = ctx.account(None, &args.new_coldkey)?;
			ctx.confirm(&format!(
				"schedule moving every hotkey, stake position, subnet and the free balance of {} to {new} (a fee is burned; it applies after the delay unless cancelled)",
				wallet.coldkey_account()?
			))?;
			let coldkey = ctx.coldkey(&wallet)?;
			ctx.send_and_report(
				&api::tx().registration().schedule_coldkey_swap(new),
				&coldkey,
				"coldkey swap scheduled",
			)
			.await
		}
		SwapCommand::CancelColdkey(args) => {
			let wallet = ctx.wallet(&args.wallet)?;
			let coldkey = ctx.coldkey(&wallet)?;
			ctx.send_and_report(
				&api::tx().registration().cancel_coldkey_swap(),
				&coldkey,
				"coldkey swap cancelled",
			)
			.await
		}
		SwapCommand::ApplyColdkey(args) => {
			let wallet = ctx.wallet(&args.wallet)?;
			let old = ctx.account(None, &args.old_coldkey)?;
			let coldkey = ctx.coldkey(&wallet)?;
			ctx.send_and_report(
				&api::tx().registration().apply_coldkey_swap(old),
				&coldkey,
				"coldkey swap applied",
			)
			.await
		}
	}
}
