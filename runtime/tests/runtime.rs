//! Runtime integration tests: the genesis presets build a consistent state, and fees,
//! proxies and the era payout behave as documented.

mod common;

use common::{account, preset_externalities};
use luxtensor_runtime::{
	configs::{ProxyType, WeightToFee},
	currency::{EXISTENTIAL_DEPOSIT, MDT, MILLI_MDT},
	genesis_config_presets::{self, ENDOWMENT, VALIDATOR_BOND},
	governance::TreasuryAccount,
	AccountId, Balances, Emission, Runtime, RuntimeCall, Session, Stake, System,
};
use polkadot_sdk::{
	frame_support::{
		traits::{Currency, InstanceFilter},
		weights::{constants::ExtrinsicBaseWeight, WeightToFee as _},
	},
	pallet_balances, pallet_conviction_voting, pallet_proxy, pallet_session, pallet_staking,
	pallet_sudo,
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
	sp_keyring::Sr25519Keyring,
};

#[test]
fn presets_are_listed() {
	let names = genesis_config_presets::preset_names();
	assert!(names.contains(&DEV_RUNTIME_PRESET.into()));
	assert!(names.contains(&LOCAL_TESTNET_RUNTIME_PRESET.into()));
	assert!(genesis_config_presets::get_preset(&"no-such-preset".into()).is_none());
}

#[test]
fn development_preset_has_alice_as_sole_validator_and_sudo() {
	preset_externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = account(Sr25519Keyring::Alice);
		assert_eq!(Session::validators(), vec![alice.clone()]);
		assert!(pallet_staking::Validators::<Runtime>::contains_key(&alice));
		assert_eq!(pallet_staking::ValidatorCount::<Runtime>::get(), 1);
		assert_eq!(
			pallet_staking::Ledger::<Runtime>::get(&alice).map(|ledger| ledger.active),
			Some(VALIDATOR_BOND)
		);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice));
	});
}

#[test]
fn local_testnet_preset_has_four_validators_with_keys() {
	preset_externalities(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let mut expected: Vec<AccountId> = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		]
		.into_iter()
		.map(account)
		.collect();
		// The genesis election orders the set by its own rules: compare as sets.
		let mut validators = Session::validators();
		validators.sort();
		expected.sort();
		assert_eq!(validators, expected);
		for validator in &expected {
			assert!(pallet_session::NextKeys::<Runtime>::contains_key(validator));
		}
		// One validator may drop out and the set is still large enough to elect.
		assert_eq!(pallet_staking::MinimumValidatorCount::<Runtime>::get(), 3);
	});
}

#[test]
fn genesis_issuance_is_the_sum_of_endowments() {
	preset_externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		let endowed = Sr25519Keyring::iter().count() as u128;
		// Plus the existential deposits of the stake account and the treasury.
		assert_eq!(Balances::total_issuance(), endowed * ENDOWMENT + 2 * EXISTENTIAL_DEPOSIT);
		assert_eq!(Balances::total_balance(&Stake::stake_account()), EXISTENTIAL_DEPOSIT);
		assert_eq!(Balances::total_balance(&TreasuryAccount::get()), EXISTENTIAL_DEPOSIT);
		let alice = account(Sr25519Keyring::Alice);
		assert_eq!(pallet_balances::Pallet::<Runtime>::total_balance(&alice), ENDOWMENT);
		assert_eq!(System::account_nonce(&alice), 0);
	});
}

#[test]
fn base_extrinsic_weight_costs_a_tenth_of_a_milli_mdt() {
	let fee = WeightToFee::weight_to_fee(&ExtrinsicBaseWeight::get());
	// The polynomial's integer/fraction split may round down by one unit.
	assert!((MILLI_MDT / 10).abs_diff(fee) <= 1, "fee of the base weight: {fee}");
	assert!(EXISTENTIAL_DEPOSIT < fee, "a single fee is above the existential deposit");
}

#[test]
fn era_payout_is_a_tenth_of_the_block_emission() {
	use polkadot_sdk::{
		frame_support::traits::{fungible, tokens::Precision, Hooks, OnUnbalanced},
		sp_staking::EraPayout,
	};
	type EraPayoutOf = <Runtime as pallet_staking::Config>::EraPayout;
	preset_externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		for block in 1..=20 {
			System::set_block_number(block);
			Emission::on_initialize(block);
		}
		// Twenty blocks of 0.05 MDT, taken once.
		assert_eq!(EraPayoutOf::era_payout(0, 0, 0), (MDT, 0));
		assert_eq!(EraPayoutOf::era_payout(0, 0, 0), (0, 0));
		// Owed until staking's payout calls mint it, and reported as they do.
		assert_eq!(pallet_emission::NposPayoutOwed::<Runtime>::get(), MDT);
		let issued = Balances::total_issuance();
		let minted = <Balances as fungible::Balanced<AccountId>>::deposit(
			&account(Sr25519Keyring::Bob),
			MDT / 4,
			Precision::Exact,
		)
		.expect("Bob exists");
		<Runtime as pallet_staking::Config>::Reward::on_unbalanced(minted);
		assert_eq!(pallet_emission::NposPayoutOwed::<Runtime>::get(), MDT * 3 / 4);
		assert_eq!(Balances::total_issuance(), issued + MDT / 4);
	});
}

