//! # LuxTensor runtime
//!
//! The state transition function of the LuxTensor chain, compiled to WASM: BABE block
//! production and GRANDPA finality over a validator set elected by NPoS staking, with
//! balances, transaction fees, proxies, multisig, batching and sudo; ModernTensor's own
//! pallets (subnets, registration, weights, emission, stake, compute); and OpenGov
//! governance with a treasury and identities ([`governance`]).
//!
//! Layout: pallet configuration lives in [`configs`], one file per group; the runtime APIs
//! in `apis.rs`; genesis presets in [`genesis_config_presets`].

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
// `construct_runtime` and `impl_runtime_apis` expand to deeply nested types.
#![recursion_limit = "512"]

#[cfg(all(feature = "std", not(feature = "fast-runtime")))]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));
// build.rs names the `fast-runtime` WASM apart from the production one.
#[cfg(all(feature = "std", feature = "fast-runtime"))]
include!(concat!(env!("OUT_DIR"), "/luxtensor_runtime_fast"));

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
mod apis;
pub mod configs;
#[cfg(feature = "std")]
pub use apis::RuntimeApi;
pub mod genesis_config_presets;
pub mod governance;
mod views;
pub mod weights;

use alloc::{borrow::Cow, vec::Vec};
pub use luxtensor_primitives::{
	currency, AccountId, Balance, BlockNumber, Hash, Header, Moment, Nonce, Signature,
};
use polkadot_sdk::*;
use sp_runtime::{generic, impl_opaque_keys};
use sp_version::RuntimeVersion;

pub use frame_support::{
	construct_runtime, parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8},
	weights::Weight,
};
pub use sp_consensus_babe::AuthorityId as BabeId;
pub use sp_consensus_grandpa::AuthorityId as GrandpaId;
pub use sp_runtime::{Perbill, Permill};

/// Types the node needs to know about the runtime without depending on its call types.
pub mod opaque {
	pub use luxtensor_primitives::{Header, OpaqueBlock as Block};
	pub use polkadot_sdk::sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;
}

impl_opaque_keys! {
	/// The keys a validator registers with `session.setKeys`: one for BABE block authoring
	/// (sr25519) and one for GRANDPA finality votes (ed25519).
	pub struct SessionKeys {
		pub babe: Babe,
		pub grandpa: Grandpa,
	}
}

/// Runtime version: `spec_version` must rise with every runtime upgrade, and
/// `transaction_version` whenever call indices or extrinsic encoding change.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: Cow::Borrowed("luxtensor"),
	impl_name: Cow::Borrowed("luxtensor-node"),
	authoring_version: 1,
	spec_version: 105,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

/// Block time, BABE epochs and staking eras.
///
/// Production: 6 s slots, 1 hour epochs (one session each), eras of 6 epochs.
/// `fast-runtime`: 2 s slots, 20 s epochs and 2 minute eras, for local networks and tests.
pub mod time {
	use super::{BlockNumber, Moment};
	use polkadot_sdk::sp_consensus_babe;

	/// Target time between two blocks, and the BABE slot duration.
	#[cfg(not(feature = "fast-runtime"))]
	pub const MILLI_SECS_PER_BLOCK: Moment = 6_000;
	#[cfg(feature = "fast-runtime")]
	pub const MILLI_SECS_PER_BLOCK: Moment = 2_000;

	/// BABE slots and blocks are the same length.
	pub const SLOT_DURATION: Moment = MILLI_SECS_PER_BLOCK;

	pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
	pub const HOURS: BlockNumber = MINUTES * 60;
	pub const DAYS: BlockNumber = HOURS * 24;

	/// Length of a BABE epoch, and of a session. Cannot change once the chain is live.
	#[cfg(not(feature = "fast-runtime"))]
	pub const EPOCH_DURATION_IN_BLOCKS: BlockNumber = HOURS;
	#[cfg(feature = "fast-runtime")]
	pub const EPOCH_DURATION_IN_BLOCKS: BlockNumber = 10;

	/// Epoch length in slots (equal to blocks while slots are never skipped).
	pub const EPOCH_DURATION_IN_SLOTS: u64 = EPOCH_DURATION_IN_BLOCKS as u64;

	/// Sessions (BABE epochs) in one staking era.
	pub const SESSIONS_PER_ERA: u32 = 6;

	/// 1 in 4 slots gets a primary (VRF-won) author; the rest are filled by secondary slots.
	pub const PRIMARY_PROBABILITY: (u64, u64) = (1, 4);

