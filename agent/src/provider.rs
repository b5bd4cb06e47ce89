//! `luxtensor-agent provider`: a machine's side of the compute market.
//!
//! At start it detects the hardware, serves its axon (the benchmark validators time),
//! registers the hotkey as a provider with its bond when it is not one yet, and funds the
//! hotkey's fees. Then, at every new best block, it reconciles with the chain's state
//! rather than with events, so a restart or a missed block loses nothing: it heartbeats,
//! bids in auctions within its ask price, accepts assignments, runs each accepted job's
//! workload once, commits `blake2((job, hotkey, result_hash, salt))` and reveals the
//! result when the reveal window opens, and applies lease bills that are overdue. Results
//! and salts are saved (synced to disk) before their commitment is sent.

use crate::{
	chain::{self, result_commitment, Chain},
	metrics::Metrics,
	serve::{self, Response},
	state::{hex32, StateFile},
	Cheat, Common,
};
use anyhow::{bail, Result};
use luxtensor_client::{
	api::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			luxtensor_primitives::compute::{
				AssignmentPolicy, ComputeCapability, HardwareSpec, JobInfo, JobKind, JobStatus,
				ProviderStatus,
			},
		},
	},
	types::{AccountId32, NetUid, H256},
	units::{format_mdt, MDT},
	At, Keypair,
};
use luxtensor_workloads::{bench, hardware::Hardware, store::Store};
use serde::{Deserialize, Serialize};
use std::{
	collections::{BTreeMap, HashSet},
	net::{IpAddr, SocketAddr},
	sync::{Arc, Mutex},
};

/// The provider's options.
#[derive(Debug, Clone, clap::Args)]
pub struct ProviderArgs {
	/// Price per unit of work asked, MDT.
	#[arg(long, value_parser = luxtensor_client::units::parse_mdt)]
	pub ask_price: u128,
	/// Bond above what the hardware requires, MDT: it backs the collateral of accepted jobs.
	#[arg(long, value_parser = luxtensor_client::units::parse_mdt, default_value = "0")]
	pub extra_bond: u128,
	/// Where job payments go (SS58; default: the coldkey).
	#[arg(long)]
	pub payout: Option<AccountId32>,
	/// Two-letter region declared in the hardware spec.
	#[arg(long, default_value = "EU")]
	pub region: String,
	/// Address validators reach the axon at (published on chain with `serve_axon`).
	#[arg(long, default_value = "127.0.0.1")]
	pub axon_ip: IpAddr,
	/// Port of the axon (the benchmark endpoint).
	#[arg(long, default_value_t = 8091)]
	pub axon_port: u16,
	/// Declared network bandwidth, Mbit/s.
	#[arg(long, default_value_t = 1_000)]
	pub bandwidth_mbps: u32,
}

/// What the provider remembers of one job.
#[derive(Clone, Serialize, Deserialize)]
struct JobRecord {
	#[serde(with = "hex32")]
	result_hash: [u8; 32],
	output: String,
	#[serde(with = "hex32")]
	salt: [u8; 32],
}

#[derive(Default, Serialize, Deserialize)]
struct ProviderState {
	/// Computed results by job id, kept until the job is finished.
	#[serde(default)]
	jobs: BTreeMap<u64, JobRecord>,
}

/// The running provider.
struct Provider {
	chain: Chain,
	common: Common,
	store: Arc<Store>,
	state: Arc<Mutex<StateFile<ProviderState>>>,
	/// Jobs whose workload is running now.
	working: Arc<Mutex<HashSet<u64>>>,
	/// Finished jobs already counted in the metrics.
	counted: HashSet<u64>,
	ask_price: u128,
	protocol_fee_ppb: u32,
	min_heartbeat_interval: u32,
	/// Why the last heartbeat was refused, if it was.
	heartbeat_refusal: Option<String>,
	wake: Arc<tokio::sync::Notify>,
}

