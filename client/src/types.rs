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