	/// The BABE epoch configuration at genesis.
	pub const BABE_GENESIS_EPOCH_CONFIG: sp_consensus_babe::BabeEpochConfiguration =
		sp_consensus_babe::BabeEpochConfiguration {
			c: PRIMARY_PROBABILITY,
			allowed_slots: sp_consensus_babe::AllowedSlots::PrimaryAndSecondaryVRFSlots,
		};
}

/// The address format for describing accounts.
pub type Address = sp_runtime::MultiAddress<AccountId, ()>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The checks every signed transaction goes through, in order.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	// Lets hardware and light-client wallets check the metadata they decode the call with
	// (signers opt in; the runtime carries the hash when built with `metadata-hash`).
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	// Keep fee-free endpoint, weight and heartbeat calls that would fail out of the pool and
	// blocks. Nested to keep the tuple within the 12 elements `Debug` and `Eq` are derived
	// for; a nested tuple encodes and lists its extensions in the metadata as if flat.
	(
		pallet_registration::CheckServing<Runtime>,
		pallet_weights::CheckWeights<Runtime>,
		pallet_compute::CheckHeartbeat<Runtime>,
	),
	// Last: gives the block back the weight the extensions and the call did not use.
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations to run on the next runtime upgrade: each runs once, from the pallet's
/// on-chain storage version it expects (a new chain starts at the in-code versions). Keep a
/// migration until every live network has upgraded past it.
pub type Migrations = (
	// spec 103: the root epoch's block and shares in one record.
	pallet_emission::migrations::v1::MigrateToV1<Runtime>,
	// spec 103: each subnet's pending emission and epoch schedule in one value.
	pallet_emission::migrations::v2::MigrateToV2<Runtime>,
	// spec 103: each subnet's registration blocks and last updates in one value each.
	pallet_registration::migrations::v1::MigrateToV1<Runtime>,
	pallet_weights::migrations::v1::MigrateToV1<Runtime>,
	// spec 103: stake pools keep what their hotkey earns for its owner.
	pallet_stake::migrations::v1::MigrateToV1<Runtime>,
);

/// Executive: dispatches calls to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

// Pallet indices are part of the transaction format: never reorder or reuse them.
#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	// Babe and Authorship come before Session: session rotation reads them on initialize.
	#[runtime::pallet_index(2)]
	pub type Babe = pallet_babe;
	#[runtime::pallet_index(3)]
	pub type Authorship = pallet_authorship;
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(6)]
	pub type Staking = pallet_staking;
	#[runtime::pallet_index(7)]
	pub type VoterList = pallet_bags_list<Instance1>;
	#[runtime::pallet_index(8)]
	pub type Offences = pallet_offences;
	#[runtime::pallet_index(9)]
	pub type Historical = pallet_session::historical;
	#[runtime::pallet_index(10)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(11)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(12)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(13)]
	pub type Proxy = pallet_proxy;
	#[runtime::pallet_index(14)]
	pub type Multisig = pallet_multisig;

	// ModernTensor pallets start at 20.
	#[runtime::pallet_index(20)]
	pub type Subnets = pallet_subnets;
	#[runtime::pallet_index(21)]
	pub type Registration = pallet_registration;
	#[runtime::pallet_index(22)]
	pub type Weights = pallet_weights;
	#[runtime::pallet_index(23)]
	pub type Emission = pallet_emission;
	#[runtime::pallet_index(24)]
	pub type Compute = pallet_compute;
	#[runtime::pallet_index(25)]
	pub type Stake = pallet_stake;
	#[runtime::pallet_index(15)]
	pub type Sudo = pallet_sudo;

	// Governance and the treasury start at 30.
	#[runtime::pallet_index(30)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(31)]
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(32)]
	pub type Referenda = pallet_referenda;
	#[runtime::pallet_index(33)]
	pub type ConvictionVoting = pallet_conviction_voting;
	#[runtime::pallet_index(34)]
	pub type Origins = crate::governance::origins::pallet_governance_origins;
	#[runtime::pallet_index(35)]
	pub type Whitelist = pallet_whitelist;
	#[runtime::pallet_index(36)]
	pub type TechnicalCommittee = pallet_collective<Instance1>;
	#[runtime::pallet_index(37)]
	pub type Treasury = pallet_treasury;
	#[runtime::pallet_index(38)]
	pub type Identity = pallet_identity;
}
