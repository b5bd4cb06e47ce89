//! Content identifiers (CIDs) compatible with IPFS.
//!
//! Everything LuxTensor stores is a single raw block addressed by a CIDv1 (codec raw, sha2-256),
//! written in base32: the same string an IPFS node returns for `ipfs add --cid-version=1
//! --raw-leaves` of content up to one block, so outputs can be fetched from any IPFS gateway.

use sha2::{Digest, Sha256};

/// Multicodec code of raw bytes.
pub const CODEC_RAW: u64 = 0x55;
/// Multicodec code of dag-pb (UnixFS) blocks.
pub const CODEC_DAG_PB: u64 = 0x70;
/// Multicodec code of dag-cbor blocks.
pub const CODEC_DAG_CBOR: u64 = 0x71;
/// Multicodec code of dag-json blocks.
pub const CODEC_DAG_JSON: u64 = 0x0129;
/// Multihash code of sha2-256.
pub const HASH_SHA2_256: u64 = 0x12;
/// Multihash code of blake2b-256.
pub const HASH_BLAKE2B_256: u64 = 0xb220;
/// Multihash code of blake3 (32-byte output).
pub const HASH_BLAKE3: u64 = 0x1e;

/// Why a CID was rejected or could not be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CidError {
	/// Not multibase base32 lower (`b` prefix followed by `a-z2-7`).
	#[error("not a base32 CIDv1 (expected 'b' followed by lowercase base32)")]
	NotBase32,
	/// The CID version is not 1 (or the bytes are not a CID at all).
	#[error("not a version 1 CID")]
	NotVersion1,
	/// The content codec is not one we know.
	#[error("unsupported codec 0x{0:x}")]
	UnsupportedCodec(u64),
	/// The multihash function is not one we know.
	#[error("unsupported hash function 0x{0:x}")]
	UnsupportedHash(u64),
	/// The digest is not exactly 32 bytes, or bytes trail it.
	#[error("bad digest: expected exactly 32 bytes")]
	BadDigest,
	/// The CID is valid but names content we cannot check (only raw sha2-256 is produced).
	#[error("cannot verify content of codec 0x{codec:x} with hash 0x{hash_code:x}")]
	Unverifiable {
		/// The CID's codec.
		codec: u64,
		/// The CID's hash function.
		hash_code: u64,
	},
	/// The content's hash differs from the CID's digest.
	#[error("content does not match the CID")]
	Mismatch,
}

/// A parsed CIDv1 with a 32-byte digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContentId {
	/// Multicodec of the content (see the `CODEC_*` constants).
	pub codec: u64,
	/// Multihash function code (see the `HASH_*` constants).
	pub hash_code: u64,
	/// The content digest.
	pub digest: [u8; 32],
}

impl ContentId {
	/// The CID's binary form: version, codec, hash code, digest length, digest.
	pub fn to_bytes(&self) -> Vec<u8> {
		let mut out = Vec::with_capacity(40);
		write_varint(&mut out, 1);
		write_varint(&mut out, self.codec);
		write_varint(&mut out, self.hash_code);
		write_varint(&mut out, 32);
		out.extend_from_slice(&self.digest);
		out
	}
}

impl std::fmt::Display for ContentId {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "b{}", base32_lower(&self.to_bytes()))
	}
}

impl std::str::FromStr for ContentId {
	type Err = CidError;
	fn from_str(s: &str) -> Result<Self, Self::Err> {
		parse(s)
	}
}

/// The SHA-256 digest of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
	Sha256::digest(bytes).into()
}

/// The CIDv1 (raw codec, sha2-256, base32 lower) of `bytes` as a single block.
pub fn raw_cid(bytes: &[u8]) -> String {
	ContentId { codec: CODEC_RAW, hash_code: HASH_SHA2_256, digest: sha256(bytes) }.to_string()
}

/// Parses a base32 CIDv1 with one of the known codecs and hash functions and a 32-byte digest.
pub fn parse(text: &str) -> Result<ContentId, CidError> {
	let body = text.strip_prefix('b').ok_or(CidError::NotBase32)?;
	// Lowercase only: 'B' is a different multibase, and mixed case would give two names to one
	// file in a directory store.
	if body.is_empty()
		|| !body.bytes().all(|c| c.is_ascii_lowercase() || (b'2'..=b'7').contains(&c))
	{
		return Err(CidError::NotBase32);
	}
	let bytes = data_encoding::BASE32_NOPAD
		.decode(body.to_ascii_uppercase().as_bytes())
		.map_err(|_| CidError::NotBase32)?;
	let mut rest = bytes.as_slice();
	if read_varint(&mut rest).ok_or(CidError::NotVersion1)? != 1 {
		return Err(CidError::NotVersion1);
	}
	let codec = read_varint(&mut rest).ok_or(CidError::NotVersion1)?;
	if ![CODEC_RAW, CODEC_DAG_PB, CODEC_DAG_CBOR, CODEC_DAG_JSON].contains(&codec) {
		return Err(CidError::UnsupportedCodec(codec));
	}
	let hash_code = read_varint(&mut rest).ok_or(CidError::BadDigest)?;
	if ![HASH_SHA2_256, HASH_BLAKE2B_256, HASH_BLAKE3].contains(&hash_code) {
		return Err(CidError::UnsupportedHash(hash_code));
	}
	if read_varint(&mut rest).ok_or(CidError::BadDigest)? != 32 {
		return Err(CidError::BadDigest);
	}
	let digest: [u8; 32] = rest.try_into().map_err(|_| CidError::BadDigest)?;
	Ok(ContentId { codec, hash_code, digest })
}

