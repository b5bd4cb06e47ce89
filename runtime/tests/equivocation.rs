//! A validator that authors two blocks in one BABE slot is reported through the runtime's
//! unsigned report call, with a key ownership proof from the historical session: it is
//! disabled and chilled at once, and slashed when the deferred slash comes due.

mod common;

use codec::Encode;
use common::{account, preset_externalities};
use luxtensor_runtime::{
	configs::SlashDeferDuration, currency::MDT, genesis_config_presets::VALIDATOR_BOND,
	governance::TreasuryAccount, Babe, BabeId, Balances, Executive, Header, Historical, Runtime,
	RuntimeCall, RuntimeEvent, Session, Staking, System, UncheckedExtrinsic,
};
use polkadot_sdk::{
	frame_support::traits::{Currency, KeyOwnerProofSystem},
	pallet_babe, pallet_session, pallet_staking,
	sp_consensus_babe::{
		digests::{CompatibleDigestItem, PreDigest, SecondaryPlainPreDigest},
		EquivocationProof, Slot, BABE_ENGINE_ID, KEY_TYPE,
	},
	sp_core::{sr25519, Pair, H256},
	sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		traits::Header as _,
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
		Digest, DigestItem, Perbill,
	},
	sp_staking::{offence::OffenceSeverity, StakingInterface},
};

const SLOT: u64 = 1_000;

fn babe_pre_digest(authority_index: u32, slot: Slot) -> DigestItem {
	let pre_digest = PreDigest::SecondaryPlain(SecondaryPlainPreDigest { authority_index, slot });
	DigestItem::PreRuntime(BABE_ENGINE_ID, pre_digest.encode())
}

/// A block header of `slot` by the authority at `authority_index`, sealed with `pair`;
/// `state_root` tells apart two blocks of the same slot.
fn sealed_header(
	authority_index: u32,
	slot: Slot,
	state_root: H256,
	pair: &sr25519::Pair,
) -> Header {
	let mut header = Header::new(
		2,
		H256::zero(),
		state_root,
		System::parent_hash(),
		Digest { logs: vec![babe_pre_digest(authority_index, slot)] },
	);
	let seal = pair.sign(header.hash().as_ref());
	header.digest_mut().push(DigestItem::babe_seal(seal.into()));
	header
}

fn authority_index(babe_id: &BabeId) -> u32 {
	let index = Babe::authorities()
		.iter()
		.position(|(id, _)| id == babe_id)
		.expect("the offender is a BABE authority");
	u32::try_from(index).expect("few authorities")
}

fn report_call(proof: EquivocationProof<Header>, babe_id: BabeId) -> RuntimeCall {
	let key_owner_proof =
		Historical::prove((KEY_TYPE, babe_id)).expect("the key is in the session");
	RuntimeCall::Babe(pallet_babe::Call::report_equivocation_unsigned {
		equivocation_proof: Box::new(proof),
		key_owner_proof,
	})
}

fn staking_events() -> Vec<pallet_staking::Event<Runtime>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Staking(event) => Some(event),
			_ => None,
		})
		.collect()
}

#[test]
fn babe_equivocation_is_reported_and_the_offender_slashed_and_chilled() {
	preset_externalities(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let offender = account(Sr25519Keyring::Bob);
		let offender_babe: BabeId = Sr25519Keyring::Bob.public().into();
		let offender_index = authority_index(&offender_babe);

		// Block 1 at SLOT, authored by another validator, who will include the report.
		let author_index = (offender_index + 1) % 4;
		let block_one = Header::new(
			1,
			H256::zero(),
			H256::zero(),
			System::parent_hash(),
			Digest { logs: vec![babe_pre_digest(author_index, Slot::from(SLOT))] },
		);
		Executive::initialize_block(&block_one);

		// Bob seals two different blocks for the next slot.
		let slot = Slot::from(SLOT + 1);
		let pair = Sr25519Keyring::Bob.pair();
		let proof = EquivocationProof {
			offender: offender_babe.clone(),
			slot,
			first_header: sealed_header(offender_index, slot, H256::repeat_byte(1), &pair),
			second_header: sealed_header(offender_index, slot, H256::repeat_byte(2), &pair),
		};
		let call = report_call(proof.clone(), offender_babe.clone());
		let RuntimeCall::Babe(babe_call) = &call else { unreachable!() };

		// The pool takes the report only from the local node (the author's own offchain
		// worker), never gossiped from peers.
		assert_eq!(
			Babe::validate_unsigned(TransactionSource::External, babe_call),
			Err(InvalidTransaction::Call.into())
		);
		assert!(Babe::validate_unsigned(TransactionSource::Local, babe_call).is_ok());

		let issuance_before = Balances::total_issuance();
		let treasury_before = Balances::total_balance(&TreasuryAccount::get());
		let offender_balance_before = Balances::total_balance(&offender);
		System::reset_events();
		assert_eq!(Executive::apply_extrinsic(UncheckedExtrinsic::new_bare(call)), Ok(Ok(())));

		// Slash fraction for one offender out of four validators: min((3k/n)^2, 1).
		let fraction = Perbill::from_rational(3u32, 4).square();
		let events = staking_events();
		assert!(events.contains(&pallet_staking::Event::SlashReported {
			validator: offender.clone(),
			fraction,
			slash_era: 0,
		}));
		assert!(events.contains(&pallet_staking::Event::Chilled { stash: offender.clone() }));
		assert!(!pallet_staking::Validators::<Runtime>::contains_key(&offender));
		assert_eq!(
			pallet_session::DisabledValidators::<Runtime>::get(),
			vec![(offender_index, OffenceSeverity(fraction))]
		);

		// The slash waits SlashDeferDuration eras, in which root may cancel it.
		let due_era = SlashDeferDuration::get() + 1;
		let unapplied = pallet_staking::UnappliedSlashes::<Runtime>::get(due_era);
		assert_eq!(unapplied.len(), 1);
		let slash = &unapplied[0];
		assert_eq!(slash.validator, offender);
		assert_eq!(slash.own, fraction.mul_floor(VALIDATOR_BOND));
		assert!(slash.own > 5_000 * MDT);
		assert_eq!(Balances::total_balance(&offender), offender_balance_before);

		// The same equivocation again is stale.
		let again = report_call(proof, offender_babe);
		assert_eq!(
			Executive::apply_extrinsic(UncheckedExtrinsic::new_bare(again)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);

		// Eras go by (a new era every session); the slash is applied when due.
		pallet_staking::ForceEra::<Runtime>::put(pallet_staking::Forcing::ForceAlways);
		while pallet_staking::ActiveEra::<Runtime>::get().map_or(0, |era| era.index) < due_era {
			Session::rotate_session();
		}
		let reporters_reward = slash.payout;
		assert_eq!(
			Balances::total_balance(&offender),
			offender_balance_before - slash.own,
			"the slash leaves the offender's balance"
		);
		assert_eq!(
			<Staking as StakingInterface>::stake(&offender).map(|stake| stake.active),
			Ok(VALIDATOR_BOND - slash.own)
		);
		assert_eq!(Balances::total_issuance(), issuance_before, "slashed funds are not burned");
		assert_eq!(
			Balances::total_balance(&TreasuryAccount::get()),
			treasury_before + slash.own - reporters_reward,
			"the treasury receives the slash, less the reporters' reward"
		);
		// Chilled, so no longer elected.
		assert!(!Session::validators().contains(&offender));
		assert_eq!(Session::validators().len(), 3);
	});
}
