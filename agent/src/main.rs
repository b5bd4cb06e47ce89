//! `luxtensor-agent`: the software on the machines of LuxTensor's compute market.
//!
//! - `provider`: registers the machine's hardware, heartbeats, bids, accepts jobs, runs their
//!   workloads, commits and reveals results, publishes outputs, applies late lease bills.
//! - `validator`: benchmarks the providers it is drawn to attest, re-runs spot-checked and
//!   disputed jobs, and sets weights from attested scores and uptime.
//! - `content`, `model`, `input`, `hardware`: the content store and the deterministic
//!   workloads from the command line, for posters and operators.

mod chain;
mod metrics;
mod provider;
mod serve;
mod state;
mod tools;
mod validator;
mod work;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use luxtensor_client::{
	wallet::{Wallet, WalletStore},
	At, Client, ConnectOptions,
};
use std::{net::SocketAddr, path::PathBuf, sync::Arc, time::Duration};

/// LuxTensor's compute agents.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
	/// Node endpoint.
	#[arg(long, global = true, env = "LUXTENSOR_URL", default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// Where wallets live (default: ~/.luxtensor/wallets, as for luxctl).
	#[arg(long, global = true, env = "LUXTENSOR_WALLET_PATH", value_name = "DIR")]
	wallet_path: Option<PathBuf>,
	/// Log filter (`info`, `debug`, `luxtensor_agent=debug`, ...); also `RUST_LOG`.
	#[arg(long, global = true, default_value = "info")]
	log: String,
	#[command(subcommand)]
	command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
	/// Offer this machine's compute: register, heartbeat, bid, accept, run, commit, reveal.
	Provider {
		#[command(flatten)]
		agent: AgentArgs,
		#[command(flatten)]
		args: provider::ProviderArgs,
	},
	/// Check providers: attest hardware, re-run spot checks and disputes, set weights.
	Validator {
		#[command(flatten)]
		agent: AgentArgs,
		#[command(flatten)]
		args: validator::ValidatorArgs,
	},
	/// Put content into a store or get it by CID.
	#[command(subcommand)]
	Content(tools::ContentCommand),
	/// Quantized models for inference and training jobs.
	#[command(subcommand)]
	Model(tools::ModelCommand),
	/// Inputs for inference jobs and datasets for training jobs.
	#[command(subcommand)]
	Input(tools::InputCommand),
	/// The hardware this machine would declare, as JSON.
	Hardware,
	/// Run the hardware benchmark here and print its score.
	Bench {
		#[arg(long, default_value_t = 256)]
		dim: u32,
		#[arg(long, default_value_t = 16)]
		rounds: u32,
		#[arg(long)]
		threads: Option<usize>,
	},
}

/// Options both agents share.
#[derive(Debug, clap::Args)]
struct AgentArgs {
	/// The wallet: its hotkey signs the agent's calls (a provider's coldkey registers it).
	#[arg(long, short = 'w')]
	wallet: String,
	/// The wallet's hotkey: a neuron of `--netuid` (a validator's with a validator permit).
	#[arg(long, short = 'k', default_value = "default")]
	hotkey: String,
	/// The compute subnet.
	#[arg(long)]
	netuid: luxtensor_client::types::NetUid,
	/// Where the agent keeps its results and salts across restarts (default:
	/// ~/.luxtensor/agent/<role>).
	#[arg(long)]
	state_dir: Option<PathBuf>,
	/// The content store: `dir:PATH` (or a path) or an IPFS HTTP gateway
	/// `http://HOST:PORT[,api=http://HOST:PORT]` (Kubo's RPC API for uploads).
	#[arg(long)]
	store: String,
	/// Serve Prometheus metrics on this port (`/metrics`).
	#[arg(long)]
	prometheus_port: Option<u16>,
	/// Threads the workloads use (default: every core).
	#[arg(long)]
	threads: Option<usize>,
	/// Misbehave on purpose, to test the chain's verification (test builds only).
	#[cfg(feature = "cheats")]
	#[arg(long, value_enum)]
	cheat: Option<Cheat>,
}

/// Ways a provider misbehaves in tests of the verification paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Cheat {
	/// Reveal a corrupted output.
	WrongResult,
	/// Accept jobs and never commit (a missed deadline).
	SkipWork,
	/// Declare eight H100s and 64 cores whatever the machine has.
	FakeSpec,
}

/// What every agent command needs.
pub struct Common {
	url: String,
	wallet_path: Option<PathBuf>,
	wallet: String,
	hotkey: String,
	pub netuid: luxtensor_client::types::NetUid,
	pub state_dir: PathBuf,
	pub store: String,
	pub prometheus_port: Option<u16>,
	pub threads: usize,
	pub cheat: Option<Cheat>,
}

