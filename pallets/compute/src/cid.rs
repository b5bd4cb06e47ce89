//! Validation of content identifiers: a CIDv1 in multibase base32 text (`b` prefix), the
//! form IPFS prints (`bafybei...`, `bafkrei...`).
//!
//! Layout after base32 decoding: `varint(1)` (CID version), `varint(codec)` (multicodec of
//! the content), then the multihash: `varint(hash function)`, `varint(digest length)`, the
//! digest.

use alloc::vec::Vec;

/// Why a content id is not a CIDv1 this chain accepts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CidError {
	/// Not multibase base32 lower case (`b` followed by `a-z2-7`).
	NotBase32,
	/// The version is not 1 (CIDv0 `Qm...` strings are not multibase).
	NotVersion1,
	/// The content codec is none of raw, dag-pb, dag-cbor, dag-json.
	UnsupportedCodec,
	/// The hash function is none of sha2-256, blake2b-256, blake3.
	UnsupportedHash,
	/// The digest is not 32 bytes, or bytes follow it.
	BadDigestLength,
}

/// Multicodecs of content a model can be stored as.
const CODECS: [u64; 4] = [
	0x55,   // raw
	0x70,   // dag-pb
	0x71,   // dag-cbor
	0x0129, // dag-json
];

/// Multihash functions with 32-byte digests.
const HASHES: [u64; 3] = [
	0x12,   // sha2-256
	0x1e,   // blake3
	0xb220, // blake2b-256
];

const DIGEST_LEN: u64 = 32;

/// Checks that `text` is a CIDv1 in base32 multibase with a supported codec and hash.
pub fn validate_cid_v1(text: &[u8]) -> Result<(), CidError> {
	let (prefix, body) = text.split_first().ok_or(CidError::NotBase32)?;
	if *prefix != b'b' {
		return Err(CidError::NotBase32);
	}
	let bytes = decode_base32(body).ok_or(CidError::NotBase32)?;
	let mut rest = bytes.as_slice();
	if read_varint(&mut rest) != Some(1) {
		return Err(CidError::NotVersion1);
	}
	let codec = read_varint(&mut rest).ok_or(CidError::UnsupportedCodec)?;
	if !CODECS.contains(&codec) {
		return Err(CidError::UnsupportedCodec);
	}
	let hash = read_varint(&mut rest).ok_or(CidError::UnsupportedHash)?;
	if !HASHES.contains(&hash) {
		return Err(CidError::UnsupportedHash);
	}
	let length = read_varint(&mut rest).ok_or(CidError::BadDigestLength)?;
	if length != DIGEST_LEN || rest.len() as u64 != DIGEST_LEN {
		return Err(CidError::BadDigestLength);
	}
	Ok(())
}

/// RFC 4648 base32, lower case, no padding; `None` on any other character or on leftover
/// bits that are not zero.
fn decode_base32(text: &[u8]) -> Option<Vec<u8>> {
	let mut bytes = Vec::new();
	// Fewer than 8 bits are ever left in the buffer, so nothing here overflows.
	let mut buffer: u32 = 0;
	let mut bits: u32 = 0;
	for &c in text {
		let value = match c {
			b'a'..=b'z' => c.wrapping_sub(b'a'),
			b'2'..=b'7' => c.wrapping_sub(b'2').wrapping_add(26),
			_ => return None,
		};
		buffer = buffer.wrapping_shl(5) | u32::from(value);
		bits = bits.wrapping_add(5);
		if bits >= 8 {
			bits = bits.wrapping_sub(8);
			bytes.push(buffer.wrapping_shr(bits) as u8);
			buffer &= 1u32.wrapping_shl(bits).wrapping_sub(1);
		}
	}
	// Canonical encodings pad the last character with zero bits.
	(buffer == 0).then_some(bytes)
}

