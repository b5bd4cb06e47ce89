fn main() {
	#[cfg(all(feature = "std", feature = "metadata-hash"))]
	{
		// The token as `luxtensor_primitives::currency` defines it (symbol, decimals): wallets
		// show amounts with it.
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_metadata_hash("MDT", 9)
			.build();
	}
	#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
	{
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
	}
}
