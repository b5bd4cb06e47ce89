//! `luxctl`: LuxTensor from the command line, what btcli is to Bittensor. Wallets, subnets,
//! registration, stake, delegation, weights, axons, metagraphs and live events, over
//! `luxtensor-client`.

mod commands;
mod context;
mod output;

use clap::{Parser, Subcommand};
use commands::{compute, neuron, stake, subnet, wallet, watch};
use std::path::PathBuf;

/// LuxTensor's operator CLI.
#[derive(Debug, Parser)]
#[command(name = "luxctl", version, about, propagate_version = true)]
pub struct Cli {
	/// Node endpoint (default: the config file's `url`, else ws://127.0.0.1:9944).
	#[arg(long, global = true, env = "LUXCTL_URL")]
	pub url: Option<String>,

	/// Where wallets live (default: ~/.luxtensor/wallets).
	#[arg(long, global = true, env = "LUXCTL_WALLET_PATH", value_name = "DIR")]
	pub wallet_path: Option<PathBuf>,

	/// Config file (JSON: `url`, `walletPath`; default: ~/.luxtensor/config.json).
	#[arg(long, global = true, env = "LUXCTL_CONFIG", value_name = "FILE")]
	pub config: Option<PathBuf>,

	/// Print JSON instead of tables (read commands).
	#[arg(long, global = true)]
	pub json: bool,

	/// Do not ask for confirmation before sending.
	#[arg(long, short = 'y', global = true)]
	pub yes: bool,

	/// Wait for finality instead of inclusion in a block.
	#[arg(long, global = true)]
	pub finalized: bool,

	#[command(subcommand)]
	pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
	/// Coldkeys and hotkeys: create, recover, import, list, balances, transfers.
	#[command(subcommand)]
	Wallet(wallet::WalletCommand),
	/// Subnets: create, list, show, hyperparameters, identity, dissolve.
	#[command(subcommand)]
	Subnet(subnet::SubnetCommand),
	/// Register a hotkey on a subnet (burns the registration price, at most --max-burn).
	Register(subnet::RegisterArgs),
	/// The root network: register a validator, set its weights over subnets.
	#[command(subcommand)]
	Root(subnet::RootCommand),
	/// Stake on hotkeys: add, remove, move, show.
	#[command(subcommand)]
	Stake(stake::StakeCommand),
	/// Delegates: list, show, set your take.
	#[command(subcommand)]
	Delegate(stake::DelegateCommand),
	/// Weights of a validator: set, commit, reveal.
	#[command(subcommand)]
	Weights(neuron::WeightsCommand),
	/// A neuron's endpoint.
	#[command(subcommand)]
	Axon(neuron::AxonCommand),
	/// A subnet's metagraph as a table.
	Metagraph(neuron::MetagraphArgs),
	/// Swap a hotkey, or schedule a coldkey swap.
	#[command(subcommand)]
	Swap(neuron::SwapCommand),
	/// The GPU market: providers, models, jobs and leases.
	#[command(subcommand)]
	Compute(compute::ComputeCommand),
	/// Follow LuxTensor's events live.
	Watch(watch::WatchArgs),
	/// Show or change the config file.
	#[command(subcommand)]
	Config(context::ConfigCommand),
	/// A pallet's errors by index (what the pool's `Custom error: N` refers to), offline.
	Errors(commands::errors::ErrorsArgs),
}

#[tokio::main]
async fn main() {
	let cli = Cli::parse();
	let ctx = match context::Ctx::new(&cli) {
		Ok(ctx) => ctx,
		Err(error) => exit_with(&error),
	};
	let result = match cli.command {
		Command::Wallet(command) => wallet::run(&ctx, command).await,
		Command::Subnet(command) => subnet::run(&ctx, command).await,
		Command::Register(args) => subnet::register(&ctx, args).await,
		Command::Root(command) => subnet::run_root(&ctx, command).await,
		Command::Stake(command) => stake::run(&ctx, command).await,
		Command::Delegate(command) => stake::run_delegate(&ctx, command).await,
		Command::Weights(command) => neuron::run_weights(&ctx, command).await,
		Command::Axon(command) => neuron::run_axon(&ctx, command).await,
		Command::Metagraph(args) => neuron::metagraph(&ctx, args).await,
		Command::Swap(command) => neuron::run_swap(&ctx, command).await,
		Command::Compute(command) => compute::run(&ctx, command).await,
		Command::Watch(args) => watch::run(&ctx, args).await,
		Command::Config(command) => context::run_config(&ctx, command),
		Command::Errors(args) => commands::errors::run(&ctx, args),
	};
	if let Err(error) = result {
		exit_with(&error);
	}
}

/// One line naming the cause, exit code 1.
fn exit_with(error: &context::CliError) -> ! {
	eprintln!("error: {error}");
	std::process::exit(1)
}

#[cfg(test)]
mod tests {
	use super::*;
	use clap::CommandFactory;

	#[test]
	fn the_command_line_is_consistent() {
		Cli::command().debug_assert();
	}

	#[test]
	fn global_flags_go_anywhere_and_bad_input_is_refused() {
		let cli = Cli::try_parse_from([
			"luxctl", "stake", "add", "--wallet", "w", "--hotkey", "h", "--amount", "1.5",
			"--json", "--yes",
		])
		.unwrap();
		assert!(cli.json && cli.yes);
		assert!(matches!(cli.command, Command::Stake(stake::StakeCommand::Add(_))));
		assert!(Cli::try_parse_from(["luxctl", "metagraph", "not-a-netuid"]).is_err());
		assert!(Cli::try_parse_from(["luxctl", "weights", "set", "--wallet", "w"]).is_err());
	}
}
