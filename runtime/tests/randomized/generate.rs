//! The generator of call sequences: every custom pallet's calls plus balances, staking,
//! utility, proxy and sudo, from realistic actors, with arguments drawn from what the chain
//! holds (its subnets, uids, providers, jobs and their drawn attestors and reviewers) as
//! well as hostile ones (unknown ids, wrong signers and origins, duplicates, oversize
//! vectors, extreme numbers).
//!
//! Commitments are built from a small set of values and a fixed salt, so that a later
//! reveal drawn from the same set matches its commitment about half of the time.

use crate::{
	chain::{Chain, Keys, Step, FIRST_HOTKEY, HOTKEYS, POOR},
	common::h100,
};
use codec::Encode;
use luxtensor_primitives::{
	compute::{
		AssignmentPolicy, ComputeCapability, ContentId, GpuRequirement, HardwareSpec, JobKind,
		JobSpec, JobStatus, ModelKind, ModelVersion, ProviderStatus, Workload,
	},
	subnets::{HyperparametersUpdate, NetUid},
};
use luxtensor_runtime::{
	configs::ProxyType, currency::MDT, AccountId, Compute, Runtime, RuntimeCall, System, Weights,
};
use pallet_compute::{AttestationPhase, ReplicaState};
use polkadot_sdk::{
	frame_system, pallet_balances, pallet_proxy, pallet_staking, pallet_sudo, pallet_utility,
	sp_core::H256,
	sp_io::hashing::twox_128,
	sp_runtime::{FixedU128, Perbill},
};

/// SplitMix64: small, seedable, and the same on every machine.
pub struct Rng(u64);

impl Rng {
	pub fn new(seed: u64) -> Self {
		Self(seed)
	}

	pub fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
		z ^ (z >> 31)
	}

	/// A number in `0..bound` (`bound` > 0).
	pub fn below(&mut self, bound: u64) -> u64 {
		self.next() % bound
	}

	/// True `percent`% of the time.
	pub fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}

	pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
		items[self.below(items.len() as u64) as usize].clone()
	}
}

/// Salt of every commitment the generator makes.
const SALT: [u8; 32] = [9; 32];
/// Results and reports a commitment is made to, and revealed from.
const RESULTS: [H256; 2] = [H256::repeat_byte(1), H256::repeat_byte(2)];
const REPORTS: [(u32, bool); 2] = [(4_000, true), (120, false)];
/// A well-formed CIDv1 (raw, sha2-256).
const CID: &[u8] = b"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

/// What the generator draws arguments from: the chain's state before the next step.
struct View {
	block: u32,
	netuids: Vec<NetUid>,
	/// Per subnet: its neuron count and owner.
	subnets: Vec<(NetUid, u16, Option<AccountId>)>,
	providers: Vec<AccountId>,
	/// Open attestations and their drawn attestors.
	attestations: Vec<(AccountId, Vec<AccountId>)>,
	/// Unfinished jobs and their replicas' providers.
	jobs: Vec<(u64, JobStatus, Vec<AccountId>)>,
	/// Open reviews and their reviewers.
	reviews: Vec<(u64, Vec<AccountId>)>,
	next_job: u64,
	next_model: u32,
	next_slash: u32,
	/// What the actors are due to do next, for the flows to go on.
	duties: Vec<Duty>,
}

/// A step some actor is due to take in an attestation, a job or a review.
#[derive(Clone)]
enum Duty {
	AttestCommit { provider: AccountId, attestor: AccountId },
	AttestReveal { provider: AccountId, attestor: AccountId },
	Bid { job: u64, provider: AccountId },
	Accept { job: u64, provider: AccountId },
	CommitResult { job: u64, provider: AccountId },
	RevealResult { job: u64, provider: AccountId },
	ReviewCommit { job: u64, reviewer: AccountId },
	ReviewReveal { job: u64, reviewer: AccountId },
	Heartbeat { provider: AccountId },
}

impl View {
	/// Reads the state the generator draws from, and the duties it calls for, in one pass
	/// over each map.
	fn read() -> Self {
		let block = System::block_number();
		let netuids: Vec<NetUid> =
			pallet_subnets::Hyperparameters::<Runtime>::iter_keys().collect();
		let subnets = netuids
			.iter()
			.map(|&netuid| {
				let n = pallet_registration::NeuronCount::<Runtime>::get(netuid);
				let owner = pallet_subnets::Networks::<Runtime>::get(netuid).map(|r| r.owner);
				(netuid, n, owner)
			})
			.collect();
		let mut duties = Vec::new();

		let (mut providers, mut active) = (Vec::new(), Vec::new());
		for (provider, record) in pallet_compute::Providers::<Runtime>::iter() {
			if record.status == ProviderStatus::Active {
				active.push(provider.clone());
			}
			let heartbeat_due = record.last_heartbeat.saturating_add(2) <= block;
			if matches!(record.status, ProviderStatus::Active | ProviderStatus::Offline)
				&& heartbeat_due
			{
				duties.push(Duty::Heartbeat { provider: provider.clone() });
			}
			providers.push(provider);
		}

		let mut attestations = Vec::new();
		for (provider, attestation) in pallet_compute::Attestations::<Runtime>::iter() {
			let mut attestors = Vec::new();
			for slot in attestation.attestors {
				if let AttestationPhase::Open { commit_end, .. } = attestation.phase {
					let (provider, attestor) = (provider.clone(), slot.hotkey.clone());
					match (slot.commitment, slot.report) {
						(None, _) if block < commit_end => {
							duties.push(Duty::AttestCommit { provider, attestor })
						}
						(Some(_), None) if block >= commit_end => {
							duties.push(Duty::AttestReveal { provider, attestor })
						}
						_ => {}
					}
				}
				attestors.push(slot.hotkey);
			}
			attestations.push((provider, attestors));
		}

		let mut jobs = Vec::new();
		for (job, record) in pallet_compute::Jobs::<Runtime>::iter() {
			if record.status == JobStatus::Open
				&& matches!(record.spec.assignment, AssignmentPolicy::Auction { .. })
			{
				let bids = pallet_compute::Bids::<Runtime>::get(job).unwrap_or_default();
				for provider in &active {
					if !bids.iter().any(|bid| &bid.provider == provider) {
						duties.push(Duty::Bid { job, provider: provider.clone() });
					}
				}
			}
			let mut replicas = Vec::new();
			for replica in record.replicas {
				let provider = replica.provider;
				match (record.status, replica.state) {
					(JobStatus::Assigned, ReplicaState::Assigned) => {
						duties.push(Duty::Accept { job, provider: provider.clone() })
					}
					(JobStatus::Running, ReplicaState::Accepted) => {
						duties.push(Duty::CommitResult { job, provider: provider.clone() })
					}
					(JobStatus::Revealing, ReplicaState::Committed(_)) => {
						duties.push(Duty::RevealResult { job, provider: provider.clone() })
					}
					_ => {}
				}
				replicas.push(provider);
			}
			let finished = matches!(
				record.status,
				JobStatus::Settled
					| JobStatus::Cancelled
					| JobStatus::Failed
					| JobStatus::Refunded
					| JobStatus::Terminated
			);
			if !finished {
				jobs.push((job, record.status, replicas));
			}
		}

		let mut reviews = Vec::new();
		for (job, review) in pallet_compute::Reviews::<Runtime>::iter() {
			let mut reviewers = Vec::new();
			for reviewer in review.reviewers {
				let hotkey = reviewer.hotkey;
				match (reviewer.commitment, reviewer.result) {
					(None, _) if block < review.commit_end => {
						duties.push(Duty::ReviewCommit { job, reviewer: hotkey.clone() })
					}
					(Some(_), None) => {
						duties.push(Duty::ReviewReveal { job, reviewer: hotkey.clone() })
					}
					_ => {}
				}
				reviewers.push(hotkey);
			}
			reviews.push((job, reviewers));
		}

		Self {
			block,
			netuids,
			subnets,
			providers,
			attestations,
			jobs,
			reviews,
			next_job: pallet_compute::NextJobId::<Runtime>::get(),
			next_model: pallet_compute::NextModelId::<Runtime>::get(),
			next_slash: pallet_compute::NextSlashId::<Runtime>::get(),
			duties,
		}
	}
}

