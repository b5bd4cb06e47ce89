//! The deterministic work of LuxTensor's compute market.
//!
//! The provider agent runs a job's program on its input, validators re-run it and compare the
//! results by hash, so every byte produced here must be identical on any machine and with any
//! thread count: all arithmetic is integer (wrapping or saturating as documented), all
//! randomness comes from the self-contained [`rng::SplitMix64`], and threads only split work
//! whose results are independent of each other.

#![deny(missing_docs)]

pub mod bench;
pub mod cid;
pub mod hardware;
pub mod http;
pub mod rng;
pub mod store;
pub mod workload;
