fn main() {
	#[cfg(feature = "std")]
	{
		let builder = substrate_wasm_builder::WasmBuilder::init_with_defaults();
		// The token as `luxtensor_primitives::currency` defines it (symbol, decimals): wallets
		// show amounts with it.
		#[cfg(feature = "metadata-hash")]
		let builder = builder.enable_metadata_hash("MDT", 9);
		// A `fast-runtime` build writes its WASM under its own name (wbuild/luxtensor-runtime/
		// luxtensor_runtime_fast.compact.compressed.wasm): building it for local networks and
		// tests never overwrites, and so never rebuilds, the production one.
		#[cfg(feature = "fast-runtime")]
		let builder = builder.set_file_name("luxtensor_runtime_fast");
		builder.build();
	}
}