/// Runs the provider until the process is stopped.
pub async fn run(common: Common, args: ProviderArgs) -> Result<()> {
	let metrics = Arc::new(Metrics::new("provider"));
	let (wallet, chain) = common.open(metrics.clone()).await?;
	let store = Arc::new(Store::from_spec(&common.store)?);
	let state = StateFile::<ProviderState>::open(&common.state_dir, "provider.json")?;
	tracing::info!(
		hotkey = %chain.me,
		state = %common.state_dir.display(),
		unfinished = state.value.jobs.len(),
		"provider starting"
	);

	let hardware = luxtensor_workloads::hardware::detect(&common.state_dir);
	let spec = declared_spec(&hardware, &args, common.cheat);
	tracing::info!(
		cpu = %hardware.cpu_model,
		cores = hardware.cpu_cores,
		ram_mib = hardware.ram_mib,
		gpus = hardware.gpus.len(),
		declared = %String::from_utf8_lossy(&spec.gpu_model.0),
		"hardware detected"
	);

	serve_axon_endpoint(&args, common.threads).await?;
	crate::serve_metrics(common.prometheus_port, metrics.clone()).await?;
	register(&chain, &wallet, common.netuid, &args, spec).await?;

	let at = chain.best().await?;
	let protocol_fee_ppb = at
		.block()
		.constants()
		.entry(api::constants().compute().protocol_fee())
		.map(|fee| fee.0)
		.unwrap_or(0);
	let min_heartbeat_interval = chain.parameter(&at, "ComputeMinHeartbeatInterval", 10).await?;
	let mut provider = Provider {
		chain,
		common,
		store,
		state: Arc::new(Mutex::new(state)),
		working: Default::default(),
		counted: HashSet::new(),
		ask_price: args.ask_price,
		protocol_fee_ppb,
		min_heartbeat_interval,
		heartbeat_refusal: None,
		wake: Arc::new(tokio::sync::Notify::new()),
	};
	crate::each_block(&mut provider).await
}

/// The hardware spec to declare: what was detected (a test build's `--cheat fake-spec`
/// claims eight H100s and 64 cores instead).
fn declared_spec(hardware: &Hardware, args: &ProviderArgs, cheat: Option<Cheat>) -> HardwareSpec {
	let (gpu_model, gpu_count, vram, (major, minor), cpu_cores) = if cheat == Some(Cheat::FakeSpec)
	{
		("NVIDIA H100 80GB HBM3".to_owned(), 8, 81_920, (9, 0), 64)
	} else {
		(
			hardware.gpu_model_name(),
			hardware.gpu_count(),
			hardware.vram_per_gpu_mib(),
			hardware.compute_capability(),
			hardware.cpu_cores,
		)
	};
	let region = args.region.as_bytes();
	HardwareSpec {
		gpu_model: BoundedVec(gpu_model.into_bytes()),
		gpu_count,
		vram_per_gpu_mib: vram,
		compute_capability: ComputeCapability { major, minor },
		cpu_cores,
		ram_mib: hardware.ram_mib,
		disk_gib: hardware.disk_gib,
		bandwidth_mbps: args.bandwidth_mbps,
		region: [region.first().copied().unwrap_or(b'E'), region.get(1).copied().unwrap_or(b'U')],
	}
}

/// Serves `POST /benchmark`: the validator sends a [`bench::Challenge`] and times the
/// answer, the element-wise sum of its matrix products as little-endian i32s.
async fn serve_axon_endpoint(args: &ProviderArgs, threads: usize) -> Result<()> {
	let addr = SocketAddr::new(
		if args.axon_ip.is_loopback() { args.axon_ip } else { IpAddr::from([0, 0, 0, 0]) },
		args.axon_port,
	);
	serve::serve(addr, move |request| async move {
		if request.method != "POST" || request.path != "/benchmark" {
			return Response::text(404, "POST /benchmark");
		}
		let challenge: bench::Challenge = match serde_json::from_slice(&request.body) {
			Ok(challenge) => challenge,
			Err(error) => return Response::text(400, format!("not a challenge: {error}")),
		};
		if !challenge.within_limits() {
			return Response::text(400, "the challenge is beyond the benchmark's limits");
		}
		tracing::info!(dim = challenge.dim, rounds = challenge.rounds, "benchmark requested");
		match tokio::task::spawn_blocking(move || bench::run(&challenge, threads)).await {
			Ok(answer) => Response::new(
				200,
				"application/octet-stream",
				answer.iter().flat_map(|value| value.to_le_bytes()).collect::<Vec<u8>>(),
			),
			Err(error) => Response::text(500, error.to_string()),
		}
	})
	.await
}