/// Draws steps for one sequence.
pub struct Generator<'a> {
	rng: Rng,
	keys: &'a Keys,
	view: View,
	/// How often [`Self::either`] picks a hostile value, in percent.
	hostility: u64,
}

type Draw = fn(&mut Generator) -> Step;

/// Every kind of step with its weight.
const DRAWS: &[(u32, Draw)] = &[
	(30, |g| g.duty()),
	(10, |g| g.blocks()),
	(4, |g| g.transfer()),
	(3, |g| g.batch()),
	(2, |g| g.proxy()),
	(3, |g| g.staking()),
	(2, |g| g.register_network()),
	(1, |g| g.dissolve_network()),
	(4, |g| g.set_hyperparameters()),
	(1, |g| g.set_subnet_identity()),
	(1, |g| g.set_root_weights()),
	(4, |g| g.burned_register()),
	(2, |g| g.serve()),
	(1, |g| g.swap_hotkey()),
	(1, |g| g.root_register()),
	(2, |g| g.claim_hotkey()),
	(1, |g| g.coldkey_swap()),
	(5, |g| g.set_weights()),
	(3, |g| g.commit_reveal_weights()),
	(1, |g| g.force_epoch()),
	(5, |g| g.stake()),
	(2, |g| g.take()),
	(1, |g| g.set_compute_subnet()),
	(3, |g| g.register_provider()),
	(2, |g| g.manage_provider()),
	(3, |g| g.heartbeat()),
	(4, |g| g.attest()),
	(1, |g| g.cancel_slash()),
	(2, |g| g.model()),
	(5, |g| g.post_job()),
	(2, |g| g.manage_job()),
	(2, |g| g.bid()),
	(2, |g| g.accept_assignment()),
	(2, |g| g.commit_reveal_result()),
	(3, |g| g.review()),
	(1, |g| g.challenge()),
];

fn update(f: impl FnOnce(&mut HyperparametersUpdate)) -> HyperparametersUpdate {
	let mut update = HyperparametersUpdate::default();
	f(&mut update);
	update
}

fn sudo(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) })
}

fn compute(call: pallet_compute::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::Compute(call)
}

fn signed(signer: u8, call: RuntimeCall) -> Step {
	Step::Call { signer, call: Box::new(call) }
}

fn cid(bytes: &[u8]) -> ContentId {
	bytes.to_vec().try_into().expect("within the bound")
}

