//! subxt's configuration for LuxTensor: Substrate's defaults, with the runtime's address type
//! (`MultiAddress<AccountId, ()>`: the chain has no account indices).

use subxt::config::{
	Config, DefaultTransactionExtensions, HashFor, PolkadotConfig, SubstrateConfig,
};

/// The chain's types for subxt. Transaction extensions are subxt's defaults; the runtime's
/// own pool guards (`CheckServing`, `CheckWeights`, `CheckHeartbeat`) carry no data, so the
/// encoder leaves them out of the payload, as the runtime expects (a test checks each
/// extension the metadata names is either a default one or empty).
#[derive(Debug, Clone, Default)]
pub struct LuxtensorConfig(SubstrateConfig);

impl Config for LuxtensorConfig {
	type AccountId = <SubstrateConfig as Config>::AccountId;
	type Address = <PolkadotConfig as Config>::Address;
	type Signature = <SubstrateConfig as Config>::Signature;
	type Hasher = <SubstrateConfig as Config>::Hasher;
	type Header = <SubstrateConfig as Config>::Header;
	type TransactionExtensions = DefaultTransactionExtensions<LuxtensorConfig>;
	type AssetId = u32;

	fn genesis_hash(&self) -> Option<HashFor<Self>> {
		self.0.genesis_hash()
	}

	fn spec_and_transaction_version_for_block_number(
		&self,
		block_number: u64,
	) -> Option<(u32, u32)> {
		self.0.spec_and_transaction_version_for_block_number(block_number)
	}

	fn metadata_for_spec_version(&self, spec_version: u32) -> Option<subxt::ArcMetadata> {
		self.0.metadata_for_spec_version(spec_version)
	}

	fn set_metadata_for_spec_version(&self, spec_version: u32, metadata: subxt::ArcMetadata) {
		self.0.set_metadata_for_spec_version(spec_version, metadata)
	}
}

#[cfg(test)]
mod tests {
	use subxt::ext::scale_encode::EncodeAsType;

	/// What subxt's default extensions encode; anything else must carry no data.
	const ENCODED_BY_SUBXT: [&str; 9] = [
		"VerifyMultiSignature",
		"CheckSpecVersion",
		"CheckTxVersion",
		"CheckNonce",
		"CheckGenesis",
		"CheckMortality",
		"ChargeAssetTxPayment",
		"ChargeTransactionPayment",
		"CheckMetadataHash",
	];

	#[test]
	fn every_transaction_extension_is_encoded_by_subxt_or_carries_nothing() {
		let metadata = crate::metadata().unwrap();
		let mut names = Vec::new();
		for extension in metadata.extrinsic().transaction_extensions_to_use_for_encoding() {
			let name = extension.identifier();
			names.push(name.to_owned());
			if ENCODED_BY_SUBXT.contains(&name) {
				continue;
			}
			for ty in [extension.extra_ty(), extension.additional_ty()] {
				let encoded = ().encode_as_type(ty, metadata.types());
				assert_eq!(encoded.ok(), Some(vec![]), "{name} carries data subxt does not encode");
			}
		}
		// The runtime's own pool guards are among them, flattened out of their nested tuple.
		for guard in ["CheckServing", "CheckWeights", "CheckHeartbeat"] {
			assert!(names.iter().any(|name| name == guard), "{guard} missing from {names:?}");
		}
	}
}
