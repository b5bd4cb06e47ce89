use crate::{
	mock::*, DeferredEpochs, EmittingSubnets, Event, NposPayoutAccrued, NposPayoutOwed, RootEpoch,
	SubnetEmission,
};
use luxtensor_primitives::{
	currency::{MDT, MILLI_MDT},
	subnets::ROOT_NETUID,
	traits::{Epoch, OnSubnetDissolved, OnSubnetScheduled, StakeInfo},
	Balance,
};
use pallet_stake::{Pools, TotalStake};
use polkadot_sdk::{
	frame_support::{
		assert_ok,
		traits::{
			fungible::{Inspect, Mutate},
			GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
		},
		weights::Weight,
		BoundedVec,
	},
	sp_runtime::Perbill,
};

const HOTKEY: AccountId = 21;

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Emission(event) => Some(event),
			_ => None,
		})
		.collect()
}

fn epochs_paid() -> Vec<(u16, Balance, Balance, Balance, Balance, Balance)> {
	events()
		.into_iter()
		.filter_map(|event| match event {
			Event::EpochPaid { netuid, drained, owner_cut, incentive, dividends, carried } => {
				Some((netuid, drained, owner_cut, incentive, dividends, carried))
			}
			_ => None,
		})
		.collect()
}

// ---- emission ----

#[test]
fn block_emission_accrues_to_npos_and_splits_equally_without_root_weights() {
	test(|| {
		run_to_block(2);
		// No subnet yet: only the validators' tenth accrues.
		assert_eq!(NposPayoutAccrued::<Test>::get(), MDT / 20);
		add_subnet(1, 100);
		add_subnet(2, 100);
		add_subnet(3, 100);
		run_to_block(3);
		assert_eq!(NposPayoutAccrued::<Test>::get(), MDT / 10);
		// 0.45 MDT split three ways, the unit lost to rounding to the first.
		assert_eq!(Emission::pending_emission(1), 150_000_000);
		assert_eq!(Emission::pending_emission(2), 150_000_000);
		assert_eq!(Emission::pending_emission(3), 150_000_000);
		assert_eq!(Emission::pending_emission(0), 0, "the root network earns nothing");
		assert_eq!(Emission::take_npos_payout(), MDT / 10);
		assert_eq!(NposPayoutAccrued::<Test>::get(), 0);
	});
}

#[test]
fn emission_halves_when_issuance_crosses_the_first_threshold() {
	test(|| {
		add_subnet(1, 1_000);
		let issued = Balances::total_issuance();
		// Bring issuance plus what is accrued to just below 10.5M MDT.
		Balances::set_balance(&CHARLIE, 10_500_000 * MDT - issued + ENDOWMENT - MDT / 2);
		run_to_block(2);
		assert_eq!(Emission::pending_emission(1), 450_000_000);
		run_to_block(3);
		assert_eq!(Emission::pending_emission(1), 450_000_000 + 225_000_000);
		assert_eq!(Emission::current_block_emission(), MDT / 4);
	});
}

#[test]
fn an_unclaimed_era_payout_counts_towards_the_halving_and_the_cap() {
	use polkadot_sdk::frame_support::traits::fungible::Mutate;
	test(|| {
		add_subnet(1, 1_000);
		run_to_block(2);
		let payout = Emission::take_npos_payout();
		assert_eq!(payout, MDT / 20);
		assert_eq!(NposPayoutOwed::<Test>::get(), payout);
		// Issuance, pending emission and the owed payout reach 10.5M MDT together: without
		// the payout the threshold is not crossed.
		let issued = Balances::total_issuance();
		let pending = Emission::pending_emission(1);
		Balances::set_balance(&CHARLIE, 10_500_000 * MDT - issued - pending - payout + ENDOWMENT);
		assert_eq!(Emission::current_block_emission(), MDT / 4);
		// Staking mints it as validators claim: it moves from owed to issued.
		assert_ok!(<Balances as Mutate<_>>::mint_into(&BOB, payout));
		Emission::npos_payout_minted(payout);
		assert_eq!(NposPayoutOwed::<Test>::get(), 0);
		assert_eq!(Emission::current_block_emission(), MDT / 4);
	});
}