/// A sequence's setup, as steps (so shrinking may drop them): subnet 1 with a tempo of 10,
/// Alice's hotkeys 1 to 4 registered and staked (validators after two epochs), Bob's and
/// Charlie's hotkeys 5 to 8 registered, every hotkey funded for fees, compute enabled with
/// short windows, and hotkeys 5 to 7 registered as providers with bond for collateral.
pub fn setup(keys: &Keys) -> Vec<Step> {
	let hotkey = |n: u8| FIRST_HOTKEY + n - 1;
	let owner = |n: u8| match n {
		1..=4 => 0,
		5..=6 => 1,
		_ => 2,
	};
	let mut steps = Vec::new();
	for n in 1..=8 {
		let coldkey = keys.account(owner(n));
		let signature = keys.consent(hotkey(n), &coldkey);
		let claim =
			pallet_registration::Call::claim_hotkey { hotkey: keys.account(hotkey(n)), signature };
		steps.push(signed(owner(n), RuntimeCall::Registration(claim)));
	}
	for n in 1..=HOTKEYS {
		let fund = pallet_balances::Call::transfer_keep_alive {
			dest: keys.account(hotkey(n)).into(),
			value: 100 * MDT,
		};
		steps.push(signed(n % 3, RuntimeCall::Balances(fund)));
	}
	let register = pallet_subnets::Call::register_network {
		hotkey: keys.account(hotkey(1)),
		max_lock: u128::MAX,
	};
	steps.push(signed(0, RuntimeCall::Subnets(register)));
	let update = update(|u| {
		u.tempo = Some(10);
		u.immunity_period = Some(0);
		u.max_allowed_validators = Some(4);
		u.weights_rate_limit = Some(1);
		u.commit_reveal_enabled = Some(false);
	});
	let set = pallet_subnets::Call::set_hyperparameters { netuid: 1, update };
	steps.push(signed(0, sudo(RuntimeCall::Subnets(set))));
	for n in 1..=8 {
		let register = pallet_registration::Call::burned_register {
			netuid: 1,
			hotkey: keys.account(hotkey(n)),
			max_burn: u128::MAX,
		};
		steps.push(signed(owner(n), RuntimeCall::Registration(register)));
	}
	for n in 1..=4 {
		let stake = pallet_stake::Call::add_stake {
			hotkey: keys.account(hotkey(n)),
			amount: u128::from(n) * 1_000 * MDT,
		};
		steps.push(signed(0, RuntimeCall::Stake(stake)));
	}
	let enable = pallet_compute::Call::set_compute_subnet { netuid: 1, enabled: true };
	steps.push(signed(0, sudo(compute(enable))));
	// Root shortens the compute windows, as the end-to-end tests do, so that deadlines,
	// timeouts and slashes come due within a sequence.
	let windows = [
		("AttestationCommitWindow", 4u32),
		("AttestationRevealWindow", 4),
		("ComputeHeartbeatTimeout", 30),
		("ComputeMinHeartbeatInterval", 2),
		("ComputeSlashDeferDuration", 6),
		("ComputeUnbondingPeriod", 12),
		("ComputeAcceptTimeout", 4),
		("ComputeResultRevealWindow", 4),
		("ComputeReviewWindow", 6),
		("ComputeMinLeasePeriod", 5),
	];
	let items = windows
		.iter()
		.map(|(name, blocks)| (twox_128(format!(":{name}:").as_bytes()).to_vec(), blocks.encode()))
		.collect();
	steps.push(signed(0, sudo(RuntimeCall::System(frame_system::Call::set_storage { items }))));
	steps.push(Step::Blocks(21));
	// Validators hold permits now: three providers register, for the attestors to draw.
	for n in [5, 6, 7] {
		let register = pallet_compute::Call::register_provider {
			hotkey: keys.account(hotkey(n)),
			netuid: 1,
			spec: h100(1),
			ask_price: MDT / 10,
			payout: keys.account(owner(n)),
		};
		steps.push(signed(owner(n), compute(register)));
		// Bond beyond the minimum, for the jobs' collateral.
		let bond =
			pallet_compute::Call::bond_more { hotkey: keys.account(hotkey(n)), amount: 100 * MDT };
		steps.push(signed(owner(n), compute(bond)));
	}
	steps
}

impl<'a> Generator<'a> {
	pub fn new(seed: u64, keys: &'a Keys) -> Self {
		let view = View {
			block: 0,
			netuids: Vec::new(),
			subnets: Vec::new(),
			providers: Vec::new(),
			attestations: Vec::new(),
			jobs: Vec::new(),
			reviews: Vec::new(),
			next_job: 0,
			next_model: 0,
			next_slash: 0,
			duties: Vec::new(),
		};
		Self { rng: Rng::new(seed), keys, view, hostility: 15 }
	}

	/// The next step, drawn from the chain's current state.
	pub fn next(&mut self, chain: &mut Chain) -> Step {
		self.view = chain.read(View::read);
		let total: u32 = DRAWS.iter().map(|(weight, _)| weight).sum();
		let mut ticket = self.rng.below(u64::from(total)) as u32;
		for (weight, draw) in DRAWS {
			if ticket < *weight {
				return draw(self);
			}
			ticket -= weight;
		}
		unreachable!("the tickets cover the weights")
	}

	// Actors and arguments.

	fn coldkey(&mut self) -> u8 {
		if self.rng.chance(3) {
			POOR
		} else {
			self.rng.below(6) as u8
		}
	}

	fn hotkey(&mut self) -> u8 {
		FIRST_HOTKEY + self.rng.below(u64::from(HOTKEYS)) as u8
	}

	fn any_key(&mut self) -> u8 {
		self.rng.below(u64::from(self.keys.len())) as u8
	}

	fn account(&mut self, key: u8) -> AccountId {
		self.keys.account(key)
	}

	/// Mostly a hotkey; sometimes a coldkey or an account nobody holds.
	fn hotkey_account(&mut self) -> AccountId {
		match self.rng.below(20) {
			0 => AccountId::new([self.rng.below(256) as u8; 32]),
			1 | 2 => {
				let key = self.coldkey();
				self.account(key)
			}
			_ => {
				let key = self.hotkey();
				self.account(key)
			}
		}
	}

	/// The signer `account` is, if it is one of the keys; else any key.
	fn signer_of(&mut self, account: &AccountId) -> u8 {
		match self.keys.index_of(account) {
			Some(key) if self.rng.chance(90) => key,
			_ => self.any_key(),
		}
	}

	fn amount(&mut self) -> u128 {
		self.rng.pick(&[
			0,
			1,
			MDT / 1_000,
			MDT / 10,
			MDT,
			10 * MDT,
			250 * MDT,
			5_000 * MDT,
			u128::MAX,
		])
	}

	fn netuid(&mut self) -> NetUid {
		match self.rng.below(10) {
			0 => self.rng.pick(&[NetUid::MAX, 7, 64]),
			1 => 0,
			_ if !self.view.netuids.is_empty() => self.rng.pick(&self.view.netuids),
			_ => 1,
		}
	}

	fn neuron_count(&self, netuid: NetUid) -> u16 {
		self.view.subnets.iter().find(|(id, ..)| *id == netuid).map_or(0, |(_, n, _)| *n)
	}

	fn subnet_owner(&mut self, netuid: NetUid) -> u8 {
		let owner =
			self.view.subnets.iter().find(|(id, ..)| *id == netuid).and_then(|s| s.2.clone());
		match owner {
			Some(owner) => self.signer_of(&owner),
			None => self.coldkey(),
		}
	}

