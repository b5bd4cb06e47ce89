//! Subnets and neurons: their identifiers, a subnet's hyperparameters, and the records the
//! runtime APIs return.

use crate::{currency::MDT, Balance, BlockNumber};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_runtime::{traits::ConstU32, BoundedVec, FixedU128, Perbill};
use scale_info::TypeInfo;

/// A subnet's identifier. Netuid 0 is the root network, which splits emission across subnets.
pub type NetUid = u16;

/// The netuid of the root network.
pub const ROOT_NETUID: NetUid = 0;

/// The most uids a subnet can have (its `max_allowed_uids` at most): every pallet's bound on
/// per-uid storage is checked against it in its `integrity_test`.
pub const MAX_SUBNET_UIDS: u16 = 4096;

/// What a hotkey signs, followed by the coldkey's 32-byte account id, to let that coldkey own
/// it (`registration.claimHotkey`, `registration.swapHotkey`).
pub const HOTKEY_OWNERSHIP_PREFIX: &[u8] = b"luxtensor/hotkey-owner";

/// A neuron's slot in a subnet, `0..n`. A replaced neuron's successor takes over its uid.
pub type Uid = u16;

/// Every tunable of a subnet. Defaults are [`SubnetHyperparameters::default`]; bounds and who
/// may change each field are enforced by pallet-subnets' `set_hyperparameters`.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct SubnetHyperparameters {
	/// Blocks between two epochs of the subnet.
	pub tempo: u16,
	/// Most neurons the subnet holds; registrations into a full subnet replace one.
	pub max_allowed_uids: u16,
	/// Most neurons holding a validator permit.
	pub max_allowed_validators: u16,
	/// Blocks after registration during which a neuron is not replaced.
	pub immunity_period: BlockNumber,
	/// Blocks without setting weights after which a validator counts as inactive.
	pub activity_cutoff: BlockNumber,
	/// Fewest nonzero weights a validator must set.
	pub min_allowed_weights: u16,
	/// Largest normalized weight on one uid, out of 65535.
	pub max_weight_limit: u16,
	/// Blocks between two weight settings by one hotkey.
	pub weights_rate_limit: BlockNumber,
	/// Weight-setting clients must send at least this version.
	pub weights_version_key: u64,
	/// Weights are committed as a hash first and revealed later.
	pub commit_reveal_enabled: bool,
	/// Tempos between a weight commit and its reveal.
	pub commit_reveal_period: u16,
	/// Consensus majority threshold, out of 65535.
	pub kappa: u16,
	/// Bonds moving-average factor, out of 1,000,000.
	pub bonds_moving_average: u32,
	/// Lowest registration price.
	pub min_burn: Balance,
	/// Highest registration price.
	pub max_burn: Balance,
	/// Blocks in which the registration price halves.
	pub burn_half_life: BlockNumber,
	/// Factor applied to the registration price after each registration.
	pub burn_increase_mult: FixedU128,
	/// Whether new neurons may register.
	pub registration_allowed: bool,
	/// Blocks between two axon or Prometheus updates by one hotkey.
	pub serving_rate_limit: BlockNumber,
	/// Stake a hotkey needs to set weights.
	pub min_stake_to_set_weights: Balance,
	/// Share of the subnet's emission paid to its owner.
	pub owner_cut: Perbill,
	/// On a compute subnet, the share of the miners' incentive paid by verified compute
	/// work instead of Yuma's incentive (at most what that work burned in fees).
	pub compute_incentive_share: Perbill,
}

impl Default for SubnetHyperparameters {
	fn default() -> Self {
		Self {
			tempo: 360,
			max_allowed_uids: 256,
			max_allowed_validators: 64,
			immunity_period: 4096,
			activity_cutoff: 5000,
			min_allowed_weights: 1,
			max_weight_limit: u16::MAX,
			weights_rate_limit: 100,
			weights_version_key: 0,
			commit_reveal_enabled: true,
			commit_reveal_period: 1,
			kappa: 32_767,
			bonds_moving_average: 900_000,
			min_burn: MDT / 2_000,
			max_burn: 100 * MDT,
			burn_half_life: 360,
			burn_increase_mult: FixedU128::from_rational(126, 100),
			registration_allowed: true,
			serving_rate_limit: 50,
			min_stake_to_set_weights: 0,
			owner_cut: Perbill::from_percent(18),
			compute_incentive_share: Perbill::from_percent(50),
		}
	}
}

