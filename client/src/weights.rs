//! Weights as validators set them: normalized to the chain's u16 scale, and committed by
//! hash for commit-reveal subnets.

use codec::Encode;
use subxt::utils::{AccountId32, H256};

/// The hash `weights.commitWeights` carries for these weights, as the runtime computes it:
/// BLAKE2b-256 of the SCALE encoding of `(hotkey, netuid, uids, values, salt, version_key)`.
pub fn commit_hash(
	hotkey: &AccountId32,
	netuid: u16,
	uids: &[u16],
	values: &[u16],
	salt: &[u16],
	version_key: u64,
) -> H256 {
	let encoded = (hotkey.0, netuid, uids, values, salt, version_key).encode();
	H256(sp_crypto_hashing::blake2_256(&encoded))
}

/// Relative weights (any non-negative numbers) scaled so the largest is `u16::MAX`, as the
/// chain stores them. All zero (or empty) is refused.
pub fn normalize(weights: &[f64]) -> Result<Vec<u16>, String> {
	if let Some(bad) = weights.iter().find(|w| !w.is_finite() || **w < 0.0) {
		return Err(format!("weight {bad} is not a non-negative number"));
	}
	let max = weights.iter().cloned().fold(0.0f64, f64::max);
	if max <= 0.0 {
		return Err("at least one weight must be above zero".into());
	}
	Ok(weights.iter().map(|w| ((w / max) * f64::from(u16::MAX)).round() as u16).collect())
}

/// A random salt for a commit (eight u16s).
pub fn random_salt() -> Result<Vec<u16>, crate::keys::KeyError> {
	let mut bytes = [0u8; 16];
	crate::keys::random_bytes(&mut bytes)?;
	Ok(bytes.chunks(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn weights_scale_to_the_largest_and_refuse_nonsense() {
		assert_eq!(normalize(&[1.0, 0.5, 0.0]), Ok(vec![65535, 32768, 0]));
		assert_eq!(normalize(&[3.0]), Ok(vec![65535]));
		assert!(normalize(&[0.0, 0.0]).is_err());
		assert!(normalize(&[]).is_err());
		assert!(normalize(&[-1.0, 1.0]).is_err());
		assert!(normalize(&[f64::NAN]).is_err());
	}

	#[test]
	fn a_commit_hash_binds_every_input() {
		let hotkey = AccountId32([7; 32]);
		let hash = commit_hash(&hotkey, 1, &[0, 1], &[10, 20], &[5; 8], 0);
		assert_eq!(hash, commit_hash(&hotkey, 1, &[0, 1], &[10, 20], &[5; 8], 0));
		assert_ne!(hash, commit_hash(&AccountId32([8; 32]), 1, &[0, 1], &[10, 20], &[5; 8], 0));
		assert_ne!(hash, commit_hash(&hotkey, 2, &[0, 1], &[10, 20], &[5; 8], 0));
		assert_ne!(hash, commit_hash(&hotkey, 1, &[0, 1], &[10, 21], &[5; 8], 0));
		assert_ne!(hash, commit_hash(&hotkey, 1, &[0, 1], &[10, 20], &[6; 8], 0));
		assert_ne!(hash, commit_hash(&hotkey, 1, &[0, 1], &[10, 20], &[5; 8], 1));
		assert_eq!(random_salt().unwrap().len(), 8);
	}
}