/// Publishes the axon, registers the provider (bond, extra bond) and funds the hotkey's
/// fees, each only when needed; the coldkey is unlocked only then.
async fn register(
	chain: &Chain,
	wallet: &luxtensor_client::wallet::Wallet,
	netuid: NetUid,
	args: &ProviderArgs,
	spec: HardwareSpec,
) -> Result<()> {
	let at = chain.best().await?;
	let Some(uid) = at.uid_of(netuid, &chain.me).await? else {
		bail!("hotkey {} is not a neuron of subnet {netuid}", chain.me);
	};
	let mut coldkey: Option<Keypair> = None;
	let mut unlock = || -> Result<Keypair> {
		if let Some(key) = &coldkey {
			return Ok(key.clone());
		}
		let key = wallet.coldkey(&crate::password()?)?;
		coldkey = Some(key.clone());
		Ok(key)
	};

	if at.balance(&chain.me).await?.free < MDT / 10 {
		let call = api::tx().balances().transfer_keep_alive(chain.me.into(), MDT);
		chain.send_included("funding the hotkey's fees with 1 MDT", &call, &unlock()?).await?;
	}

	let (ip, ip_type) = match args.axon_ip {
		IpAddr::V4(v4) => (u128::from(u32::from(v4)), 4),
		IpAddr::V6(v6) => (u128::from(v6), 6),
	};
	let axon = at.neuron(netuid, uid).await?.and_then(|neuron| neuron.axon);
	if axon.is_none_or(|axon| axon.ip != ip || axon.port != args.axon_port) {
		let call = api::tx().registration().serve_axon(netuid, 1, ip, args.axon_port, ip_type, 0);
		chain.send_included("serving the axon", &call, &chain.hotkey).await?;
	}

	match chain::provider(&at, &chain.me).await? {
		None => {
			let payout = match args.payout {
				Some(payout) => payout,
				None => wallet.coldkey_account()?,
			};
			let call = api::tx().compute().register_provider(
				chain.me,
				netuid,
				spec,
				args.ask_price,
				payout,
			);
			chain.send_included("registering the provider", &call, &unlock()?).await?;
			if args.extra_bond > 0 {
				let call = api::tx().compute().bond_more(chain.me, args.extra_bond);
				chain.send_included("bonding more", &call, &unlock()?).await?;
			}
		}
		Some(info) => {
			match info.status {
				ProviderStatus::Leaving => {
					bail!("provider {} is leaving: it takes no work", chain.me)
				}
				ProviderStatus::Rejected => tracing::warn!(
					"the validators rejected this provider's hardware: `luxctl compute update --spec` to retry"
				),
				_ => {}
			}
			if info.ask_price != args.ask_price {
				let call =
					api::tx().compute().update_provider(chain.me, Some(args.ask_price), None, None);
				chain.send_included("updating the ask price", &call, &unlock()?).await?;
			}
		}
	}
	Ok(())
}

impl crate::Agent for Provider {
	fn chain(&self) -> &Chain {
		&self.chain
	}

	fn wake(&self) -> Arc<tokio::sync::Notify> {
		self.wake.clone()
	}