// ---- epochs ----

#[test]
fn an_epoch_pays_owner_miners_and_validators_from_pending_emission() {
	test(|| {
		add_subnet(1, 10);
		// Three miners earning incentive 1:2:3, one validator earning all dividends.
		for (hotkey, part) in [(31, 1), (32, 2), (33, 3)] {
			add_neuron(1, hotkey, hotkey + 100, (part, 0));
		}
		add_neuron(1, HOTKEY, ALICE, (0, 1));
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, 100 * MDT));
		assert_ok!(Stake::add_stake(origin(BOB), HOTKEY, 300 * MDT));
		// The subnet's first tempo starts at its creation, in block 1.
		run_to_block(10);
		assert!(epochs().is_empty());
		run_to_block(11);
		// Blocks 2..=11 accrued 10 × 0.45 MDT.
		let drained = 10 * 450_000_000;
		let owner_cut = Perbill::from_percent(18) * drained;
		assert_eq!(epochs(), vec![(11, 1, drained - owner_cut)]);
		let to_yuma = drained - owner_cut;
		let (incentive, dividends) = (to_yuma / 2, to_yuma - to_yuma / 2);
		assert_eq!(epochs_paid(), vec![(1, drained, owner_cut, incentive, dividends, 0)]);
		assert_eq!(Emission::pending_emission(1), 0);
		assert_eq!(Stake::stake_of_coldkey(&OWNER_HOTKEY, &OWNER), owner_cut);
		let miners: Vec<Balance> =
			[31, 32, 33].iter().map(|h| Stake::stake_of_coldkey(h, &(h + 100))).collect();
		assert_eq!(miners.iter().sum::<Balance>(), incentive);
		assert_eq!(miners, vec![incentive / 6, incentive / 3, incentive / 2]);
		// The validator's take is staked for its owner at once; the rest is released into
		// the pool over the tempo, to the shares held meanwhile.
		let take = Perbill::from_percent(18) * dividends;
		let rest = dividends - take;
		assert_eq!(Stake::stake_of(&HOTKEY), 400 * MDT + take);
		// Everything paid was minted into the stake account.
		assert_eq!(TotalStake::<Test>::get(), 400 * MDT + drained);
		// Half the tempo later, half of it is released.
		run_to_block(16);
		assert!(Stake::stake_of(&HOTKEY).abs_diff(400 * MDT + take + rest / 2) <= 1);
		let alice = Stake::stake_of_coldkey(&HOTKEY, &ALICE);
		let bob = Stake::stake_of_coldkey(&HOTKEY, &BOB);
		let alice_part = (100 * MDT + take) as f64 / (400 * MDT + take) as f64;
		let alice_expected = 100 * MDT + take + (rest as f64 / 2.0 * alice_part) as u128;
		assert!(alice.abs_diff(alice_expected) <= 2, "alice {alice}");
		assert!(bob.abs_diff(400 * MDT + take + rest / 2 - alice_expected) <= 2, "bob {bob}");
		// The next epoch comes a tempo later.
		run_to_block(21);
		assert_eq!(epochs().len(), 2);
		assert_eq!(epochs()[1].0, 21);
	});
}

#[test]
fn what_nobody_can_be_paid_stays_pending() {
	test(|| {
		add_subnet(1, 10);
		run_to_block(11);
		// No neurons: the owner is paid, the rest waits for neurons.
		let drained = 10 * 450_000_000;
		let owner_cut = Perbill::from_percent(18) * drained;
		assert_eq!(epochs_paid(), vec![(1, drained, owner_cut, 0, 0, drained - owner_cut)]);
		assert_eq!(Emission::pending_emission(1), drained - owner_cut);
		assert_eq!(Stake::stake_of(&OWNER_HOTKEY), owner_cut);
	});
}