/// Checks that `bytes` is the content named by `cid`.
///
/// Only raw sha2-256 CIDs can be checked (that is all LuxTensor produces); others are valid
/// names but give [`CidError::Unverifiable`] rather than being trusted.
pub fn verify(cid: &str, bytes: &[u8]) -> Result<(), CidError> {
	let id = parse(cid)?;
	if id.codec != CODEC_RAW || id.hash_code != HASH_SHA2_256 {
		return Err(CidError::Unverifiable { codec: id.codec, hash_code: id.hash_code });
	}
	if sha256(bytes) == id.digest {
		Ok(())
	} else {
		Err(CidError::Mismatch)
	}
}

fn base32_lower(bytes: &[u8]) -> String {
	data_encoding::BASE32_NOPAD.encode(bytes).to_ascii_lowercase()
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
	while v >= 0x80 {
		out.push((v as u8 & 0x7f) | 0x80);
		v >>= 7;
	}
	out.push(v as u8);
}

/// Reads an unsigned LEB128 varint of at most 9 bytes (the multiformats limit).
fn read_varint(rest: &mut &[u8]) -> Option<u64> {
	let mut v: u64 = 0;
	for i in 0..9 {
		let (&b, tail) = rest.split_first()?;
		*rest = tail;
		v |= u64::from(b & 0x7f) << (7 * i);
		if b & 0x80 == 0 {
			// Minimal encoding only, so one CID has one spelling.
			if i > 0 && b == 0 {
				return None;
			}
			return Some(v);
		}
	}
	None
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn empty_input_known_vector() {
		assert_eq!(raw_cid(b""), "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
	}

	#[test]
	fn known_vector_hello() {
		// `ipfs add --cid-version=1 --raw-leaves` of "hello world" (no newline).
		assert_eq!(
			raw_cid(b"hello world"),
			"bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"
		);
	}

	#[test]
	fn parse_round_trips_and_verifies() {
		let data = b"some output";
		let cid = raw_cid(data);
		let id = parse(&cid).unwrap();
		assert_eq!(id.codec, CODEC_RAW);
		assert_eq!(id.hash_code, HASH_SHA2_256);
		assert_eq!(id.digest, sha256(data));
		assert_eq!(id.to_string(), cid);
		verify(&cid, data).unwrap();
		assert_eq!(verify(&cid, b"some outpuT"), Err(CidError::Mismatch));
	}

	#[test]
	fn parses_other_codecs_and_hashes_but_cannot_verify_them() {
		for (codec, hash) in [
			(CODEC_DAG_PB, HASH_SHA2_256),
			(CODEC_DAG_JSON, HASH_BLAKE2B_256),
			(CODEC_DAG_CBOR, HASH_BLAKE3),
		] {
			let id = ContentId { codec, hash_code: hash, digest: [7; 32] };
			let text = id.to_string();
			assert_eq!(parse(&text).unwrap(), id);
			assert!(matches!(verify(&text, b""), Err(CidError::Unverifiable { .. })));
		}
		// A well-known dag-pb CIDv1 (the empty UnixFS directory).
		let id = parse("bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354").unwrap();
		assert_eq!(id.codec, CODEC_DAG_PB);
	}

	#[test]
	fn rejects_malformed() {
		assert_eq!(
			parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n"),
			Err(CidError::NotBase32)
		);
		assert_eq!(parse("b"), Err(CidError::NotBase32));
		assert_eq!(parse("bAFKREI"), Err(CidError::NotBase32));
		assert_eq!(parse("b1111"), Err(CidError::NotBase32));
		let mut id = ContentId { codec: CODEC_RAW, hash_code: HASH_SHA2_256, digest: [0; 32] };
		let mut v0 = id.to_bytes();
		v0[0] = 0;
		assert_eq!(parse(&format!("b{}", base32_lower(&v0))), Err(CidError::NotVersion1));
		id.codec = 0x99;
		assert_eq!(parse(&id.to_string()), Err(CidError::UnsupportedCodec(0x99)));
		id.codec = CODEC_RAW;
		id.hash_code = 0x13;
		assert_eq!(parse(&id.to_string()), Err(CidError::UnsupportedHash(0x13)));
		id.hash_code = HASH_SHA2_256;
		let mut long = id.to_bytes();
		long.push(0);
		assert_eq!(parse(&format!("b{}", base32_lower(&long))), Err(CidError::BadDigest));
		let short = &id.to_bytes()[..30];
		assert_eq!(parse(&format!("b{}", base32_lower(short))), Err(CidError::BadDigest));
	}
}
