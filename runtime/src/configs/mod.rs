//! Pallet configuration, one file per group.

mod compute;
mod consensus;
mod emission;
mod monetary;
mod staking;
mod subnets;
mod system;
mod utility;

pub mod bag_thresholds;

pub use compute::*;
pub use consensus::*;
pub use emission::*;
pub use monetary::*;
pub use staking::*;
pub use subnets::*;
pub use system::*;
pub use utility::*;