#[test]
fn epochs_past_the_budget_are_deferred_and_run_first_next_block() {
	test(|| {
		let heavy = Weight::from_parts(600_000_000_000, 0);
		for netuid in [1, 2, 3] {
			add_subnet(netuid, 10);
			edit_subnet(netuid, |subnet| subnet.epoch_weight = heavy);
		}
		run_to_block(11);
		// The budget (1 s) holds one 0.6 s epoch: 2 and 3 wait.
		assert_eq!(epochs().iter().map(|e| (e.0, e.1)).collect::<Vec<_>>(), vec![(11, 1)]);
		assert_eq!(DeferredEpochs::<Test>::get().into_inner(), vec![2, 3]);
		assert!(events().contains(&Event::EpochDeferred { netuid: 2 }));
		assert!(events().contains(&Event::EpochDeferred { netuid: 3 }));
		run_to_block(12);
		run_to_block(13);
		let runs: Vec<_> = epochs().iter().map(|e| (e.0, e.1)).collect();
		assert_eq!(runs, vec![(11, 1), (12, 2), (13, 3)]);
		assert!(DeferredEpochs::<Test>::get().is_empty());
		// Light epochs share a block.
		for netuid in [1, 2, 3] {
			edit_subnet(netuid, |subnet| subnet.epoch_weight = Weight::from_parts(1_000, 0));
		}
		// Each tempo runs from the subnet's own last epoch.
		run_to_block(23);
		let runs: Vec<_> = epochs().iter().skip(3).map(|e| (e.0, e.1)).collect();
		assert_eq!(runs, vec![(21, 1), (22, 2), (23, 3)]);
	});
}

#[test]
fn nominators_share_dividends_pro_rata_over_several_epochs() {
	test(|| {
		add_subnet(1, 10);
		add_neuron(1, HOTKEY, ALICE, (0, 1));
		assert_ok!(Stake::decrease_take(origin(ALICE), HOTKEY, Perbill::from_percent(10)));
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, 100 * MDT));
		assert_ok!(Stake::add_stake(origin(BOB), HOTKEY, 200 * MDT));
		assert_ok!(Stake::add_stake(origin(CHARLIE), HOTKEY, 100 * MDT));
		// Five epochs; then none for a while, so the last one's dividends are all released.
		run_to_block(52);
		set_tempo(1, 1_000);
		run_to_block(62);
		let paid = epochs_paid();
		assert_eq!(paid.len(), 5);
		let dividends: Balance = paid.iter().map(|p| p.4).sum();
		let stake = |coldkey| Stake::stake_of_coldkey(&HOTKEY, &coldkey);
		// Bob holds twice Charlie's shares, whatever the rewards did to their value.
		assert!(stake(BOB).abs_diff(2 * stake(CHARLIE)) <= 2);
		let gained = stake(ALICE) + stake(BOB) + stake(CHARLIE) - 400 * MDT;
		assert!(dividends - gained <= 3, "at most a unit per payout is lost to rounding");
		// Charlie gained a quarter of 90% of dividends (compounding and the take's own
		// shares shift little).
		let charlie_gain = stake(CHARLIE) - 100 * MDT;
		let expected = dividends * 9 / 40;
		assert!(charlie_gain.abs_diff(expected) < expected / 100, "{charlie_gain} vs {expected}");
		// Each leaves with exactly their stake.
		let before = Balances::balance(&CHARLIE);
		let charlie_stake = stake(CHARLIE);
		assert_ok!(Stake::remove_stake(origin(CHARLIE), HOTKEY, charlie_stake));
		assert_eq!(Balances::balance(&CHARLIE), before + charlie_stake);
	});
}