	/// One reconciliation with the chain's state at `at`.
	async fn tick(&mut self, at: &At) -> Result<()> {
		let now = at.number();
		let Some(info) = chain::provider(at, &self.chain.me).await? else {
			bail!("provider {} is no longer registered", self.chain.me);
		};
		if matches!(info.status, ProviderStatus::Active | ProviderStatus::Offline)
			&& now >= u64::from(info.last_heartbeat.saturating_add(self.min_heartbeat_interval))
		{
			let call = api::tx().compute().heartbeat();
			match self.chain.send_once("heartbeat".into(), now, &call).await {
				Ok(sent) => {
					self.heartbeat_refusal = None;
					if sent {
						self.chain.metrics.inc("heartbeats_total");
					}
				}
				// Said once, not every few blocks: a refusal lasts until the operator acts
				// (a slash below the required bond needs `luxctl compute bond-more`).
				Err(error) => {
					let reason = format!("{error:#}");
					if self.heartbeat_refusal.as_ref() != Some(&reason) {
						tracing::warn!(error = %reason, "heartbeats are refused: the provider will go offline");
						self.heartbeat_refusal = Some(reason);
					}
				}
			}
		}
		for job in chain::jobs(at, None, Some(self.chain.me), None).await? {
			if let Err(error) = self.step(at, &job).await {
				tracing::warn!(job = job.id, %error, "job step failed");
			}
		}
		if info.status == ProviderStatus::Active {
			self.bid(at).await?;
		}
		Ok(())
	}
}

impl Provider {
	/// What `job` needs from this provider now.
	async fn step(&mut self, at: &At, job: &JobInfo<AccountId32>) -> Result<()> {
		let now = at.number();
		let Some(replica) = job.replicas.iter().find(|replica| replica.provider == self.chain.me)
		else {
			return Ok(());
		};
		let lease = matches!(job.spec.kind, JobKind::Lease { .. });
		match &job.status {
			JobStatus::Assigned if !replica.accepted => {
				let call = api::tx().compute().accept_assignment(job.id);
				if self.chain.send(format!("accept {}", job.id), now, &call).await {
					self.chain.metrics.inc("jobs_accepted_total");
				}
			}
			JobStatus::Running if !lease && replica.accepted && !replica.committed => {
				let record = self.record(job.id);
				match record {
					Some(record) => {
						let commitment = result_commitment(
							job.id,
							&self.chain.me,
							H256(record.result_hash),
							record.salt,
						);
						let call = api::tx().compute().commit_result(job.id, commitment);
						self.chain.send(format!("commit {}", job.id), now, &call).await;
					}
					None => self.start_work(at, job),
				}
			}
			JobStatus::Revealing if replica.committed && replica.result.is_none() => {
				let record = self.record(job.id);
				let Some(record) = record else {
					bail!("committed to job {} but its result and salt are not in the state directory", job.id);
				};
				let call = api::tx().compute().reveal_result(
					job.id,
					H256(record.result_hash),
					BoundedVec(record.output.into_bytes()),
					record.salt,
				);
				self.chain.send(format!("reveal {}", job.id), now, &call).await;
			}
			// The chain bills leases from its deadline queue; a bill left for later (a full
			// block) is applied here, for the tip.
			JobStatus::Running | JobStatus::Grace
				if lease && job.next_step_at.is_some_and(|due| u64::from(due) < now) =>
			{
				let call = api::tx().compute().advance(job.id);
				if self.chain.send(format!("advance {}", job.id), now, &call).await {
					self.chain.metrics.inc("leases_billed_total");
				}
			}
			status if is_finished(status) => {
				self.finished(job, replica.result.as_ref().map(|r| r.0))
			}
			_ => {}
		}
		Ok(())
	}

	/// The saved result and salt of job `id`.
	fn record(&self, id: u64) -> Option<JobRecord> {
		self.state.lock().unwrap_or_else(|e| e.into_inner()).value.jobs.get(&id).cloned()
	}