#[test]
fn proxy_types_filter_calls() {
	let bob = account(Sr25519Keyring::Bob);
	let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: bob.clone().into(),
		value: MDT,
	});
	let chill = RuntimeCall::Staking(pallet_staking::Call::chill {});
	assert!(ProxyType::Any.filter(&transfer));
	assert!(!ProxyType::NonTransfer.filter(&transfer));
	assert!(ProxyType::NonTransfer.filter(&chill));
	assert!(ProxyType::Staking.filter(&chill));
	assert!(!ProxyType::Staking.filter(&transfer));
	let add_stake =
		RuntimeCall::Stake(pallet_stake::Call::add_stake { hotkey: bob.clone(), amount: MDT });
	assert!(ProxyType::Staking.filter(&add_stake), "a staking proxy manages subnet stake too");
	assert!(ProxyType::NonTransfer.filter(&add_stake));
	// An allow-list: escrow paid to a provider, new proxies and sudo are refused too.
	let cancel_job = RuntimeCall::Compute(pallet_compute::Call::cancel_job { job: 0 });
	assert!(!ProxyType::NonTransfer.filter(&cancel_job));
	let add_proxy = RuntimeCall::Proxy(pallet_proxy::Call::add_proxy {
		delegate: bob.clone().into(),
		proxy_type: ProxyType::Any,
		delay: 0,
	});
	assert!(!ProxyType::NonTransfer.filter(&add_proxy));
	assert!(!ProxyType::CancelProxy.filter(&chill));
	let vote = RuntimeCall::ConvictionVoting(pallet_conviction_voting::Call::remove_vote {
		class: None,
		index: 0,
	});
	assert!(ProxyType::Governance.filter(&vote));
	assert!(ProxyType::NonTransfer.filter(&vote));
	assert!(!ProxyType::Governance.filter(&transfer));
	assert!(!ProxyType::Governance.filter(&chill));
	assert!(ProxyType::Any.is_superset(&ProxyType::Staking));
	assert!(ProxyType::NonTransfer.is_superset(&ProxyType::Staking));
	assert!(!ProxyType::Staking.is_superset(&ProxyType::NonTransfer));
}

#[test]
fn fees_never_fall_below_a_tenth_however_long_blocks_stay_empty() {
	use luxtensor_runtime::configs::SlowAdjustingFeeUpdate;
	use polkadot_sdk::{
		pallet_transaction_payment::Multiplier,
		sp_runtime::{
			traits::{Convert, One},
			FixedPointNumber,
		},
	};
	preset_externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		// A month of empty blocks, starting from nominal fees.
		let mut multiplier = Multiplier::one();
		for _ in 0..432_000 {
			multiplier = SlowAdjustingFeeUpdate::<Runtime>::convert(multiplier);
		}
		assert_eq!(multiplier, Multiplier::saturating_from_rational(1, 10));
	});
}

#[test]
fn transactions_carry_the_metadata_hash_check_and_reclaim_unused_weight_last() {
	use polkadot_sdk::sp_runtime::traits::TransactionExtension;
	let identifiers: Vec<&str> = luxtensor_runtime::TxExtension::metadata()
		.into_iter()
		.map(|extension| extension.identifier)
		.collect();
	assert!(identifiers.contains(&"CheckMetadataHash"), "{identifiers:?}");
	// Nested guards are listed flat, as wallets see them.
	assert!(identifiers.contains(&"CheckHeartbeat"), "{identifiers:?}");
	assert_eq!(identifiers.last(), Some(&"WeightReclaim"), "reclaim runs after every other");
}

/// A new chain's pallets start at their in-code storage versions, so the upgrade migrations
/// listed in the runtime change nothing on it; they run only on older chains.
#[test]
fn a_new_chain_needs_no_migration() {
	use luxtensor_runtime::{Compute, Migrations, Registration, Subnets, Weights};
	use polkadot_sdk::{
		frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade},
		sp_io,
		sp_runtime::StateVersion,
	};
	preset_externalities(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		macro_rules! assert_at_in_code_version {
			($($pallet:ident),+) => {$(
				assert_eq!(
					$pallet::on_chain_storage_version(),
					$pallet::in_code_storage_version(),
					concat!(stringify!($pallet), " starts at its in-code storage version")
				);
			)+};
		}
		assert_at_in_code_version!(Subnets, Registration, Weights, Emission, Compute, Stake);
		let root = sp_io::storage::root(StateVersion::V1);
		Migrations::on_runtime_upgrade();
		assert_eq!(sp_io::storage::root(StateVersion::V1), root, "no migration wrote anything");
	});
}