#[test]
fn a_dissolved_subnet_loses_its_unminted_emission_and_schedule() {
	test(|| {
		add_subnet(1, 10);
		add_subnet(2, 10);
		run_to_block(5);
		let issued = Balances::total_issuance();
		assert!(Emission::pending_emission(1) > 0);
		remove_subnet(1);
		Emission::on_subnet_dissolved(1);
		assert_eq!(Emission::subnet(1), None);
		assert_eq!(Balances::total_issuance(), issued, "pending emission was never minted");
		run_to_block(6);
		assert_eq!(Emission::pending_emission(2), 4 * 225_000_000 + 450_000_000);
	});
}

#[test]
fn a_dissolved_subnets_emission_share_goes_with_it() {
	test(|| {
		add_subnet(1, 1_000);
		add_subnet(2, 1_000);
		edit_subnet(0, |root| root.params.tempo = 10);
		add_neuron(0, 51, ALICE, (0, 0));
		assert_ok!(Stake::add_stake(origin(ALICE), 51, 300 * MDT));
		set_root_weights(0, vec![(1, 1), (2, 3)]);
		run_to_block(22);
		assert_eq!(Emission::root_epoch_shares().len(), 2);
		remove_subnet(1);
		Emission::on_subnet_dissolved(1);
		let netuids: Vec<_> = Emission::root_epoch_shares().iter().map(|(n, _)| *n).collect();
		assert_eq!(netuids, vec![2], "a subnet registered at netuid 1 later starts without it");
	});
}

/// A tiny deterministic generator, so the test needs no extra crate.
struct Lcg(u64);
impl Lcg {
	fn next(&mut self, bound: u64) -> u64 {
		self.0 =
			self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
		(self.0 >> 33) % bound
	}
}

#[test]
fn issuance_and_stake_are_conserved_over_a_thousand_blocks_of_random_stake_moves() {
	test(|| {
		add_subnet(1, 10);
		add_subnet(2, 17);
		let coldkeys = [ALICE, BOB, CHARLIE];
		for (i, hotkey) in [41, 42, 43, 44].into_iter().enumerate() {
			let coldkey = coldkeys[i % 3];
			add_neuron(1 + (i as u16 % 2), hotkey, coldkey, (i as u64 % 3, (i as u64 + 1) % 2));
		}
		let mut rng = Lcg(7);
		let mut minted_by_epochs = 0;
		for block in 2..=1_000 {
			let issuance_before = Balances::total_issuance();
			let paid_before = epochs_paid().len();
			run_to_block(block);
			let epochs_now = epochs_paid();
			for (_, drained, owner_cut, incentive, dividends, carried) in &epochs_now[paid_before..]
			{
				assert_eq!(*drained, owner_cut + incentive + dividends + carried, "drained = paid");
				minted_by_epochs += drained - carried;
			}
			let minted_now: Balance = epochs_now[paid_before..].iter().map(|e| e.1 - e.5).sum();
			assert_eq!(Balances::total_issuance(), issuance_before + minted_now);
			let coldkey = coldkeys[rng.next(3) as usize];
			let hotkey = 41 + rng.next(4);
			let amount = MIN_STAKE + Balance::from(rng.next(5_000)) * MILLI_MDT;
			let _ = match rng.next(3) {
				0 => Stake::add_stake(origin(coldkey), hotkey, amount),
				1 => Stake::remove_stake(origin(coldkey), hotkey, amount),
				_ => Stake::move_stake(origin(coldkey), hotkey, 41 + rng.next(4), amount),
			};
			if block % 100 == 0 {
				Emission::do_try_state().expect("invariants hold");
				assert_issuance_conserved();
			}
		}
		assert!(minted_by_epochs > 0);
		let stakes: Balance = Pools::<Test>::iter_values().map(|pool| pool.total()).sum();
		assert_eq!(stakes, TotalStake::<Test>::get());
	});
}

