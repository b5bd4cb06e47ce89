//! The LuxTensor node: `luxtensor-node --help` lists its subcommands and flags.

// sc-cli and sc-service fix the (large) error types every command and service builder
// returns; boxing them here would only add conversions at each call.
#![allow(clippy::result_large_err)]

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod metadata;
mod rpc;
mod service;
mod testnet_spec;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
