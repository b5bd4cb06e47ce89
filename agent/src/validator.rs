//! `luxtensor-agent validator`: a compute subnet validator's side of the market.
//!
//! At every new best block it reconciles with the chain's state:
//! - providers it was drawn to attest: it sends each a random benchmark challenge over its
//!   axon, times the answer, checks it (Freivalds' check, without redoing the work), and
//!   commits then reveals the measured score and whether it meets the declared hardware's
//!   floor;
//! - jobs it was drawn to review (a spot check or a jury): it re-runs the workload from the
//!   content store and commits then reveals the result hash;
//! - every tempo, weights over the subnet's providers: the attested score times the share
//!   of blocks it has seen the provider active (its uptime), by commit-reveal when the
//!   subnet uses it.
//!
//! Reports, results and salts are saved before the commitment that needs them is sent.

use crate::{
	chain::{self, attestation_commitment, result_commitment, Chain},
	metrics::Metrics,
	state::{hex32, StateFile},
	Common,
};
use anyhow::{anyhow, bail, Context, Result};
use luxtensor_client::{
	api::{
		self,
		runtime_types::{
			luxtensor_primitives::compute::{JobInfo, JobStatus, ProviderStatus, ReviewKind},
			pallet_compute::types::AttestationPhase,
		},
	},
	types::{AccountId32, NetUid, H256},
	At,
};
use luxtensor_workloads::{bench, http, store::Store};
use serde::{Deserialize, Serialize};
use std::{
	collections::{BTreeMap, HashSet},
	net::{Ipv4Addr, Ipv6Addr},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

/// The validator's options.
#[derive(Debug, Clone, clap::Args)]
pub struct ValidatorArgs {
	/// Blocks between two weight settings (default: the subnet's tempo, at least its rate
	/// limit).
	#[arg(long)]
	pub weights_every: Option<u64>,
	/// Side of the benchmark's matrices.
	#[arg(long, default_value_t = 256)]
	pub bench_dim: u32,
	/// Matrix products in one benchmark.
	#[arg(long, default_value_t = 16)]
	pub bench_rounds: u32,
}

#[derive(Clone, Serialize, Deserialize)]
struct Report {
	score: u32,
	verdict: bool,
	#[serde(with = "hex32")]
	salt: [u8; 32],
}

#[derive(Clone, Serialize, Deserialize)]
struct ReviewRecord {
	#[serde(with = "hex32")]
	result_hash: [u8; 32],
	#[serde(with = "hex32")]
	salt: [u8; 32],
}

/// Blocks a provider was seen, and seen active.
#[derive(Clone, Copy, Default, Serialize, Deserialize)]
struct Uptime {
	seen: u64,
	active: u64,
}

/// Weights committed and not revealed yet.
#[derive(Clone, Serialize, Deserialize)]
struct PendingWeights {
	block: u64,
	uids: Vec<u16>,
	values: Vec<u16>,
	salt: Vec<u16>,
	version_key: u64,
}

#[derive(Default, Serialize, Deserialize)]
struct ValidatorState {
	/// Reports by `provider/round`.
	#[serde(default)]
	attestations: BTreeMap<String, Report>,
	/// Re-run results by job id.
	#[serde(default)]
	reviews: BTreeMap<u64, ReviewRecord>,
	/// By provider hotkey (SS58).
	#[serde(default)]
	uptime: BTreeMap<String, Uptime>,
	#[serde(default)]
	pending_weights: Option<PendingWeights>,
	#[serde(default)]
	weights_at: u64,
	#[serde(default)]
	uptime_at: u64,
}

struct Validator {
	chain: Chain,
	common: Common,
	args: ValidatorArgs,
	store: Arc<Store>,
	state: Arc<Mutex<StateFile<ValidatorState>>>,
	/// Benchmarks and re-runs in progress, by state key.
	working: Arc<Mutex<HashSet<String>>>,
	wake: Arc<tokio::sync::Notify>,
}

/// Runs the validator until the process is stopped.
pub async fn run(common: Common, args: ValidatorArgs) -> Result<()> {
	let metrics = Arc::new(Metrics::new("validator"));
	let (_, chain) = common.open(metrics.clone()).await?;
	let store = Arc::new(Store::from_spec(&common.store)?);
	let state = StateFile::<ValidatorState>::open(&common.state_dir, "validator.json")?;
	tracing::info!(hotkey = %chain.me, netuid = common.netuid, "validator starting");
	crate::serve_metrics(common.prometheus_port, metrics).await?;
	let mut validator = Validator {
		chain,
		common,
		args,
		store,
		state: Arc::new(Mutex::new(state)),
		working: Default::default(),
		wake: Arc::new(tokio::sync::Notify::new()),
	};
	crate::each_block(&mut validator).await
}

impl crate::Agent for Validator {
	fn chain(&self) -> &Chain {
		&self.chain
	}

	fn wake(&self) -> Arc<tokio::sync::Notify> {
		self.wake.clone()
	}

	async fn tick(&mut self, at: &At) -> Result<()> {
		if let Err(error) = self.attest(at).await {
			tracing::warn!(error = %format!("{error:#}"), "attestations");
		}
		if let Err(error) = self.review(at).await {
			tracing::warn!(error = %format!("{error:#}"), "reviews");
		}
		self.weights(at).await
	}
}

impl Validator {
	/// Benchmarks, commits and reveals for the attestations this validator was drawn to.
	async fn attest(&self, at: &At) -> Result<()> {
		let now = at.number();
		let mut live = HashSet::new();
		let address = api::storage().compute().attestations();
		let mut entries = at.block().storage().iter(address, ()).await?;
		while let Some(entry) = entries.next().await {
			let entry = entry?;
			let (provider,) = entry.key()?.decode()?;
			let attestation = entry.value().decode()?;
			let AttestationPhase::Open { commit_end, reveal_end } = attestation.phase else {
				continue;
			};
			let Some(slot) =
				attestation.attestors.0.iter().find(|slot| slot.hotkey == self.chain.me)
			else {
				continue;
			};
			let key = format!("{provider}/{}", attestation.round);
			live.insert(key.clone());
			let report = self.lock().value.attestations.get(&key).cloned();
			if slot.commitment.is_none() && now < u64::from(commit_end) {
				match report {
					Some(report) => {
						let commitment = attestation_commitment(
							&provider,
							report.score,
							report.verdict,
							report.salt,
						);
						let call = api::tx().compute().attest_commit(provider, commitment);
						if self.chain.send(format!("attest {key}"), now, &call).await {
							self.chain.metrics.inc("attestations_total");
						}
					}
					None => self.start_benchmark(at, provider, key),
				}
			} else if slot.commitment.is_some()
				&& slot.report.is_none()
				&& (u64::from(commit_end)..u64::from(reveal_end)).contains(&now)
			{
				let Some(report) = report else {
					bail!("committed an attestation of {key} whose report is not in the state directory");
				};
				let call = api::tx().compute().attest_reveal(
					provider,
					report.score,
					report.verdict,
					report.salt,
				);
				self.chain.send(format!("attest-reveal {key}"), now, &call).await;
			}
		}
		// Reports of attestations that closed are done: the state file stays bounded.
		let working = self.working.lock().unwrap_or_else(|e| e.into_inner()).clone();
		let mut state = self.lock();
		let before = state.value.attestations.len();
		state.value.attestations.retain(|key, _| live.contains(key) || working.contains(key));
		if state.value.attestations.len() != before {
			state.save()?;
		}
		Ok(())
	}

	/// Benchmarks `provider` in the background and saves the report.
	fn start_benchmark(&self, at: &At, provider: AccountId32, key: String) {
		if !self.working.lock().unwrap_or_else(|e| e.into_inner()).insert(key.clone()) {
			return;
		}
		let (at, state, working, wake) =
			(at.clone(), self.state.clone(), self.working.clone(), self.wake.clone());
		let (netuid, dim, rounds) =
			(self.common.netuid, self.args.bench_dim, self.args.bench_rounds);
		tokio::spawn(async move {
			let report = benchmark(&at, netuid, &provider, dim, rounds).await;
			let saved = report.and_then(|(score, verdict)| {
				tracing::info!(%provider, score, verdict, "benchmarked");
				let report = Report { score, verdict, salt: chain::random_salt()? };
				let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
				state.value.attestations.insert(key.clone(), report);
				state.save()
			});
			if let Err(error) = saved {
				tracing::warn!(%provider, error = %format!("{error:#}"), "benchmark failed; retrying next block");
			}
			working.lock().unwrap_or_else(|e| e.into_inner()).remove(&key);
			wake.notify_one();
		});
	}

	/// Re-runs, commits and reveals for the jobs this validator was drawn to review.
	async fn review(&self, at: &At) -> Result<()> {
		let now = at.number();
		let mut live = HashSet::new();
		for status in [JobStatus::Checking, JobStatus::Revealing, JobStatus::Disputed] {
			for job in chain::jobs(at, None, None, Some(status)).await? {
				let Some(review) = &job.review else { continue };
				let Some(me) = review.reviewers.iter().find(|r| r.hotkey == self.chain.me) else {
					continue;
				};
				live.insert(job.id);
				let record = self.lock().value.reviews.get(&job.id).cloned();
				if !me.committed && now < u64::from(review.commit_end) {
					match record {
						Some(record) => {
							let commitment = result_commitment(
								job.id,
								&self.chain.me,
								H256(record.result_hash),
								record.salt,
							);
							let call = api::tx().compute().review_commit(job.id, commitment);
							if self.chain.send(format!("review {}", job.id), now, &call).await {
								self.chain.metrics.inc("reviews_total");
							}
						}
						None => self.start_rerun(at, &job),
					}
				} else if me.committed && me.result.is_none() && reveal_open(&job, now) {
					let Some(record) = record else {
						bail!("committed a review of job {} whose result is not in the state directory", job.id);
					};
					let call = api::tx().compute().review_reveal(
						job.id,
						H256(record.result_hash),
						record.salt,
					);
					self.chain.send(format!("review-reveal {}", job.id), now, &call).await;
				}
			}
		}
		// Reviews of jobs no longer under review are done.
		let mut state = self.lock();
		let before = state.value.reviews.len();
		let working = self.working.lock().unwrap_or_else(|e| e.into_inner()).clone();
		state
			.value
			.reviews
			.retain(|id, _| live.contains(id) || working.contains(&format!("job {id}")));
		if state.value.reviews.len() != before {
			state.save()?;
		}
		Ok(())
	}

	/// Re-runs `job` in the background and saves its result hash with a fresh salt.
	fn start_rerun(&self, at: &At, job: &JobInfo<AccountId32>) {
		let key = format!("job {}", job.id);
		if !self.working.lock().unwrap_or_else(|e| e.into_inner()).insert(key.clone()) {
			return;
		}
		let (at, job) = (at.clone(), job.clone());
		let (store, state, working, wake) =
			(self.store.clone(), self.state.clone(), self.working.clone(), self.wake.clone());
		let threads = self.common.threads;
		tokio::spawn(async move {
			let outcome = crate::work::run(&at, &store, &job, threads, false, false).await;
			let saved = outcome.and_then(|outcome| {
				tracing::info!(job = job.id, result = %hex::encode(outcome.result_hash), "re-ran the job");
				let record =
					ReviewRecord { result_hash: outcome.result_hash, salt: chain::random_salt()? };
				let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
				state.value.reviews.insert(job.id, record);
				state.save()
			});
			if let Err(error) = saved {
				tracing::warn!(job = job.id, error = %format!("{error:#}"), "re-run failed; retrying next block");
			}
			working.lock().unwrap_or_else(|e| e.into_inner()).remove(&key);
			wake.notify_one();
		});
	}

	/// Samples uptime every block and sets (or commits, and later reveals) weights every
	/// `weights_every` blocks.
	async fn weights(&mut self, at: &At) -> Result<()> {
		let now = at.number();
		let netuid = self.common.netuid;
		let providers = chain::providers(at, netuid).await?;
		let hyperparameters =
			at.hyperparameters(netuid).await?.ok_or_else(|| anyhow!("subnet {netuid} is gone"))?;
		let tempo = u64::from(hyperparameters.tempo).max(1);
		{
			let mut state = self.lock();
			if state.value.uptime_at != now {
				state.value.uptime_at = now;
				for provider in &providers {
					let uptime = state.value.uptime.entry(provider.hotkey.to_string()).or_default();
					uptime.seen += 1;
					uptime.active += u64::from(provider.status == ProviderStatus::Active);
				}
			}
		}

		let pending = self.lock().value.pending_weights.clone();
		if let Some(pending) = pending {
			let window = |block: u64| block / tempo;
			let reveal_window =
				window(pending.block) + u64::from(hyperparameters.commit_reveal_period);
			if window(now) > reveal_window {
				tracing::warn!(committed_at = pending.block, "weight commit expired unrevealed");
				self.lock().value.pending_weights = None;
			} else if window(now) == reveal_window {
				let call = api::tx().weights().reveal_weights(
					netuid,
					pending.uids,
					pending.values,
					pending.salt,
					pending.version_key,
				);
				if self.chain.send(format!("reveal-weights {}", pending.block), now, &call).await {
					let mut state = self.lock();
					state.value.pending_weights = None;
					state.save()?;
				}
			}
			return Ok(());
		}

		let every = self
			.args
			.weights_every
			.unwrap_or(tempo.max(u64::from(hyperparameters.weights_rate_limit)))
			.max(1);
		if now < self.lock().value.weights_at.saturating_add(every) {
			return Ok(());
		}
		let mut uids = Vec::new();
		let mut scores = Vec::new();
		for provider in &providers {
			let Some(uid) = at.uid_of(netuid, &provider.hotkey).await? else { continue };
			let uptime = self
				.lock()
				.value
				.uptime
				.get(&provider.hotkey.to_string())
				.copied()
				.unwrap_or_default();
			let availability = if provider.status == ProviderStatus::Active { 1.0 } else { 0.0 };
			let share = uptime.active as f64 / uptime.seen.max(1) as f64;
			uids.push(uid);
			scores.push(f64::from(provider.score.unwrap_or(0)) * share * availability);
		}
		let Ok(values) = luxtensor_client::weights::normalize(&scores) else {
			return Ok(()); // Nobody to weigh yet.
		};
		let version_key = hyperparameters.weights_version_key;
		if hyperparameters.commit_reveal_enabled {
			let salt = luxtensor_client::weights::random_salt()?;
			let hash = luxtensor_client::weights::commit_hash(
				&self.chain.me,
				netuid,
				&uids,
				&values,
				&salt,
				version_key,
			);
			{
				let mut state = self.lock();
				state.value.pending_weights =
					Some(PendingWeights { block: now, uids, values, salt, version_key });
				state.save()?;
			}
			let call = api::tx().weights().commit_weights(netuid, hash);
			if !self.chain.send(format!("commit-weights {now}"), now, &call).await {
				self.lock().value.pending_weights = None;
				return Ok(());
			}
		} else {
			let call = api::tx().weights().set_weights(netuid, uids, values, version_key);
			if !self.chain.send(format!("set-weights {now}"), now, &call).await {
				return Ok(());
			}
		}
		self.chain.metrics.inc("weights_set_total");
		let mut state = self.lock();
		state.value.weights_at = now;
		state.save()
	}

	fn lock(&self) -> std::sync::MutexGuard<'_, StateFile<ValidatorState>> {
		self.state.lock().unwrap_or_else(|e| e.into_inner())
	}
}

