//! `luxctl stake` and `luxctl delegate`.

use crate::{
	commands::{parse_perbill, print_outcome, WalletHotkey},
	context::{Ctx, Result},
	output,
};
use clap::{Args, Subcommand};
use luxtensor_client::{
	api,
	types::DelegateInfo,
	units::{format_mdt, parse_mdt},
};
use serde_json::json;

#[derive(Debug, Subcommand)]
pub enum StakeCommand {
	/// Stake from the coldkey on a hotkey.
	Add(StakeArgs),
	/// Unstake back to the coldkey.
	Remove(StakeArgs),
	/// Move stake from one hotkey to another.
	Move(MoveArgs),
	/// The coldkey's stake positions.
	Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct StakeArgs {
	/// The wallet whose coldkey stakes.
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
	/// The hotkey: an SS58 address or a hotkey name of the wallet.
	#[arg(long, short = 'k', default_value = "default")]
	pub hotkey: String,
	/// MDT.
	#[arg(long, value_parser = parse_mdt)]
	pub amount: u128,
}

#[derive(Debug, Args)]
pub struct MoveArgs {
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
	/// From this hotkey (address or name).
	#[arg(long)]
	pub from: String,
	/// To this hotkey (address or name).
	#[arg(long)]
	pub to: String,
	#[arg(long, value_parser = parse_mdt)]
	pub amount: u128,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
}

#[derive(Debug, Subcommand)]
pub enum DelegateCommand {
	/// Every delegate: take, total stake, registrations.
	List,
	/// One delegate and its nominators.
	Show {
		/// The delegate's hotkey (SS58).
		hotkey: String,
	},
	/// Set your hotkey's take: decreases apply at once, increases after the announced delay.
	Take(TakeArgs),
}

#[derive(Debug, Args)]
pub struct TakeArgs {
	#[command(flatten)]
	pub key: WalletHotkey,
	/// The take: `18%` or `0.18`.
	#[arg(long)]
	pub take: String,
}

pub async fn run(ctx: &Ctx, command: StakeCommand) -> Result<()> {
	match command {
		StakeCommand::Add(args) => add_or_remove(ctx, args, true).await,
		StakeCommand::Remove(args) => add_or_remove(ctx, args, false).await,
		StakeCommand::Move(args) => move_stake(ctx, args).await,
		StakeCommand::Show(args) => show(ctx, &args.wallet).await,
	}
}

async fn add_or_remove(ctx: &Ctx, args: StakeArgs, add: bool) -> Result<()> {
	let wallet = ctx.wallet(&args.wallet)?;
	let hotkey = ctx.account(Some(&wallet), &args.hotkey)?;
	let coldkey_account = wallet.coldkey_account()?;
	let at = ctx.client().await?.at_best().await?;
	if add {
		ctx.ensure_free(&at, &coldkey_account, args.amount, "staking").await?;
	} else {
		let staked: u128 = at
			.stake_of_coldkey(&coldkey_account)
			.await?
			.iter()
			.filter(|position| position.hotkey == hotkey)
			.map(|position| position.stake)
			.sum();
		if staked < args.amount {
			return Err(format!(
				"not enough stake: {coldkey_account} has {} MDT on {hotkey}, unstaking needs {}",
				format_mdt(staked),
				format_mdt(args.amount)
			)
			.into());
		}
	}
	let verb = if add { "stake" } else { "unstake" };
	ctx.confirm(&format!("{verb} {} MDT on {hotkey}", format_mdt(args.amount)))?;
	let coldkey = ctx.coldkey(&wallet)?;
	let outcome = if add {
		ctx.send(&api::tx().stake().add_stake(hotkey, args.amount), &coldkey, "staked").await?
	} else {
		ctx.send(&api::tx().stake().remove_stake(hotkey, args.amount), &coldkey, "unstaked").await?
	};
	print_outcome(ctx, &outcome, json!({}));
	Ok(())
}

async fn move_stake(ctx: &Ctx, args: MoveArgs) -> Result<()> {
	let wallet = ctx.wallet(&args.wallet)?;
	let from = ctx.account(Some(&wallet), &args.from)?;
	let to = ctx.account(Some(&wallet), &args.to)?;
	ctx.confirm(&format!("move {} MDT of stake from {from} to {to}", format_mdt(args.amount)))?;
	let coldkey = ctx.coldkey(&wallet)?;
	let call = api::tx().stake().move_stake(from, to, args.amount);
	ctx.send_and_report(&call, &coldkey, "stake moved").await
}

async fn show(ctx: &Ctx, name: &str) -> Result<()> {
	let wallet = ctx.wallet(name)?;
	let coldkey = wallet.coldkey_account()?;
	let at = ctx.client().await?.at_best().await?;
	let positions = at.stake_of_coldkey(&coldkey).await?;
	let report: Vec<_> = positions
		.iter()
		.map(|position| {
			json!({
				"hotkey": position.hotkey.to_string(),
				"hotkeyOwner": position.hotkey_owner.as_ref().map(|owner| owner.to_string()),
				"stake": position.stake.to_string(),
			})
		})
		.collect();
	output::print_json_or(ctx, &json!(report), || {
		let total: u128 = positions.iter().map(|position| position.stake).sum();
		let rows = positions
			.iter()
			.map(|position| vec![position.hotkey.to_string(), format_mdt(position.stake)])
			.collect();
		println!("{}", output::table(&["HOTKEY", "STAKE"], rows, &["STAKE"]));
		println!("total {} MDT staked by {coldkey}", format_mdt(total));
	});
	Ok(())
}

pub async fn run_delegate(ctx: &Ctx, command: DelegateCommand) -> Result<()> {
	match command {
		DelegateCommand::List => {
			let at = ctx.client().await?.at_best().await?;
			let delegates = at.all_delegates().await?;
			let report: Vec<_> = delegates.iter().map(delegate_json).collect();
			output::print_json_or(ctx, &json!(report), || {
				let rows = delegates
					.iter()
					.map(|delegate| {
						vec![
							delegate.hotkey.to_string(),
							output::percent(delegate.take.0),
							format_mdt(delegate.total_stake),
							join(&delegate.registrations),
							join(&delegate.validator_permits),
						]
					})
					.collect();
				println!(
					"{}",
					output::table(
						&["HOTKEY", "TAKE", "STAKE", "SUBNETS", "PERMITS"],
						rows,
						&["TAKE", "STAKE"]
					)
				);
			});
			Ok(())
		}
		DelegateCommand::Show { hotkey } => {
			let hotkey = ctx.account(None, &hotkey)?;
			let at = ctx.client().await?.at_best().await?;
			let delegate =
				at.delegate(&hotkey).await?.ok_or_else(|| format!("{hotkey} is not a delegate"))?;
			output::print_json_or(ctx, &delegate_json(&delegate), || {
				println!("hotkey      {}", delegate.hotkey);
				println!(
					"owner       {}",
					delegate.owner.as_ref().map(|o| o.to_string()).unwrap_or_else(|| "-".into())
				);
				println!("take        {}", output::percent(delegate.take.0));
				println!("stake       {} MDT", format_mdt(delegate.total_stake));
				println!("subnets     {}", join(&delegate.registrations));
				println!("permits     {}", join(&delegate.validator_permits));
			});
			Ok(())
		}
		DelegateCommand::Take(args) => {
			let take = parse_perbill(&args.take)?;
			let (wallet, hotkey) = args.key.open(ctx)?;
			let at = ctx.client().await?.at_best().await?;
			let current = at.delegate(&hotkey.account_id()).await?.map(|delegate| delegate.take.0);
			let increase = current.is_none_or(|current| take.0 > current);
			ctx.confirm(&format!(
				"set the take of {} to {}{}",
				hotkey.account_id(),
				output::percent(take.0),
				if increase { " (an increase applies after the announced delay)" } else { "" }
			))?;
			let coldkey = ctx.coldkey(&wallet)?;
			let outcome = if increase {
				ctx.send(
					&api::tx().stake().increase_take(hotkey.account_id(), take),
					&coldkey,
					"take increase announced",
				)
				.await?
			} else {
				ctx.send(
					&api::tx().stake().decrease_take(hotkey.account_id(), take),
					&coldkey,
					"take decreased",
				)
				.await?
			};
			print_outcome(ctx, &outcome, json!({}));
			Ok(())
		}
	}
}

fn delegate_json(delegate: &DelegateInfo) -> serde_json::Value {
	json!({
		"hotkey": delegate.hotkey.to_string(),
		"owner": delegate.owner.as_ref().map(|owner| owner.to_string()),
		"take": delegate.take.0,
		"totalStake": delegate.total_stake.to_string(),
		"registrations": delegate.registrations,
		"validatorPermits": delegate.validator_permits,
	})
}

fn join(netuids: &[u16]) -> String {
	netuids.iter().map(|netuid| netuid.to_string()).collect::<Vec<_>>().join(",")
}
