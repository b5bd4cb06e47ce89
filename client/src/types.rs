//! Short names for the runtime's types as the generated API decodes them.

use crate::api::runtime_types::luxtensor_primitives as primitives;
pub use primitives::metagraph::{MetagraphField, MetagraphHeader, UidRange};
pub use subxt::utils::{AccountId32, H256};

/// A subnet's id.
pub type NetUid = u16;
/// A neuron's slot in a subnet.
pub type Uid = u16;
/// `SubnetsApi::subnet_info`.
pub type SubnetInfo = primitives::subnets::SubnetInfo<AccountId32>;
/// A subnet's hyperparameters.
pub type Hyperparameters = primitives::subnets::SubnetHyperparameters;
/// `subnets.setHyperparameters`' argument: the fields to change.
pub type HyperparametersUpdate = primitives::subnets::HyperparametersUpdate;
/// `NeuronsApi::neuron`.
pub type NeuronInfoLite = primitives::subnets::NeuronInfoLite<AccountId32>;
/// `NeuronsApi::selective_metagraph`: the columns asked for.
pub type SelectiveMetagraph = primitives::metagraph::SelectiveMetagraph<AccountId32>;
/// `StakeApi::delegate`.
pub type DelegateInfo = primitives::stake::DelegateInfo<AccountId32>;
/// `StakeApi::stake_info_for_coldkey`.
pub type StakePosition = primitives::stake::StakePosition<AccountId32>;

/// An update that changes nothing, to set the fields to change on. Every field is named,
/// so a new hyperparameter in the runtime fails the build here until it is added.
pub fn unchanged_hyperparameters() -> HyperparametersUpdate {
	HyperparametersUpdate {
		tempo: None,
		max_allowed_uids: None,
		max_allowed_validators: None,
		immunity_period: None,
		activity_cutoff: None,
		min_allowed_weights: None,
		max_weight_limit: None,
		weights_rate_limit: None,
		weights_version_key: None,
		commit_reveal_enabled: None,
		commit_reveal_period: None,
		kappa: None,
		bonds_moving_average: None,
		min_burn: None,
		max_burn: None,
		burn_half_life: None,
		burn_increase_mult: None,
		registration_allowed: None,
		serving_rate_limit: None,
		min_stake_to_set_weights: None,
		owner_cut: None,
		compute_incentive_share: None,
	}
}