	/// Uids of `netuid`: usually distinct and in range; sometimes duplicated, out of range,
	/// or more than the subnet has.
	fn uids(&mut self, netuid: NetUid) -> Vec<u16> {
		let n = self.neuron_count(netuid).max(1);
		let len = match self.rng.below(10) {
			0 => 0,
			1 => usize::from(n) + 3,
			_ => 1 + self.rng.below(u64::from(n)) as usize,
		};
		let mut uids: Vec<u16> = (0..n).collect();
		// Shuffle, then keep `len`, padding with hostile picks.
		for i in (1..uids.len()).rev() {
			uids.swap(i, self.rng.below(i as u64 + 1) as usize);
		}
		uids.truncate(len);
		while uids.len() < len {
			uids.push(self.rng.pick(&[0, n, u16::MAX]));
		}
		if self.rng.chance(5) && !uids.is_empty() {
			uids.push(uids[0]);
		}
		uids
	}

	fn job(&mut self) -> u64 {
		match self.rng.below(10) {
			0 => self.rng.pick(&[self.view.next_job, u64::MAX]),
			1..=3 if self.view.next_job > 0 => self.rng.below(self.view.next_job),
			_ if !self.view.jobs.is_empty() => {
				let jobs = self.view.jobs.clone();
				self.rng.pick(&jobs).0
			}
			_ => 0,
		}
	}

	/// A job and a signer: usually one of its replicas' providers.
	fn job_and_replica(&mut self) -> (u64, u8) {
		let id = self.job();
		let replicas = self.view.jobs.iter().find(|(job, ..)| *job == id).map(|j| j.2.clone());
		let signer = match replicas {
			Some(replicas) if !replicas.is_empty() => {
				let provider = self.rng.pick(&replicas);
				self.signer_of(&provider)
			}
			_ => self.hotkey(),
		};
		(id, signer)
	}

	/// Usually one of `groups` (an attestation's or a review's id with its drawn hotkeys)
	/// and, as the signer, one of its hotkeys.
	fn drawn<K: Clone>(&mut self, groups: &[(K, Vec<AccountId>)]) -> Option<(K, u8)> {
		if groups.is_empty() || !self.rng.chance(90) {
			return None;
		}
		let (key, members) = self.rng.pick(groups);
		let signer = match members.is_empty() {
			true => self.hotkey(),
			false => {
				let member = self.rng.pick(&members);
				self.signer_of(&member)
			}
		};
		Some((key, signer))
	}

	fn provider(&mut self) -> AccountId {
		if !self.view.providers.is_empty() && self.rng.chance(80) {
			let providers = self.view.providers.clone();
			self.rng.pick(&providers)
		} else {
			self.hotkey_account()
		}
	}

	fn content_id(&mut self) -> ContentId {
		let hostile = [cid(b"not-a-cid"), cid(&[b'b'; 96])];
		self.either(&[cid(CID)], &hostile)
	}

	fn hardware(&mut self) -> HardwareSpec {
		if self.rng.chance(70) {
			return h100(self.rng.pick(&[1, 2]));
		}
		let gpu_model: &[u8] = self.rng.pick(&[&b"NVIDIA H100 80GB"[..], b"CPU", b"", b"\x01bad"]);
		HardwareSpec {
			gpu_model: gpu_model.to_vec().try_into().expect("short"),
			gpu_count: self.rng.pick(&[0, 1, 2, 8, u16::MAX]),
			vram_per_gpu_mib: self.rng.pick(&[0, 81_920, u32::MAX]),
			compute_capability: ComputeCapability { major: 9, minor: 0 },
			cpu_cores: self.rng.pick(&[1, 64, u16::MAX]),
			ram_mib: 524_288,
			disk_gib: 4_000,
			bandwidth_mbps: self.rng.pick(&[0, 25_000]),
			region: self.rng.pick(&[*b"FI", *b"??"]),
		}
	}

	// Steps.

	/// Something an actor is due to do, signed by that actor (a block when nothing is due).
	fn duty(&mut self) -> Step {
		if self.view.duties.is_empty() {
			return Step::Blocks(1);
		}
		let duty = self.rng.pick(&self.view.duties);
		let signer = |g: &mut Self, account: &AccountId| g.keys.index_of(account).unwrap_or(0);
		// Mostly the honest result and report, so that commitments and reveals mostly match
		// and quorums form; sometimes the other, for mismatches, disputes and slashes.
		let result_hash = self.either(&RESULTS[..1], &RESULTS[1..]);
		let (score, verdict) = self.either(&REPORTS[..1], &REPORTS[1..]);
		let (signer, call) = match duty {
			Duty::AttestCommit { provider, attestor } => {
				let commitment = Compute::attestation_commitment(&provider, score, verdict, &SALT);
				(
					signer(self, &attestor),
					pallet_compute::Call::attest_commit { provider, commitment },
				)
			}
			Duty::AttestReveal { provider, attestor } => (
				signer(self, &attestor),
				pallet_compute::Call::attest_reveal { provider, score, verdict, salt: SALT },
			),
			Duty::Bid { job, provider } => {
				let unit_price = self.rng.pick(&[MDT / 100, MDT / 10, MDT]);
				(signer(self, &provider), pallet_compute::Call::place_bid { job, unit_price })
			}
			Duty::Accept { job, provider } => {
				(signer(self, &provider), pallet_compute::Call::accept_assignment { job })
			}
			Duty::CommitResult { job, provider } => {
				let commitment = Compute::result_commitment(job, &provider, &result_hash, &SALT);
				(signer(self, &provider), pallet_compute::Call::commit_result { job, commitment })
			}
			Duty::RevealResult { job, provider } => {
				let output = cid(CID);
				let call =
					pallet_compute::Call::reveal_result { job, result_hash, output, salt: SALT };
				(signer(self, &provider), call)
			}
			Duty::ReviewCommit { job, reviewer } => {
				let commitment = Compute::result_commitment(job, &reviewer, &result_hash, &SALT);
				(signer(self, &reviewer), pallet_compute::Call::review_commit { job, commitment })
			}
			Duty::ReviewReveal { job, reviewer } => (
				signer(self, &reviewer),
				pallet_compute::Call::review_reveal { job, result_hash, salt: SALT },
			),
			Duty::Heartbeat { provider } => {
				(signer(self, &provider), pallet_compute::Call::heartbeat {})
			}
		};
		signed(signer, compute(call))
	}