/// Whether a reviewer of `job` may reveal now: a spot check's checkers with the replicas,
/// a jury once its commit window is over.
fn reveal_open(job: &JobInfo<AccountId32>, now: u64) -> bool {
	let Some(review) = &job.review else { return false };
	match review.kind {
		ReviewKind::SpotCheck => job.status == JobStatus::Revealing,
		_ => job.status == JobStatus::Disputed && now >= u64::from(review.commit_end),
	}
}

/// Times a random challenge on `provider`'s axon and checks the answer: the measured
/// score, and whether the machine reaches the floor of the hardware it declared.
async fn benchmark(
	at: &At,
	netuid: NetUid,
	provider: &AccountId32,
	dim: u32,
	rounds: u32,
) -> Result<(u32, bool)> {
	let info =
		chain::provider(at, provider).await?.ok_or_else(|| anyhow!("no provider {provider}"))?;
	let uid =
		at.uid_of(netuid, provider).await?.ok_or_else(|| anyhow!("{provider} is not a neuron"))?;
	let axon = at
		.neuron(netuid, uid)
		.await?
		.and_then(|neuron| neuron.axon)
		.ok_or_else(|| anyhow!("{provider} serves no axon"))?;
	let url = if axon.ip_type == 6 {
		format!("http://[{}]:{}/benchmark", Ipv6Addr::from(axon.ip), axon.port)
	} else {
		format!("http://{}:{}/benchmark", Ipv4Addr::from(axon.ip as u32), axon.port)
	};
	let seed = u64::from_le_bytes(chain::random_salt()?[..8].try_into().unwrap_or_default());
	let challenge = bench::Challenge { seed, dim, rounds };
	let body = serde_json::to_vec(&challenge)?;
	let started = Instant::now();
	let response = http::request(
		"POST",
		&url,
		&[("Content-Type", "application/json")],
		&body,
		Duration::from_secs(120),
	)
	.await
	.with_context(|| format!("benchmark request to {url}"))?;
	let elapsed = started.elapsed();
	if response.status != 200 {
		bail!("{url} answered {}", response.status);
	}
	let answer: Vec<i32> = response
		.body
		.chunks_exact(4)
		.map(|bytes| i32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
		.collect();
	let check_seed = u64::from_le_bytes(chain::random_salt()?[..8].try_into().unwrap_or_default());
	let correct = bench::verify(&challenge, &answer, check_seed);
	let score = if correct { bench::score(bench::multiply_adds(&challenge), elapsed) } else { 0 };
	let floor = bench::min_expected_score(
		&String::from_utf8_lossy(&info.spec.gpu_model.0),
		info.spec.gpu_count,
		info.spec.cpu_cores,
	);
	Ok((score, bench::verdict(correct, score, floor)))
}