#[test]
fn the_root_network_splits_emission_by_its_consensus_each_root_tempo() {
	test(|| {
		add_subnet(1, 1_000);
		add_subnet(2, 1_000);
		add_subnet(3, 1_000);
		edit_subnet(0, |root| root.params.tempo = 10);
		run_to_block(2);
		// No root weights: equal shares.
		assert!(Emission::root_epoch_shares().is_empty());
		assert_eq!(Emission::pending_emission(1), 150_000_000);
		// Two root members, stake 3:1; the majority weighs subnets 1 and 2 at 1:3, the
		// minority puts everything on subnet 3, which consensus clips away.
		add_neuron(0, 51, ALICE, (0, 0));
		add_neuron(0, 52, BOB, (0, 0));
		assert_ok!(Stake::add_stake(origin(ALICE), 51, 300 * MDT));
		assert_ok!(Stake::add_stake(origin(BOB), 52, 100 * MDT));
		set_root_weights(0, vec![(1, 1), (2, 3)]);
		set_root_weights(1, vec![(3, 1)]);
		run_to_block(11);
		assert!(Emission::root_epoch_shares().is_empty(), "the root tempo has not passed");
		// The root epoch at block 12 weighs held stake: none stayed a whole holding period.
		run_to_block(12);
		assert!(Emission::root_epoch_shares().is_empty(), "stake not yet held counts for nothing");
		run_to_block(21);
		let before: Vec<Balance> = (1..=3).map(Emission::pending_emission).collect();
		run_to_block(22);
		let shares = Emission::root_epoch_shares();
		assert_eq!(shares.iter().map(|(netuid, _)| *netuid).collect::<Vec<_>>(), vec![1, 2]);
		assert!(events().contains(&Event::SubnetSharesSet { shares: shares.clone() }));
		let gained: Vec<Balance> =
			(1..=3).map(|n| Emission::pending_emission(n) - before[n as usize - 1]).collect();
		assert_eq!(gained.iter().sum::<Balance>(), 450_000_000);
		assert!(gained[0].abs_diff(112_500_000) <= 1, "subnet 1 gains a quarter: {gained:?}");
		assert!(gained[1].abs_diff(337_500_000) <= 1, "subnet 2 gains three quarters");
		assert_eq!(gained[2], 0);
	});
}

#[test]
fn staking_on_a_validator_just_around_its_epoch_earns_next_to_nothing() {
	test(|| {
		add_subnet(1, 10);
		add_neuron(1, HOTKEY, ALICE, (0, 1));
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, 100 * MDT));
		// The epoch at block 11 pays the validator; bob brings as much as alice at 10 ...
		run_to_block(10);
		assert_ok!(Stake::add_stake(origin(BOB), HOTKEY, 100 * MDT));
		run_to_block(11);
		let dividends = epochs_paid()[0].4;
		// ... and leaves at 12 with half of one block's release of them.
		run_to_block(12);
		let all = Stake::stake_of_coldkey(&HOTKEY, &BOB);
		assert_ok!(Stake::remove_stake(origin(BOB), HOTKEY, all));
		let earned = Balances::balance(&BOB) - ENDOWMENT;
		assert!(earned <= dividends / 20, "bob earned {earned} of {dividends}");
	});
}

/// A v0 state: the root epoch's block and shares as two values, on-chain version 0.
fn put_v0_root_epoch(block: Option<u32>, shares: Vec<(u16, u64)>) {
	use crate::migrations::v1::v0;
	if let Some(block) = block {
		v0::LastRootEpochBlock::<Test>::put(block);
	}
	v0::SubnetShares::<Test>::put(BoundedVec::truncate_from(shares));
	RootEpoch::<Test>::kill();
	StorageVersion::new(0).put::<Emission>();
}

