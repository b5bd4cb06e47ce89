//! The referendum tracks: what each may do, what it costs to bring a referendum to a
//! decision, how long each stage lasts and how much approval and support it needs.
//!
//! Sized for this chain: a handful of tracks instead of Polkadot's fifteen, periods in
//! days rather than weeks (the network is young and its validators need to ship fixes), and
//! decision deposits that make a frivolous referendum cost a validator's week of rewards
//! on the root track but leave a small treasury spend within reach of a community member.
//!
//! Every support curve ends above zero: an uncontested referendum must still gather some
//! turnout (with a zero floor, a proposal nobody voted on would pass once its decision
//! period ran out, as long as its only aye kept approval at 100%).
//! With `fast-runtime` every period is in minutes, for local networks and tests.

use super::origins::Origin;
use crate::{
	currency::MDT,
	time::{DAYS, HOURS, MINUTES},
	Balance, BlockNumber, OriginCaller, RuntimeOrigin,
};
use alloc::borrow::Cow;
use pallet_referenda::{Curve, Track, TrackInfo};
use polkadot_sdk::*;
use sp_runtime::Perbill;

/// Track ids: part of the referendum's on-chain record, never renumber them.
pub const ROOT: u16 = 0;
pub const WHITELISTED_CALLER: u16 = 1;
pub const SUBNET_ADMIN: u16 = 10;
pub const SMALL_SPENDER: u16 = 20;
pub const BIG_SPENDER: u16 = 21;

/// `production` blocks on a real network; `fast` blocks with `fast-runtime`.
const fn period(production: BlockNumber, fast: BlockNumber) -> BlockNumber {
	if cfg!(feature = "fast-runtime") {
		fast
	} else {
		production
	}
}

/// A track name as the referenda pallet stores it: UTF-8, zero-padded to 25 bytes.
// Only evaluated at compile time (in `TRACKS`), where an overflow would fail the build.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const fn name(text: &str) -> [u8; 25] {
	let bytes = text.as_bytes();
	let mut out = [0u8; 25];
	let mut i = 0;
	while i < bytes.len() && i < out.len() {
		out[i] = bytes[i];
		i += 1;
	}
	out
}

/// Falls linearly from `from` at the start of the decision period to `to` at its end.
const fn linear(from: u32, to: u32) -> Curve {
	Curve::LinearDecreasing {
		length: Perbill::from_percent(100),
		floor: Perbill::from_percent(to),
		ceil: Perbill::from_percent(from),
	}
}

/// Approval every track needs: unanimity at the start, a simple majority by the end.
const APPROVAL: Curve = linear(100, 50);

const fn permille(value: u32) -> Perbill {
	Perbill::from_parts(value.saturating_mul(1_000_000))
}

/// Support (ayes' capital, before conviction, over the active issuance) falling linearly
/// from `from` to `to` per-mille.
const fn support(from: u32, to: u32) -> Curve {
	Curve::LinearDecreasing {
		length: Perbill::from_percent(100),
		floor: permille(to),
		ceil: permille(from),
	}
}

static TRACKS: [Track<u16, Balance, BlockNumber>; 5] = [
	Track {
		id: ROOT,
		info: TrackInfo {
			// Runtime upgrades and anything else: one at a time, the highest deposit, a day
			// to confirm and a day before it takes effect, so node operators can react.
			name: name("root"),
			max_deciding: 1,
			decision_deposit: 10_000 * MDT,
			prepare_period: period(2 * HOURS, 2 * MINUTES),
			decision_period: period(14 * DAYS, 20 * MINUTES),
			confirm_period: period(DAYS, 2 * MINUTES),
			min_enactment_period: period(DAYS, MINUTES),
			min_approval: APPROVAL,
			min_support: support(500, 50),
		},
	},
	Track {
		id: WHITELISTED_CALLER,
		info: TrackInfo {
			// The fast track: the technical committee already vetted the call (two thirds
			// whitelisted it), so a short confirmation and little support are enough.
			name: name("whitelisted_caller"),
			max_deciding: 10,
			decision_deposit: 1_000 * MDT,
			prepare_period: period(30 * MINUTES, MINUTES / 2),
			decision_period: period(7 * DAYS, 20 * MINUTES),
			confirm_period: period(10 * MINUTES, MINUTES / 2),
			min_enactment_period: period(10 * MINUTES, MINUTES / 2),
			min_approval: APPROVAL,
			min_support: support(50, 10),
		},
	},
	Track {
		id: SUBNET_ADMIN,
		info: TrackInfo {
			// Hyperparameters, forced epochs, dissolving subnets, cancelling slashes: each
			// touches one subnet or provider, so several may run at once.
			name: name("subnet_admin"),
			max_deciding: 10,
			decision_deposit: 500 * MDT,
			prepare_period: period(HOURS, MINUTES),
			decision_period: period(7 * DAYS, 20 * MINUTES),
			confirm_period: period(3 * HOURS, MINUTES),
			min_enactment_period: period(10 * MINUTES, MINUTES / 2),
			min_approval: APPROVAL,
			min_support: support(200, 20),
		},
	},
	Track {
		id: SMALL_SPENDER,
		info: TrackInfo {
			// Treasury spends up to 1,000 MDT: tips and small grants.
			name: name("small_spender"),
			max_deciding: 50,
			decision_deposit: 100 * MDT,
			prepare_period: period(HOURS, MINUTES),
			decision_period: period(7 * DAYS, 20 * MINUTES),
			confirm_period: period(6 * HOURS, MINUTES),
			min_enactment_period: period(DAYS, MINUTES),
			min_approval: APPROVAL,
			min_support: support(100, 10),
		},
	},
	Track {
		id: BIG_SPENDER,
		info: TrackInfo {
			// Treasury spends up to 20,000 MDT: more support and two days to confirm.
			name: name("big_spender"),
			max_deciding: 20,
			decision_deposit: 2_000 * MDT,
			prepare_period: period(4 * HOURS, MINUTES),
			decision_period: period(14 * DAYS, 20 * MINUTES),
			confirm_period: period(2 * DAYS, 2 * MINUTES),
			min_enactment_period: period(DAYS, MINUTES),
			min_approval: APPROVAL,
			min_support: support(250, 30),
		},
	},
];

/// The tracks, and which one a proposal's origin goes to.
pub struct TracksInfo;
impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = u16;
	type RuntimeOrigin = <RuntimeOrigin as frame_support::traits::OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<Self::Id, Balance, BlockNumber>>> {
		TRACKS.iter().map(Cow::Borrowed)
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<Self::Id, ()> {
		match origin {
			OriginCaller::system(frame_system::RawOrigin::Root) => Ok(ROOT),
			OriginCaller::Origins(Origin::WhitelistedCaller) => Ok(WHITELISTED_CALLER),
			OriginCaller::Origins(Origin::SubnetAdmin) => Ok(SUBNET_ADMIN),
			OriginCaller::Origins(Origin::SmallSpender) => Ok(SMALL_SPENDER),
			OriginCaller::Origins(Origin::BigSpender) => Ok(BIG_SPENDER),
			_ => Err(()),
		}
	}
}