impl Common {
	fn new(cli: &Cli, agent: &AgentArgs, role: &str) -> Self {
		let threads = agent
			.threads
			.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
		Self {
			url: cli.url.clone(),
			wallet_path: cli.wallet_path.clone(),
			wallet: agent.wallet.clone(),
			hotkey: agent.hotkey.clone(),
			netuid: agent.netuid,
			state_dir: agent.state_dir.clone().unwrap_or_else(|| {
				WalletStore::default_root()
					.parent()
					.map(|root| root.join("agent").join(role))
					.unwrap_or_else(|| PathBuf::from(format!("luxtensor-agent-{role}")))
			}),
			store: agent.store.clone(),
			prometheus_port: agent.prometheus_port,
			threads: threads.max(1),
			#[cfg(feature = "cheats")]
			cheat: agent.cheat,
			#[cfg(not(feature = "cheats"))]
			cheat: None,
		}
	}

	/// Opens the wallet, connects (with retries: an agent started with its node waits for
	/// it) and checks that the hotkey is a neuron of the subnet.
	pub async fn open(&self, metrics: Arc<metrics::Metrics>) -> Result<(Wallet, chain::Chain)> {
		let wallets =
			WalletStore::new(self.wallet_path.clone().unwrap_or_else(WalletStore::default_root));
		let wallet = wallets.open(&self.wallet)?;
		let hotkey = wallet.hotkey(&self.hotkey)?;
		let mut options = ConnectOptions::new(self.url.clone());
		options.retries = 30;
		let client = Client::connect_with(options)
			.await
			.with_context(|| format!("cannot reach {}", self.url))?;
		let chain = chain::Chain::new(client, hotkey, metrics);
		let at = chain.best().await?;
		at.existing_subnet(self.netuid).await?;
		if at.uid_of(self.netuid, &chain.me).await?.is_none() {
			anyhow::bail!(
				"hotkey {} is not a neuron of subnet {}: register it first (`luxctl register --netuid {}`)",
				chain.me,
				self.netuid,
				self.netuid
			);
		}
		Ok((wallet, chain))
	}
}

/// The coldkey's password, from `LUXTENSOR_PASSWORD` (for services) or the terminal.
pub fn password() -> Result<String> {
	if let Ok(password) = std::env::var("LUXTENSOR_PASSWORD") {
		return Ok(password);
	}
	rpassword::prompt_password("coldkey password: ")
		.context("a password is needed: set LUXTENSOR_PASSWORD or run in a terminal")
}

/// An agent: what it does at each block.
pub(crate) trait Agent {
	fn chain(&self) -> &chain::Chain;
	/// Notified when background work finished, so the next tick need not wait for a block.
	fn wake(&self) -> Arc<tokio::sync::Notify>;
	/// One reconciliation with the chain's state at `at`.
	async fn tick(&mut self, at: &At) -> Result<()>;
}

/// Ticks `agent` with each new best block (and again when woken, for work that finished
/// between blocks). A failed tick is logged and the next block tries again; the agent stops
/// after 100 failures in a row.
pub(crate) async fn each_block<A: Agent>(agent: &mut A) -> Result<()> {
	let wake = agent.wake();
	let mut last = None;
	let mut failures = 0u32;
	loop {
		let woken = tokio::select! {
			_ = tokio::time::sleep(Duration::from_secs(1)) => false,
			_ = wake.notified() => true,
		};
		let at = match agent.chain().best().await {
			Ok(at) => at,
			Err(error) => {
				tracing::warn!(error = %format!("{error:#}"), "cannot read the best block");
				continue;
			}
		};
		if !woken && last == Some(at.number()) {
			continue;
		}
		last = Some(at.number());
		match agent.tick(&at).await {
			Ok(()) => failures = 0,
			Err(error) => {
				failures += 1;
				tracing::warn!(error = %format!("{error:#}"), failures, "tick failed");
				if failures >= 100 {
					return Err(error.context("100 blocks in a row failed"));
				}
			}
		}
	}
}

/// Serves `GET /metrics` on `port` when one is given.
pub async fn serve_metrics(port: Option<u16>, metrics: Arc<metrics::Metrics>) -> Result<()> {
	let Some(port) = port else { return Ok(()) };
	serve::serve(SocketAddr::from(([0, 0, 0, 0], port)), move |request| {
		let metrics = metrics.clone();
		async move {
			if request.path == "/metrics" {
				serve::Response::new(200, "text/plain; version=0.0.4", metrics.render())
			} else {
				serve::Response::text(404, "GET /metrics")
			}
		}
	})
	.await
}

#[tokio::main]
async fn main() {
	let cli = Cli::parse();
	let filter = tracing_subscriber::EnvFilter::try_from_default_env()
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&cli.log));
	tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
	if let Err(error) = run(cli).await {
		eprintln!("error: {error:#}");
		std::process::exit(1);
	}
}

async fn run(cli: Cli) -> Result<()> {
	match &cli.command {
		Command::Provider { agent, args } => {
			let common = Common::new(&cli, agent, "provider");
			provider::run(common, args.clone()).await
		}
		Command::Validator { agent, args } => {
			let common = Common::new(&cli, agent, "validator");
			validator::run(common, args.clone()).await
		}
		Command::Content(command) => tools::content(command).await,
		Command::Model(command) => tools::model(command),
		Command::Input(command) => tools::input(command),
		Command::Hardware => tools::hardware(),
		Command::Bench { dim, rounds, threads } => tools::bench(*dim, *rounds, *threads),
	}
}