#[test]
fn migration_to_v1_moves_the_root_epoch_into_one_record_once() {
	use crate::migrations::v1::{check, snapshot, v0, MigrateToV1};
	test(|| {
		add_subnet(1, 1_000);
		add_subnet(3, 1_000);
		put_v0_root_epoch(Some(120), vec![(1, 1 << 30), (3, 3 << 30)]);
		let before = snapshot::<Test>();

		MigrateToV1::<Test>::on_runtime_upgrade();

		assert_eq!(Emission::on_chain_storage_version(), 1);
		let record = RootEpoch::<Test>::get().expect("the record is written");
		assert_eq!(record.block, 120);
		assert_eq!(record.shares.into_inner(), vec![(1, 1 << 30), (3, 3 << 30)]);
		assert!(!v0::LastRootEpochBlock::<Test>::exists() && !v0::SubnetShares::<Test>::exists());
		assert_ok!(check::<Test>(before.clone()));

		// At version 1 it does nothing: a second upgrade cannot overwrite a newer record.
		RootEpoch::<Test>::mutate(|last| last.as_mut().expect("written").block = 130);
		MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(RootEpoch::<Test>::get().map(|last| last.block), Some(130));
		assert!(check::<Test>(before).is_err(), "the check sees the record changed");
	});
}

#[test]
fn migration_to_v1_of_a_chain_without_root_epoch() {
	use crate::migrations::v1::{check, snapshot, MigrateToV1};
	test(|| {
		add_subnet(2, 1_000);
		put_v0_root_epoch(None, vec![]);
		let before = snapshot::<Test>();
		MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(RootEpoch::<Test>::get(), None, "the first root epoch is still due");
		assert_ok!(check::<Test>(before));
		assert_eq!(Emission::on_chain_storage_version(), 1);

		// Shares without a block (no v0 code writes them) are kept, due to be renewed.
		put_v0_root_epoch(None, vec![(2, 7)]);
		MigrateToV1::<Test>::on_runtime_upgrade();
		let record = RootEpoch::<Test>::get().expect("kept");
		assert_eq!((record.block, record.shares.into_inner()), (0, vec![(2, 7)]));
	});
}

#[test]
fn the_migrated_record_drives_the_next_root_epoch() {
	test(|| {
		add_subnet(1, 1_000);
		add_subnet(2, 1_000);
		edit_subnet(0, |root| root.params.tempo = 10);
		run_to_block(2);
		put_v0_root_epoch(Some(2), vec![(1, 3 << 30), (2, 1 << 30)]);
		crate::migrations::v1::MigrateToV1::<Test>::on_runtime_upgrade();
		let before: Vec<Balance> = (1..=2).map(Emission::pending_emission).collect();
		run_to_block(3);
		let gained: Vec<Balance> =
			(1..=2).map(|n| Emission::pending_emission(n) - before[n as usize - 1]).collect();
		assert_eq!(gained[0], 3 * gained[1], "the migrated shares split the emission");
		run_to_block(11);
		assert_eq!(RootEpoch::<Test>::get().map(|last| last.block), Some(2));
		run_to_block(12);
		assert_eq!(RootEpoch::<Test>::get().map(|last| last.block), Some(12), "due a tempo later");
	});
}

#[test]
fn the_schedule_follows_tempo_changes_and_forced_epochs() {
	test(|| {
		add_subnet(1, 100);
		run_to_block(40);
		assert!(epochs().is_empty());
		// A shorter tempo counts from the subnet's registration (block 1): due now.
		set_tempo(1, 30);
		run_to_block(41);
		assert_eq!(epochs().iter().map(|e| e.0).collect::<Vec<_>>(), vec![41]);
		let record = Emission::subnet(1).expect("scheduled");
		assert_eq!((record.last_epoch, record.tempo), (41, 30));

		// An epoch forced through pallet-weights (outside this pallet) at 50 restarts the
		// tempo: the next scheduled one is at 80, not 71.
		run_to_block(49);
		System::set_block_number(50);
		<MockEpoch as Epoch<AccountId>>::run(1, 0);
		run_to_block(79);
		assert_eq!(epochs().iter().map(|e| e.0).collect::<Vec<_>>(), vec![41, 50]);
		run_to_block(80);
		assert_eq!(epochs().iter().map(|e| e.0).collect::<Vec<_>>(), vec![41, 50, 80]);
	});
}