	/// Runs `job`'s workload in the background; its result and a fresh salt are saved when
	/// it is done, and the next block commits them.
	fn start_work(&self, at: &At, job: &JobInfo<AccountId32>) {
		if self.common.cheat == Some(Cheat::SkipWork) {
			return;
		}
		if !self.working.lock().unwrap_or_else(|e| e.into_inner()).insert(job.id) {
			return;
		}
		let (at, job) = (at.clone(), job.clone());
		let (store, state, working, wake) =
			(self.store.clone(), self.state.clone(), self.working.clone(), self.wake.clone());
		let metrics = self.chain.metrics.clone();
		let threads = self.common.threads;
		let corrupt = self.common.cheat == Some(Cheat::WrongResult);
		tokio::spawn(async move {
			tracing::info!(job = job.id, "running the workload");
			let outcome = crate::work::run(&at, &store, &job, threads, true, corrupt).await;
			let saved = outcome.and_then(|outcome| {
				let record = JobRecord {
					result_hash: outcome.result_hash,
					output: outcome.output.clone(),
					salt: chain::random_salt()?,
				};
				let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
				state.value.jobs.insert(job.id, record);
				state.save()?;
				metrics.inc("jobs_done_total");
				metrics.add("work_seconds_total", outcome.seconds);
				tracing::info!(
					job = job.id,
					seconds = outcome.seconds,
					result = %hex::encode(outcome.result_hash),
					output = %outcome.output,
					"workload done"
				);
				Ok(())
			});
			if let Err(error) = saved {
				metrics.inc("jobs_failed_total");
				tracing::error!(job = job.id, error = %format!("{error:#}"), "workload failed");
			}
			working.lock().unwrap_or_else(|e| e.into_inner()).remove(&job.id);
			wake.notify_one();
		});
	}

	/// Counts a finished job once and forgets its result.
	fn finished(&mut self, job: &JobInfo<AccountId32>, my_result: Option<H256>) {
		if !self.counted.insert(job.id) {
			return;
		}
		let replica = job.replicas.iter().find(|replica| replica.provider == self.chain.me);
		let won = job.status == JobStatus::Settled
			&& my_result.is_some()
			&& job.result.as_ref().map(|r| r.0) == my_result;
		let lease_paid = job.status == JobStatus::Terminated && job.periods_billed > 0;
		if won || lease_paid {
			let units = match job.spec.kind {
				JobKind::Lease { .. } => job.periods_billed,
				ref kind => kind_units(kind),
			};
			let gross = replica.map_or(0, |r| r.unit_price).saturating_mul(u128::from(units));
			let fee = gross.saturating_mul(u128::from(self.protocol_fee_ppb)) / 1_000_000_000;
			let net = gross.saturating_sub(fee);
			self.chain.metrics.inc("jobs_settled_total");
			self.chain.metrics.add("earnings_planck_total", net as f64);
			tracing::info!(job = job.id, status = ?job.status, earned = %format_mdt(net), "job finished");
		} else {
			self.chain.metrics.inc("jobs_failed_total");
			tracing::warn!(job = job.id, status = ?job.status, "job finished without paying this provider");
		}
		let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
		if state.value.jobs.remove(&job.id).is_some() {
			if let Err(error) = state.save() {
				tracing::error!(%error, "cannot save the state");
			}
		}
	}

	/// Bids the ask price in open auctions this provider may serve.
	async fn bid(&self, at: &At) -> Result<()> {
		let now = at.number();
		for job in chain::jobs(at, None, None, Some(JobStatus::Open)).await? {
			let auction = matches!(job.spec.assignment, AssignmentPolicy::Auction { .. });
			let bid = job.bids.iter().any(|(bidder, _)| *bidder == self.chain.me);
			if !auction || bid || job.spec.max_unit_price < self.ask_price {
				continue;
			}
			let call = api::tx().compute().place_bid(job.id, self.ask_price);
			// The pool refuses bids this provider is not eligible for (hardware,
			// reputation): that is an answer, not a failure.
			match self.chain.send_once(format!("bid {}", job.id), now, &call).await {
				Ok(true) => self.chain.metrics.inc("bids_total"),
				Ok(false) => {}
				Err(error) => {
					tracing::debug!(job = job.id, error = %format!("{error:#}"), "no bid")
				}
			}
		}
		Ok(())
	}
}

fn kind_units(kind: &JobKind) -> u32 {
	match *kind {
		JobKind::Inference { units } => units,
		JobKind::Training { steps, .. } => steps,
		JobKind::Lease { periods, .. } => periods,
	}
}

/// Whether the job is over (mirrors `JobStatus::is_finished` of the runtime).
pub fn is_finished(status: &JobStatus) -> bool {
	matches!(
		status,
		JobStatus::Settled
			| JobStatus::Cancelled
			| JobStatus::Failed
			| JobStatus::Refunded
			| JobStatus::Terminated
	)
}