	fn blocks(&mut self) -> Step {
		Step::Blocks(if self.rng.chance(80) { 1 } else { 2 + self.rng.below(24) as u32 })
	}

	fn transfer(&mut self) -> Step {
		let signer = if self.rng.chance(70) { self.coldkey() } else { self.any_key() };
		let dest = if self.rng.chance(90) {
			let key = self.any_key();
			self.account(key)
		} else {
			AccountId::new([self.rng.below(256) as u8; 32])
		};
		let value = self.amount();
		let call = if self.rng.chance(50) {
			pallet_balances::Call::transfer_keep_alive { dest: dest.into(), value }
		} else {
			pallet_balances::Call::transfer_allow_death { dest: dest.into(), value }
		};
		signed(signer, RuntimeCall::Balances(call))
	}

	/// A call for a batch or a proxy: any drawn call but another batch or blocks.
	fn inner_call(&mut self) -> RuntimeCall {
		loop {
			if let Step::Call { call, .. } = self.rng.pick(DRAWS).1(self) {
				if !matches!(*call, RuntimeCall::Utility(_) | RuntimeCall::Proxy(_)) {
					return *call;
				}
			}
		}
	}

	fn batch(&mut self) -> Step {
		let signer = self.coldkey();
		let calls = (0..1 + self.rng.below(4)).map(|_| self.inner_call()).collect();
		let call = match self.rng.below(3) {
			0 => pallet_utility::Call::batch { calls },
			1 => pallet_utility::Call::batch_all { calls },
			_ => pallet_utility::Call::force_batch { calls },
		};
		signed(signer, RuntimeCall::Utility(call))
	}

	fn proxy(&mut self) -> Step {
		let (real, delegate) = (self.coldkey(), self.any_key());
		if self.rng.chance(40) {
			let proxy_type = self.rng.pick(&[
				ProxyType::Any,
				ProxyType::NonTransfer,
				ProxyType::Staking,
				ProxyType::CancelProxy,
			]);
			let delegate = self.account(delegate).into();
			let call = pallet_proxy::Call::add_proxy { delegate, proxy_type, delay: 0 };
			signed(real, RuntimeCall::Proxy(call))
		} else {
			let call = Box::new(self.inner_call());
			let real = self.account(real).into();
			signed(
				delegate,
				RuntimeCall::Proxy(pallet_proxy::Call::proxy {
					real,
					force_proxy_type: None,
					call,
				}),
			)
		}
	}

	fn staking(&mut self) -> Step {
		let signer = self.coldkey();
		let value = self.amount();
		let call = match self.rng.below(6) {
			0 => pallet_staking::Call::bond {
				value,
				payee: pallet_staking::RewardDestination::Staked,
			},
			1 => pallet_staking::Call::bond_extra { max_additional: value },
			2 => pallet_staking::Call::nominate { targets: vec![self.account(0).into()] },
			3 => pallet_staking::Call::unbond { value },
			4 => pallet_staking::Call::chill {},
			_ => pallet_staking::Call::withdraw_unbonded { num_slashing_spans: 0 },
		};
		signed(signer, RuntimeCall::Staking(call))
	}

	fn register_network(&mut self) -> Step {
		let signer = self.coldkey();
		let hotkey = self.hotkey_account();
		let max_lock = self.rng.pick(&[u128::MAX, 1_000 * MDT, 1]);
		signed(
			signer,
			RuntimeCall::Subnets(pallet_subnets::Call::register_network { hotkey, max_lock }),
		)
	}

	/// Dissolves a subnet: rarely subnet 1, where the compute market runs, so that most
	/// sequences keep their market going.
	fn dissolve_network(&mut self) -> Step {
		let others: Vec<NetUid> = self.view.netuids.iter().copied().filter(|&n| n != 1).collect();
		let netuid = match self.rng.below(10) {
			0 => 1,
			_ if !others.is_empty() => self.rng.pick(&others),
			_ => self.rng.pick(&[2, 7, NetUid::MAX]),
		};
		let call = RuntimeCall::Subnets(pallet_subnets::Call::dissolve_network { netuid });
		if self.rng.chance(60) {
			signed(0, sudo(call))
		} else {
			let owner = self.subnet_owner(netuid);
			signed(owner, call)
		}
	}

	fn hyperparameters(&mut self) -> HyperparametersUpdate {
		let mut update = HyperparametersUpdate::default();
		for _ in 0..1 + self.rng.below(3) {
			let rng = &mut self.rng;
			match rng.below(22) {
				0 => update.tempo = Some(rng.pick(&[0, 1, 3, 10, 360, u16::MAX])),
				1 => update.max_allowed_uids = Some(rng.pick(&[0, 1, 4, 16, 4096, u16::MAX])),
				2 => update.max_allowed_validators = Some(rng.pick(&[0, 1, 4, 64, u16::MAX])),
				3 => update.immunity_period = Some(rng.pick(&[0, 10, u32::MAX])),
				4 => update.activity_cutoff = Some(rng.pick(&[0, 5, 5_000, u32::MAX])),
				5 => update.min_allowed_weights = Some(rng.pick(&[0, 1, 3, u16::MAX])),
				6 => update.max_weight_limit = Some(rng.pick(&[0, 1_000, u16::MAX])),
				7 => update.weights_rate_limit = Some(rng.pick(&[0, 1, 100])),
				8 => update.weights_version_key = Some(rng.pick(&[0, 1, u64::MAX])),
				9 => update.commit_reveal_enabled = Some(rng.chance(50)),
				10 => update.commit_reveal_period = Some(rng.pick(&[0, 1, 2, u16::MAX])),
				11 => update.kappa = Some(rng.pick(&[0, 32_767, u16::MAX])),
				12 => {
					update.bonds_moving_average = Some(rng.pick(&[0, 900_000, 1_000_000, u32::MAX]))
				}
				13 => update.min_burn = Some(rng.pick(&[0, MDT, u128::MAX])),
				14 => update.max_burn = Some(rng.pick(&[0, 100 * MDT, u128::MAX])),
				15 => update.burn_half_life = Some(rng.pick(&[0, 1, 360])),
				16 => {
					update.burn_increase_mult =
						Some(rng.pick(&[FixedU128::from_u32(0), FixedU128::from_u32(2)]))
				}
				17 => update.registration_allowed = Some(rng.chance(70)),
				18 => update.serving_rate_limit = Some(rng.pick(&[0, 1, 50])),
				19 => update.min_stake_to_set_weights = Some(rng.pick(&[0, MDT, u128::MAX])),
				20 => update.owner_cut = Some(Perbill::from_percent(rng.pick(&[0, 18, 100]))),
				_ => {
					update.compute_incentive_share =
						Some(Perbill::from_percent(rng.pick(&[0, 50, 100])))
				}
			}
		}
		update
	}

