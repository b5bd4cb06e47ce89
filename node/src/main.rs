//! The LuxTensor node: `luxtensor-node --help` lists its subcommands and flags.

mod chain_spec;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