/// A change to some hyperparameters of a subnet: `None` leaves a field as it is.
#[derive(
	Clone,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct HyperparametersUpdate {
	pub tempo: Option<u16>,
	pub max_allowed_uids: Option<u16>,
	pub max_allowed_validators: Option<u16>,
	pub immunity_period: Option<BlockNumber>,
	pub activity_cutoff: Option<BlockNumber>,
	pub min_allowed_weights: Option<u16>,
	pub max_weight_limit: Option<u16>,
	pub weights_rate_limit: Option<BlockNumber>,
	pub weights_version_key: Option<u64>,
	pub commit_reveal_enabled: Option<bool>,
	pub commit_reveal_period: Option<u16>,
	pub kappa: Option<u16>,
	pub bonds_moving_average: Option<u32>,
	pub min_burn: Option<Balance>,
	pub max_burn: Option<Balance>,
	pub burn_half_life: Option<BlockNumber>,
	pub burn_increase_mult: Option<FixedU128>,
	pub registration_allowed: Option<bool>,
	pub serving_rate_limit: Option<BlockNumber>,
	pub min_stake_to_set_weights: Option<Balance>,
	pub owner_cut: Option<Perbill>,
	pub compute_incentive_share: Option<Perbill>,
}

/// Longest subnet name, in bytes.
pub const MAX_SUBNET_NAME_LEN: u32 = 64;
/// Longest repository, contact or URL field of a subnet identity, in bytes.
pub const MAX_SUBNET_LINK_LEN: u32 = 256;
/// Longest subnet description, in bytes.
pub const MAX_SUBNET_DESCRIPTION_LEN: u32 = 1024;

/// A subnet's name field.
pub type SubnetName = BoundedVec<u8, ConstU32<MAX_SUBNET_NAME_LEN>>;
/// A subnet's repository, contact or URL field.
pub type SubnetLink = BoundedVec<u8, ConstU32<MAX_SUBNET_LINK_LEN>>;
/// A subnet's description field.
pub type SubnetDescription = BoundedVec<u8, ConstU32<MAX_SUBNET_DESCRIPTION_LEN>>;

/// How a subnet presents itself, set by its owner (UTF-8 expected, not enforced).
#[derive(
	Clone,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct SubnetIdentity {
	pub name: SubnetName,
	pub repo: SubnetLink,
	pub contact: SubnetLink,
	pub url: SubnetLink,
	pub description: SubnetDescription,
}

/// IP version of an endpoint: 4 or 6.
pub type IpType = u8;

/// Where a neuron serves its AI work.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct AxonInfo {
	/// Block of the last update.
	pub block: BlockNumber,
	/// Version of the neuron's software.
	pub version: u32,
	/// IPv4 (in the low 32 bits) or IPv6 address.
	pub ip: u128,
	pub port: u16,
	/// 4 or 6.
	pub ip_type: IpType,
	/// Transport protocol, as the neuron's software numbers it.
	pub protocol: u8,
}

/// Where a neuron exports Prometheus metrics.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct PrometheusInfo {
	/// Block of the last update.
	pub block: BlockNumber,
	/// Version of the neuron's software.
	pub version: u32,
	/// IPv4 (in the low 32 bits) or IPv6 address.
	pub ip: u128,
	pub port: u16,
	/// 4 or 6.
	pub ip_type: IpType,
}

/// A subnet as the `SubnetsApi` runtime API shows it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct SubnetInfo<AccountId> {
	pub netuid: NetUid,
	/// Owning coldkey; `None` for the root network.
	pub owner: Option<AccountId>,
	/// Owner's hotkey; `None` for the root network.
	pub owner_hotkey: Option<AccountId>,
	/// Balance held from the owner while the subnet exists.
	pub lock: Balance,
	/// Block the subnet was created.
	pub registered_at: BlockNumber,
	/// Neurons registered: uids `0..neuron_count`.
	pub neuron_count: u16,
	/// Current price of a registration.
	pub registration_cost: Balance,
	pub identity: Option<SubnetIdentity>,
	pub hyperparameters: SubnetHyperparameters,
}

/// A neuron as the `NeuronsApi` runtime API shows it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct NeuronInfoLite<AccountId> {
	pub netuid: NetUid,
	pub uid: Uid,
	pub hotkey: AccountId,
	pub coldkey: AccountId,
	/// Still within its immunity period.
	pub immune: bool,
	pub axon: Option<AxonInfo>,
	pub prometheus: Option<PrometheusInfo>,
	/// Block the neuron registered.
	pub registered_at: BlockNumber,
	/// What the subnet's last epoch decided for the neuron.
	pub epoch: NeuronEpochInfo,
}

/// One neuron's results of its subnet's last epoch (all zero before the neuron's first).
/// Proportions are u16 (/65535).
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct NeuronEpochInfo {
	/// Set weights within the activity cutoff.
	pub active: bool,
	/// Block of its last accepted weights (0 if never).
	pub last_update: BlockNumber,
	/// Active stake behind it after clipping to consensus.
	pub rank: u16,
	/// Share of its support that survived clipping.
	pub trust: u16,
	/// The stake-weighted consensus weight it received.
	pub consensus: u16,
	/// Its share of the miners' emission.
	pub incentive: u16,
	/// Its share of the validators' emission.
	pub dividends: u16,
	/// Sum of its weights after clipping (as a validator).
	pub validator_trust: u16,
	/// Holds a validator permit for the next epoch.
	pub validator_permit: bool,
	/// Tokens it earned.
	pub emission: Balance,
	/// On a compute subnet, its share of the verified compute work scored.
	pub compute_score: u16,
}