	fn set_hyperparameters(&mut self) -> Step {
		let netuid = self.netuid();
		let update = self.hyperparameters();
		let call =
			RuntimeCall::Subnets(pallet_subnets::Call::set_hyperparameters { netuid, update });
		if self.rng.chance(70) {
			signed(0, sudo(call))
		} else {
			let owner = self.subnet_owner(netuid);
			signed(owner, call)
		}
	}

	fn set_subnet_identity(&mut self) -> Step {
		let netuid = self.netuid();
		let owner = self.subnet_owner(netuid);
		let len = self.rng.pick(&[0usize, 8, 64]);
		let call = pallet_subnets::Call::set_subnet_identity {
			netuid,
			name: vec![b'n'; len].try_into().expect("within 64"),
			repo: b"https://example.org/repo".to_vec().try_into().expect("short"),
			contact: Default::default(),
			url: vec![0xff; len].try_into().expect("within 256"),
			description: vec![b'd'; len * 16].try_into().expect("within 1024"),
		};
		signed(owner, RuntimeCall::Subnets(call))
	}

	fn set_root_weights(&mut self) -> Step {
		let signer = self.hotkey();
		let netuids: Vec<NetUid> = (0..self.rng.below(4)).map(|_| self.netuid()).collect();
		let len = if self.rng.chance(80) { netuids.len() } else { netuids.len() + 1 };
		let weights = (0..len).map(|_| self.rng.pick(&[0, 1, u16::MAX])).collect();
		signed(
			signer,
			RuntimeCall::Subnets(pallet_subnets::Call::set_root_weights { netuids, weights }),
		)
	}

	fn burned_register(&mut self) -> Step {
		let (signer, netuid, hotkey) = (self.coldkey(), self.netuid(), self.hotkey_account());
		let max_burn = self.rng.pick(&[u128::MAX, MDT, 0]);
		let call = pallet_registration::Call::burned_register { netuid, hotkey, max_burn };
		signed(signer, RuntimeCall::Registration(call))
	}

	fn serve(&mut self) -> Step {
		let (signer, netuid) = (self.hotkey(), self.netuid());
		let ip = self.rng.pick(&[0x0a00_0001, 0x7f00_0001, 0xc0a8_0001, u128::MAX, 0x5db8_d822]);
		let port = self.rng.pick(&[0, 8091, u16::MAX]);
		let ip_type = self.rng.pick(&[4, 6, 5]);
		let call = if self.rng.chance(70) {
			let protocol = self.rng.pick(&[0, 4]);
			pallet_registration::Call::serve_axon {
				netuid,
				version: 1,
				ip,
				port,
				ip_type,
				protocol,
			}
		} else {
			pallet_registration::Call::serve_prometheus { netuid, version: 1, ip, port, ip_type }
		};
		signed(signer, RuntimeCall::Registration(call))
	}

	fn swap_hotkey(&mut self) -> Step {
		let (signer, old, new) = (self.coldkey(), self.hotkey(), self.hotkey());
		let coldkey = self.account(signer);
		let signature = self.keys.consent(if self.rng.chance(90) { new } else { old }, &coldkey);
		let call = pallet_registration::Call::swap_hotkey {
			hotkey: self.account(old),
			new_hotkey: self.account(new),
			new_hotkey_signature: signature,
		};
		signed(signer, RuntimeCall::Registration(call))
	}

	fn root_register(&mut self) -> Step {
		let (signer, hotkey) = (self.coldkey(), self.hotkey_account());
		signed(
			signer,
			RuntimeCall::Registration(pallet_registration::Call::root_register { hotkey }),
		)
	}

	fn claim_hotkey(&mut self) -> Step {
		let (signer, hotkey) = (self.coldkey(), self.hotkey());
		let consenting_to = if self.rng.chance(90) { signer } else { self.coldkey() };
		let coldkey = self.account(consenting_to);
		let signature = self.keys.consent(hotkey, &coldkey);
		let call =
			pallet_registration::Call::claim_hotkey { hotkey: self.account(hotkey), signature };
		signed(signer, RuntimeCall::Registration(call))
	}

	fn coldkey_swap(&mut self) -> Step {
		let (signer, other) = (self.coldkey(), self.coldkey());
		let call = match self.rng.below(3) {
			0 => pallet_registration::Call::schedule_coldkey_swap {
				new_coldkey: self.account(other),
			},
			1 => pallet_registration::Call::cancel_coldkey_swap {},
			_ => pallet_registration::Call::apply_coldkey_swap { old_coldkey: self.account(other) },
		};
		signed(signer, RuntimeCall::Registration(call))
	}

	fn set_weights(&mut self) -> Step {
		let (signer, netuid) = (self.hotkey(), self.netuid());
		let dests = self.uids(netuid);
		let len = if self.rng.chance(90) { dests.len() } else { dests.len() + 1 };
		let weights = (0..len).map(|_| self.rng.pick(&[0, 1, 100, u16::MAX])).collect();
		let call = pallet_weights::Call::set_weights { netuid, dests, weights, version_key: 0 };
		signed(signer, RuntimeCall::Weights(call))
	}

