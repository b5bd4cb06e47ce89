//! Pallet configuration, one file per group.

mod consensus;
mod monetary;
mod staking;
mod subnets;
mod system;
mod utility;

pub mod bag_thresholds;

pub use consensus::*;
pub use monetary::*;
pub use staking::*;
pub use subnets::*;
pub use system::*;
pub use utility::*;