/// An unsigned LEB128 varint of at most 9 bytes (the multiformats limit), consumed from
/// the front of `bytes`.
fn read_varint(bytes: &mut &[u8]) -> Option<u64> {
	let mut value: u64 = 0;
	for (index, &byte) in bytes.iter().enumerate().take(9) {
		// At most 9 x 7 = 63 bits.
		value |= u64::from(byte & 0x7f).wrapping_shl((index as u32).wrapping_mul(7));
		if byte & 0x80 == 0 {
			*bytes = bytes.get(index.saturating_add(1)..)?;
			return Some(value);
		}
	}
	None
}

#[cfg(test)]
mod tests {
	use super::*;

	/// An empty file added with `ipfs add --cid-version 1` (raw leaves, sha2-256).
	const RAW_SHA256: &[u8] = b"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
	/// A directory (dag-pb, sha2-256), as IPFS gateways show them.
	const DAG_PB: &[u8] = b"bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

	#[test]
	fn accepts_ipfs_cids() {
		assert_eq!(validate_cid_v1(RAW_SHA256), Ok(()));
		assert_eq!(validate_cid_v1(DAG_PB), Ok(()));
	}

	#[test]
	fn rejects_other_multibases_and_cid_v0() {
		assert_eq!(validate_cid_v1(b""), Err(CidError::NotBase32));
		assert_eq!(
			validate_cid_v1(b"QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"),
			Err(CidError::NotBase32)
		);
		assert_eq!(validate_cid_v1(b"BAFKREIHDWDCE"), Err(CidError::NotBase32));
		assert_eq!(validate_cid_v1(b"bafk reihdwdce"), Err(CidError::NotBase32));
	}

	#[test]
	fn rejects_truncated_and_extended_digests() {
		let truncated = &RAW_SHA256[..RAW_SHA256.len() - 8];
		assert_eq!(validate_cid_v1(truncated), Err(CidError::BadDigestLength));
		let mut extended = RAW_SHA256.to_vec();
		extended.extend_from_slice(b"aaaaaaaa");
		assert_eq!(validate_cid_v1(&extended), Err(CidError::BadDigestLength));
	}

	#[test]
	fn rejects_other_versions_codecs_and_hashes() {
		// Version 2, raw, sha2-256 with a zero digest: 0x02 0x55 0x12 0x20 + 32 zero bytes.
		let encode = |bytes: &[u8]| {
			let mut text = alloc::vec![b'b'];
			let mut buffer: u32 = 0;
			let mut bits = 0;
			for &byte in bytes {
				buffer = (buffer << 8) | u32::from(byte);
				bits += 8;
				while bits >= 5 {
					bits -= 5;
					text.push(
						b"abcdefghijklmnopqrstuvwxyz234567"[((buffer >> bits) & 31) as usize],
					);
				}
			}
			if bits > 0 {
				text.push(
					b"abcdefghijklmnopqrstuvwxyz234567"[((buffer << (5 - bits)) & 31) as usize],
				);
			}
			text
		};
		let cid = |version: u8, codec: u8, hash: u8, length: u8, digest: usize| {
			let mut bytes = alloc::vec![version, codec, hash, length];
			bytes.extend(core::iter::repeat_n(0u8, digest));
			encode(&bytes)
		};
		assert_eq!(validate_cid_v1(&cid(1, 0x55, 0x12, 32, 32)), Ok(()));
		assert_eq!(validate_cid_v1(&cid(2, 0x55, 0x12, 32, 32)), Err(CidError::NotVersion1));
		assert_eq!(validate_cid_v1(&cid(1, 0x50, 0x12, 32, 32)), Err(CidError::UnsupportedCodec));
		assert_eq!(validate_cid_v1(&cid(1, 0x55, 0x11, 32, 32)), Err(CidError::UnsupportedHash));
		assert_eq!(validate_cid_v1(&cid(1, 0x55, 0x12, 20, 20)), Err(CidError::BadDigestLength));
	}
}