	/// Commits to, or reveals, weights on every uid of the subnet, from a fixed set of values.
	fn commit_reveal_weights(&mut self) -> Step {
		let (signer, netuid) = (self.hotkey(), self.netuid());
		let uids: Vec<u16> = (0..self.neuron_count(netuid)).collect();
		let values = vec![self.rng.pick(&[1, 2]); uids.len()];
		let salt = vec![7u16; 8];
		let call = if self.rng.chance(50) {
			let hotkey = self.account(signer);
			let commit_hash = Weights::commit_hash(&hotkey, netuid, &uids, &values, &salt, 0);
			pallet_weights::Call::commit_weights { netuid, commit_hash }
		} else {
			pallet_weights::Call::reveal_weights { netuid, uids, values, salt, version_key: 0 }
		};
		signed(signer, RuntimeCall::Weights(call))
	}

	fn force_epoch(&mut self) -> Step {
		let (netuid, emission) = (self.netuid(), self.amount());
		signed(
			0,
			sudo(RuntimeCall::Weights(pallet_weights::Call::force_epoch { netuid, emission })),
		)
	}

	fn stake(&mut self) -> Step {
		let (signer, hotkey, amount) = (self.coldkey(), self.hotkey_account(), self.amount());
		let call = match self.rng.below(3) {
			0 | 1 if self.rng.chance(60) => pallet_stake::Call::add_stake { hotkey, amount },
			0 | 1 => pallet_stake::Call::remove_stake { hotkey, amount },
			_ => pallet_stake::Call::move_stake {
				from_hotkey: hotkey,
				to_hotkey: self.hotkey_account(),
				amount,
			},
		};
		signed(signer, RuntimeCall::Stake(call))
	}

	fn take(&mut self) -> Step {
		let (signer, hotkey) = (self.coldkey(), self.hotkey_account());
		let take = Perbill::from_percent(self.rng.pick(&[0, 9, 11, 18, 100]));
		let call = if self.rng.chance(50) {
			pallet_stake::Call::decrease_take { hotkey, take }
		} else {
			pallet_stake::Call::increase_take { hotkey, take }
		};
		signed(signer, RuntimeCall::Stake(call))
	}

	fn set_compute_subnet(&mut self) -> Step {
		let (netuid, enabled) = (self.netuid(), self.rng.chance(70));
		let call = compute(pallet_compute::Call::set_compute_subnet { netuid, enabled });
		let signer = if self.rng.chance(90) { 0 } else { self.coldkey() };
		signed(signer, if self.rng.chance(90) { sudo(call) } else { call })
	}

	fn register_provider(&mut self) -> Step {
		let hotkey = self.hotkey();
		let owner = match hotkey - FIRST_HOTKEY + 1 {
			1..=4 => 0,
			5..=6 => 1,
			_ => 2,
		};
		let signer = if self.rng.chance(80) { owner } else { self.coldkey() };
		let call = pallet_compute::Call::register_provider {
			hotkey: self.account(hotkey),
			netuid: if self.rng.chance(80) { 1 } else { self.netuid() },
			spec: self.hardware(),
			ask_price: self.rng.pick(&[0, MDT / 10, MDT, u128::MAX]),
			payout: self.account(signer),
		};
		signed(signer, compute(call))
	}

	fn manage_provider(&mut self) -> Step {
		let (signer, hotkey, amount) = (self.coldkey(), self.provider(), self.amount());
		let call = match self.rng.below(5) {
			0 => pallet_compute::Call::update_provider {
				hotkey,
				ask_price: Some(self.rng.pick(&[0, MDT / 20])),
				payout: None,
				spec: self.rng.chance(30).then(|| self.hardware()),
			},
			1 => pallet_compute::Call::bond_more { hotkey, amount },
			2 => pallet_compute::Call::unbond { hotkey, amount },
			3 => pallet_compute::Call::withdraw_unbonded { hotkey },
			_ => pallet_compute::Call::deregister { hotkey },
		};
		signed(signer, compute(call))
	}

	fn heartbeat(&mut self) -> Step {
		let provider = self.provider();
		let signer = self.signer_of(&provider);
		signed(signer, compute(pallet_compute::Call::heartbeat {}))
	}

	/// Commits or reveals an attestation report, usually as one of the drawn attestors.
	fn attest(&mut self) -> Step {
		let attestations = self.view.attestations.clone();
		let (provider, signer) = match self.drawn(&attestations) {
			Some(drawn) => drawn,
			None => (self.provider(), self.hotkey()),
		};
		let (score, verdict) = self.rng.pick(&REPORTS);
		let call = if self.rng.chance(50) {
			let commitment = Compute::attestation_commitment(&provider, score, verdict, &SALT);
			pallet_compute::Call::attest_commit { provider, commitment }
		} else {
			pallet_compute::Call::attest_reveal { provider, score, verdict, salt: SALT }
		};
		signed(signer, compute(call))
	}

	fn cancel_slash(&mut self) -> Step {
		let slash_id = self.rng.below(u64::from(self.view.next_slash) + 2) as u32;
		let call = compute(pallet_compute::Call::cancel_slash { slash_id });
		signed(0, if self.rng.chance(85) { sudo(call) } else { call })
	}

	fn model(&mut self) -> Step {
		let signer = self.coldkey();
		let id = self.rng.below(u64::from(self.view.next_model) + 2) as u32;
		let metadata_len = self.rng.pick(&[0usize, 16, 512]);
		let call = match self.rng.below(6) {
			0 | 1 => pallet_compute::Call::register_model {
				name: self
					.rng
					.pick(&[&b"lxqm-mlp"[..], b"", b"llama"])
					.to_vec()
					.try_into()
					.expect("short"),
				content_id: self.content_id(),
				version: ModelVersion { major: 1, minor: self.rng.below(3) as u16, patch: 0 },
				kind: self.rng.pick(&[ModelKind::Llm, ModelKind::Vision, ModelKind::Other]),
				metadata: vec![b'm'; metadata_len].try_into().expect("within 512"),
			},
			2 => pallet_compute::Call::update_model_metadata {
				id,
				metadata: vec![b'u'; metadata_len].try_into().expect("within 512"),
			},
			3 => pallet_compute::Call::deprecate_model { id },
			4 => {
				let new_owner = self.coldkey();
				pallet_compute::Call::transfer_model { id, new_owner: self.account(new_owner) }
			}
			_ => pallet_compute::Call::remove_model { id },
		};
		signed(signer, compute(call))
	}

