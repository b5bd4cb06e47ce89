//! # Yuma consensus
//!
//! The rules are described step by step in `docs/consensus.md` at the repository root.
//!
//! One subnet's epoch as a pure function: validators' weights and stake in; ranks, trust,
//! consensus, incentive, dividends, validator permits, bonds and the emission split out.
//! It follows LuxTensor's `yuma.md` step by step (classic Yuma, as the reference network
//! runs it) with three differences that matter on chain:
//!
//! - **Sparse.** Work and memory grow with the stored weights and bonds plus n, never n²,
//!   so subnets of 4096 uids fit in a block.
//! - **Deterministic.** U64F64 fixed point ([`fixed`]), rounding down everywhere except
//!   where yuma.md says otherwise; no floats, no panics on any input.
//! - **Conserving.** `sum(emission) + unpaid == input emission`, exactly.
//!
//! The runtime calls [`epoch`]; the `yuma-sim` binary (feature `simulator`) runs it on JSON.

#![cfg_attr(not(feature = "std"), no_std)]
// Runtime code must never panic: no unchecked arithmetic, indexing, unwrap or expect.
#![cfg_attr(
	not(test),
	deny(
		clippy::arithmetic_side_effects,
		clippy::indexing_slicing,
		clippy::unwrap_used,
		clippy::expect_used
	)
)]

extern crate alloc;

mod epoch;
pub mod examples;
pub mod fixed;
#[cfg(feature = "simulator")]
pub mod simulator;
mod sparse;

pub use epoch::{epoch, root_incentive};

use alloc::vec::Vec;

/// A neuron's index in its subnet.
pub type Uid = u16;

/// A sparse row of u16 proportions: `(uid, value)` pairs.
pub type SparseRow = Vec<(Uid, u16)>;

/// The largest legal `bonds_moving_average` (1.0, bonds never move).
pub const MAX_BONDS_MOVING_AVERAGE: u64 = 1_000_000;

/// Everything one subnet's epoch reads. Per-uid vectors have length `n`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
	feature = "simulator",
	derive(serde::Deserialize, serde::Serialize),
	serde(deny_unknown_fields)
)]
pub struct EpochInput {
	/// Neurons in the subnet (uids `0..n`).
	pub n: u16,
	/// The block the epoch runs in.
	pub current_block: u64,
	/// A validator whose last weights are older than this many blocks is inactive.
	pub activity_cutoff: u64,
	/// The block of the subnet's previous epoch (0 before the first).
	pub last_epoch_block: u64,
	/// Tokens to split (after the subnet owner's cut).
	pub emission: u64,
	/// Consensus majority, /65535.
	pub kappa: u16,
	/// Bonds moving average, /1,000,000 (alpha = 1 - this).
	pub bonds_moving_average: u64,
	/// How many of the largest stake holders get validator permits.
	pub max_allowed_validators: u16,
	/// Stake weight of each uid, raw token units.
	pub stake: Vec<u64>,
	/// Block of each uid's last accepted weights.
	pub last_update: Vec<u64>,
	/// Block at which each uid was (re)registered.
	pub block_at_registration: Vec<u64>,
	/// Permits decided by the previous epoch.
	pub validator_permit: Vec<bool>,
	/// Each uid's weights as stored.
	pub weights: Vec<SparseRow>,
	/// Each uid's bonds as stored (u16 proportions, columns max-upscaled).
	pub bonds: Vec<SparseRow>,
}

/// What an epoch decides. Per-uid vectors have length `n`; proportions are u16 (/65535).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "simulator", derive(serde::Serialize))]
pub struct EpochOutput {
	/// Whether each uid set weights within the activity cutoff.
	pub active: Vec<bool>,
	/// Active stake behind each uid after clipping (not normalized).
	pub rank: Vec<u16>,
	/// Share of each uid's support that survived clipping.
	pub trust: Vec<u16>,
	/// The stake-weighted kappa-quantile weight each uid received.
	pub consensus: Vec<u16>,
	/// Each uid's share of the miners' emission.
	pub incentive: Vec<u16>,
	/// Each uid's share of the validators' emission.
	pub dividends: Vec<u16>,
	/// Sum of each validator's weights after clipping.
	pub validator_trust: Vec<u16>,
	/// Permits for the next epoch.
	pub validator_permit: Vec<bool>,
	/// Tokens each uid earned.
	pub emission: Vec<u64>,
	/// The part of each uid's `emission` paid for its incentive (as a miner); the rest is
	/// for its dividends. Not in the simulator's output.
	#[cfg_attr(feature = "simulator", serde(skip))]
	pub incentive_emission: Vec<u64>,
	/// Tokens nobody could be paid (no stake at all): carried to the next epoch.
	pub unpaid: u64,
	/// The new bond rows, to store.
	pub bonds: Vec<SparseRow>,
}