#[test]
fn every_earning_subnet_has_one_record_in_netuid_order() {
	test(|| {
		add_subnet(3, 10);
		add_subnet(1, 20);
		add_subnet(2, 30);
		run_to_block(5);
		let subnets = EmittingSubnets::<Test>::get();
		let schedule: Vec<_> = subnets.iter().map(|s| (s.netuid, s.tempo, s.last_epoch)).collect();
		assert_eq!(schedule, vec![(1, 20, 1), (2, 30, 1), (3, 10, 1)]);
		assert!(subnets.iter().all(|subnet| subnet.pending > 0));
		// The root network earns nothing and has no record.
		Emission::on_subnet_registered(ROOT_NETUID, 10);
		assert_eq!(Emission::subnet(ROOT_NETUID), None);
		remove_subnet(2);
		Emission::on_subnet_dissolved(2);
		let netuids: Vec<_> = EmittingSubnets::<Test>::get().iter().map(|s| s.netuid).collect();
		assert_eq!(netuids, vec![1, 3]);
		// A subnet registered again at a freed netuid starts with nothing pending.
		run_to_block(6);
		add_subnet(2, 30);
		let record = Emission::subnet(2).expect("registered");
		assert_eq!((record.pending, record.last_epoch), (0, 6));
	});
}

/// A v1 state: each subnet's pending emission in a map, on-chain version 1.
fn put_v1_pending(pending: &[(u16, Balance)]) {
	use crate::migrations::v2::v1;
	for &(netuid, amount) in pending {
		v1::PendingEmission::<Test>::insert(netuid, amount);
	}
	EmittingSubnets::<Test>::kill();
	StorageVersion::new(1).put::<Emission>();
}

#[test]
fn migration_to_v2_gathers_pending_emission_and_schedules_once() {
	use crate::migrations::v2::{check, snapshot, v1, MigrateToV2};
	test(|| {
		add_subnet(1, 100);
		run_to_block(10);
		add_subnet(4, 50);
		run_to_block(30);
		// Subnet 1 had an epoch at 20 (pallet-weights records it); subnet 4 none yet.
		System::set_block_number(20);
		<MockEpoch as Epoch<AccountId>>::run(1, 0);
		System::set_block_number(30);
		put_v1_pending(&[(1, 7 * MDT), (4, 3 * MDT)]);
		let before = snapshot::<Test>();

		MigrateToV2::<Test>::on_runtime_upgrade();

		assert_eq!(Emission::on_chain_storage_version(), 2);
		assert_eq!(Emission::on_chain_storage_version(), Emission::in_code_storage_version());
		assert_eq!(
			EmittingSubnets::<Test>::get().into_inner(),
			vec![
				SubnetEmission { netuid: 1, pending: 7 * MDT, last_epoch: 20, tempo: 100 },
				SubnetEmission { netuid: 4, pending: 3 * MDT, last_epoch: 10, tempo: 50 },
			]
		);
		assert_eq!(v1::PendingEmission::<Test>::iter().count(), 0);
		assert_ok!(check::<Test>(before.clone()));

		// At version 2 it does nothing.
		Emission::on_block();
		let after = EmittingSubnets::<Test>::get();
		MigrateToV2::<Test>::on_runtime_upgrade();
		assert_eq!(EmittingSubnets::<Test>::get(), after);
		assert!(check::<Test>(before).is_err(), "the check sees the pending emission changed");

		// The migrated schedule runs subnet 4's first epoch at 60 with what it had pending.
		run_to_block(59);
		assert!(epochs().iter().all(|e| e.1 != 4));
		run_to_block(60);
		let (block, netuid, _) = *epochs().last().expect("an epoch");
		assert_eq!((block, netuid), (60, 4));
	});
}
