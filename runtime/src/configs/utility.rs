//! Account utilities: batching, proxies, multisig and sudo.

use crate::{currency::deposit, Balance, Balances, OriginCaller, Runtime, RuntimeCall};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{parameter_types, traits::InstanceFilter};
use polkadot_sdk::*;
use scale_info::TypeInfo;

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	// One storage item; key size 32, value size 8: a proxy list entry.
	pub const ProxyDepositBase: Balance = deposit(1, 8);
	// Each proxy adds 33 bytes: an account id and a proxy type.
	pub const ProxyDepositFactor: Balance = deposit(0, 33);
	pub const MaxProxies: u16 = 32;
	pub const AnnouncementDepositBase: Balance = deposit(1, 8);
	// Each announcement holds an account id, a call hash and a block number.
	pub const AnnouncementDepositFactor: Balance = deposit(0, 68);
	pub const MaxPending: u16 = 32;
}

/// What a proxy may do on behalf of the account that added it.
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Debug,
	MaxEncodedLen,
	TypeInfo,
	Default,
)]
pub enum ProxyType {
	/// Any call.
	#[default]
	Any,
	/// Calls from an allow-list of pallets that cannot move funds to another account:
	/// a pallet added to the runtime is refused until it is reviewed and listed here.
	NonTransfer,
	/// NPoS staking, subnet stake (`stake` calls), session keys and batches of them.
	Staking,
	/// Only rejecting announcements of other proxies.
	CancelProxy,
	/// Governance: proposing, voting, preimages, committee motions, treasury claims,
	/// and batches of them.
	Governance,
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, call: &RuntimeCall) -> bool {
		match self {
			ProxyType::Any => true,
			// Not listed: balances (transfers), compute (escrow paid to a provider), proxy
			// (adding a broader proxy), sudo, the scheduler (root only) and the timestamp inherent.
			ProxyType::NonTransfer => matches!(
				call,
				RuntimeCall::System(..)
					| RuntimeCall::Babe(..)
					| RuntimeCall::Grandpa(..)
					| RuntimeCall::Staking(..)
					| RuntimeCall::VoterList(..)
					| RuntimeCall::Session(..)
					| RuntimeCall::Utility(..)
					| RuntimeCall::Multisig(..)
					| RuntimeCall::Subnets(..)
					| RuntimeCall::Registration(..)
					| RuntimeCall::Weights(..)
					| RuntimeCall::Stake(..)
					| RuntimeCall::Preimage(..)
					| RuntimeCall::Referenda(..)
					| RuntimeCall::ConvictionVoting(..)
					| RuntimeCall::Whitelist(..)
					| RuntimeCall::TechnicalCommittee(..)
					| RuntimeCall::Treasury(..)
					| RuntimeCall::Identity(..)
			),
			ProxyType::Staking => matches!(
				call,
				RuntimeCall::Staking(..)
					| RuntimeCall::Stake(..)
					| RuntimeCall::Session(..)
					| RuntimeCall::Utility(..)
			),
			ProxyType::CancelProxy => matches!(
				call,
				RuntimeCall::Proxy(pallet_proxy::Call::reject_announcement { .. })
					| RuntimeCall::Utility(..)
					| RuntimeCall::Multisig(..)
			),
			ProxyType::Governance => matches!(
				call,
				RuntimeCall::Preimage(..)
					| RuntimeCall::Referenda(..)
					| RuntimeCall::ConvictionVoting(..)
					| RuntimeCall::Whitelist(..)
					| RuntimeCall::TechnicalCommittee(..)
					| RuntimeCall::Treasury(..)
					| RuntimeCall::Utility(..)
			),
		}
	}

	fn is_superset(&self, other: &Self) -> bool {
		match (self, other) {
			(x, y) if x == y => true,
			(ProxyType::Any, _) => true,
			(_, ProxyType::Any) => false,
			(ProxyType::NonTransfer, _) => true,
			_ => false,
		}
	}
}

impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	type MaxProxies = MaxProxies;
	type WeightInfo = pallet_proxy::weights::SubstrateWeight<Runtime>;
	type MaxPending = MaxPending;
	type CallHasher = sp_runtime::traits::BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}

parameter_types! {
	// One storage item; key size is 32; value is size 4+4+16+32 bytes = 56 bytes.
	pub const MultisigDepositBase: Balance = deposit(1, 88);
	// Additional storage item size of 32 bytes per signatory.
	pub const MultisigDepositFactor: Balance = deposit(0, 32);
	pub const MaxSignatories: u32 = 100;
}

impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = MultisigDepositBase;
	type DepositFactor = MultisigDepositFactor;
	type MaxSignatories = MaxSignatories;
	type WeightInfo = pallet_multisig::weights::SubstrateWeight<Runtime>;
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}