	/// One of `hostile` [`Self::hostility`]% of the time, else one of `valid`.
	fn either<T: Clone>(&mut self, valid: &[T], hostile: &[T]) -> T {
		if !self.rng.chance(self.hostility) {
			self.rng.pick(valid)
		} else {
			self.rng.pick(hostile)
		}
	}

	/// A job's spec: valid in about half of the draws, else with a few hostile fields.
	fn job_spec(&mut self) -> JobSpec<AccountId> {
		self.hostility = if self.rng.chance(50) { 0 } else { 20 };
		let spec = self.draw_job_spec();
		self.hostility = 15;
		spec
	}

	fn draw_job_spec(&mut self) -> JobSpec<AccountId> {
		let kind = match self.rng.below(3) {
			0 => JobKind::Inference { units: self.either(&[1, 10, 100], &[0, u32::MAX]) },
			1 => JobKind::Training {
				steps: self.either(&[20, 100], &[0, u32::MAX]),
				checkpoint_every: self.either(&[5, 10], &[0, 21]),
			},
			_ => JobKind::Lease {
				periods: self.either(&[1, 3], &[0, u32::MAX]),
				period_blocks: self.either(&[10, 20], &[0, 2]),
			},
		};
		let lease = kind.is_lease();
		let workload = if self.rng.chance(70) {
			Workload::Content(self.content_id())
		} else {
			Workload::Model(self.rng.below(u64::from(self.view.next_model) + 1) as u32)
		};
		let assignment = match self.rng.below(3) {
			0 => AssignmentPolicy::Direct(self.provider()),
			1 => AssignmentPolicy::Random,
			_ => AssignmentPolicy::Auction { window: self.either(&[2, 5], &[0, u32::MAX]) },
		};
		let replicas = if lease || matches!(assignment, AssignmentPolicy::Direct(_)) {
			self.either(&[1], &[2])
		} else {
			self.either(&[1, 2, 3], &[0, u8::MAX])
		};
		let majority = replicas / 2 + 1;
		JobSpec {
			kind,
			workload,
			input: self.content_id(),
			gpu: if self.rng.chance(90) {
				GpuRequirement::MinClass(self.either(&[0], &[10, 40]))
			} else {
				GpuRequirement::Model(b"NVIDIA H100 80GB".to_vec().try_into().expect("short"))
			},
			gpu_count: self.either(&[1], &[2, 0, u16::MAX]),
			min_reputation: Perbill::from_percent(self.either(&[0, 40], &[100])),
			max_unit_price: self.either(&[MDT / 10, MDT], &[0, u128::MAX]),
			deadline: {
				let offset = self.either(&[60, 200], &[0, 5, u32::MAX]);
				self.view.block.saturating_add(offset)
			},
			assignment,
			replicas,
			quorum: self.either(&[majority], &[0, 1, 9]),
			spot_check: match lease {
				true => self.either(&[Perbill::zero()], &[Perbill::one()]),
				false => Perbill::from_percent(self.either(&[0, 50, 100], &[100])),
			},
			challenge_window: match lease {
				true => self.either(&[0], &[3]),
				false => self.either(&[0, 3], &[10_000]),
			},
		}
	}

	fn post_job(&mut self) -> Step {
		let signer = self.coldkey();
		let spec = self.job_spec();
		signed(signer, compute(pallet_compute::Call::post_job { spec }))
	}

	fn manage_job(&mut self) -> Step {
		let (job, replica) = self.job_and_replica();
		let signer = if self.rng.chance(50) { replica } else { self.coldkey() };
		let call = match self.rng.below(4) {
			0 => pallet_compute::Call::cancel_job { job },
			1 => pallet_compute::Call::top_up { job, amount: self.amount() },
			2 => pallet_compute::Call::terminate_lease { job },
			_ => pallet_compute::Call::advance { job },
		};
		signed(signer, compute(call))
	}

	fn bid(&mut self) -> Step {
		let (job, signer) = (self.job(), self.hotkey());
		let unit_price = self.rng.pick(&[0, MDT / 100, MDT / 10, u128::MAX]);
		signed(signer, compute(pallet_compute::Call::place_bid { job, unit_price }))
	}

	fn accept_assignment(&mut self) -> Step {
		let (job, signer) = self.job_and_replica();
		signed(signer, compute(pallet_compute::Call::accept_assignment { job }))
	}

	fn commit_reveal_result(&mut self) -> Step {
		let (job, signer) = self.job_and_replica();
		let result_hash = self.rng.pick(&RESULTS);
		let call = if self.rng.chance(50) {
			let provider = self.account(signer);
			let commitment = Compute::result_commitment(job, &provider, &result_hash, &SALT);
			pallet_compute::Call::commit_result { job, commitment }
		} else {
			let output = self.content_id();
			pallet_compute::Call::reveal_result { job, result_hash, output, salt: SALT }
		};
		signed(signer, compute(call))
	}

	/// Commits or reveals a review, usually as one of the job's sampled reviewers.
	fn review(&mut self) -> Step {
		let reviews = self.view.reviews.clone();
		let (job, signer) = match self.drawn(&reviews) {
			Some(drawn) => drawn,
			None => (self.job(), self.hotkey()),
		};
		let result_hash = self.rng.pick(&RESULTS);
		let call = if self.rng.chance(50) {
			let reviewer = self.account(signer);
			let commitment = Compute::result_commitment(job, &reviewer, &result_hash, &SALT);
			pallet_compute::Call::review_commit { job, commitment }
		} else {
			pallet_compute::Call::review_reveal { job, result_hash, salt: SALT }
		};
		signed(signer, compute(call))
	}

	fn challenge(&mut self) -> Step {
		let (job, replica) = self.job_and_replica();
		let signer = self.coldkey();
		let provider = self.account(replica);
		let evidence = self.content_id();
		signed(signer, compute(pallet_compute::Call::challenge { job, provider, evidence }))
	}
}
