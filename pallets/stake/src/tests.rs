use crate::{
	mock::*, Error, Event, LastTakeIncrease, NextPoolId, PendingTakes, PoolHotkeys, PoolId, Pools,
	PositionCount, Shares, StakedPools, Takes, TotalStake,
};
use luxtensor_primitives::{
	currency::{MDT, MILLI_MDT},
	traits::{OnColdkeySwapped, OnHotkeySwapped, StakeInfo, StakeReward, StakeRewards},
	Balance, BlockNumber, PageRequest, MAX_PAGE_SIZE,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::fungible::{Inspect, Mutate},
	},
	sp_runtime::Perbill,
};

const HOTKEY: AccountId = 21;
const OTHER_HOTKEY: AccountId = 22;
const UNOWNED: AccountId = 99;

fn origin(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Stake(event) => Some(event),
			_ => None,
		})
		.collect()
}
// ---- stake ----

#[test]
fn add_stake_moves_mdt_into_the_hotkeys_pool() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, 100 * MDT));
		assert_ok!(Stake::add_stake(origin(BOB), HOTKEY, 50 * MDT));
		assert_eq!(Balances::balance(&ALICE), ENDOWMENT - 100 * MDT);
		assert_eq!(Stake::stake_of(&HOTKEY), 150 * MDT);
		assert_eq!(Stake::stake_of_coldkey(&HOTKEY, &ALICE), 100 * MDT);
		assert_eq!(Stake::stake_of_coldkey(&HOTKEY, &BOB), 50 * MDT);
		assert_eq!(TotalStake::<Test>::get(), 150 * MDT);
		let pool = Pools::<Test>::get(HOTKEY).unwrap().id;
		assert!(StakedPools::<Test>::contains_key(BOB, pool));
		assert_eq!(PoolHotkeys::<Test>::get(pool), Some(HOTKEY));
		assert_eq!(
			events().last(),
			Some(&Event::StakeAdded { coldkey: BOB, hotkey: HOTKEY, amount: 50 * MDT })
		);
	});
}

#[test]
fn add_stake_rejects_bad_input_and_changes_nothing() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		assert_noop!(
			Stake::add_stake(origin(ALICE), HOTKEY, MIN_STAKE - 1),
			Error::<Test>::AmountBelowMinimum
		);
		assert_noop!(
			Stake::add_stake(origin(ALICE), UNOWNED, MDT),
			Error::<Test>::HotkeyNotRegistered
		);
		// All of it would kill the account.
		assert_noop!(
			Stake::add_stake(origin(ALICE), HOTKEY, ENDOWMENT),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, MIN_STAKE));
	});
}

#[test]
fn remove_stake_returns_mdt_and_never_leaves_dust() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, 10 * MDT));
		let pool = Pools::<Test>::get(HOTKEY).unwrap().id;
		assert_ok!(Stake::remove_stake(origin(ALICE), HOTKEY, 4 * MDT));
		assert_eq!(Stake::stake_of_coldkey(&HOTKEY, &ALICE), 6 * MDT);
		assert_eq!(Balances::balance(&ALICE), ENDOWMENT - 6 * MDT);
		// Less than the minimum would remain: all of it comes back.
		assert_ok!(Stake::remove_stake(origin(ALICE), HOTKEY, 6 * MDT - MILLI_MDT));
		assert_eq!(Stake::stake_of(&HOTKEY), 0);
		assert_eq!(Balances::balance(&ALICE), ENDOWMENT);
		assert!(!Pools::<Test>::contains_key(HOTKEY));
		assert!(!PoolHotkeys::<Test>::contains_key(pool));
		assert!(!Shares::<Test>::contains_key(pool, ALICE));
		assert!(!StakedPools::<Test>::contains_key(ALICE, pool));
		assert_eq!(
			events().last(),
			Some(&Event::StakeRemoved { coldkey: ALICE, hotkey: HOTKEY, amount: 6 * MDT })
		);
	});
}

#[test]
fn remove_stake_rejects_bad_input() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, MDT));
		assert_noop!(
			Stake::remove_stake(origin(ALICE), HOTKEY, MDT + 1),
			Error::<Test>::InsufficientStake
		);
		assert_noop!(
			Stake::remove_stake(origin(BOB), HOTKEY, MDT),
			Error::<Test>::InsufficientStake
		);
		assert_noop!(
			Stake::remove_stake(origin(ALICE), HOTKEY, MIN_STAKE - 1),
			Error::<Test>::AmountBelowMinimum
		);
	});
}

#[test]
fn move_stake_keeps_the_mdt_staked() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		set_owner(OTHER_HOTKEY, BOB);
		assert_ok!(Stake::add_stake(origin(CHARLIE), HOTKEY, 10 * MDT));
		assert_ok!(Stake::move_stake(origin(CHARLIE), HOTKEY, OTHER_HOTKEY, 3 * MDT));
		assert_eq!(Stake::stake_of(&HOTKEY), 7 * MDT);
		assert_eq!(Stake::stake_of(&OTHER_HOTKEY), 3 * MDT);
		assert_eq!(TotalStake::<Test>::get(), 10 * MDT);
		assert_eq!(Balances::balance(&CHARLIE), ENDOWMENT - 10 * MDT);
		assert_noop!(
			Stake::move_stake(origin(CHARLIE), HOTKEY, HOTKEY, MDT),
			Error::<Test>::SameHotkey
		);
		assert_noop!(
			Stake::move_stake(origin(CHARLIE), HOTKEY, UNOWNED, MDT),
			Error::<Test>::HotkeyNotRegistered
		);
		assert_noop!(
			Stake::move_stake(origin(CHARLIE), HOTKEY, OTHER_HOTKEY, 8 * MDT),
			Error::<Test>::InsufficientStake
		);
	});
}

/// Every entry of a paged listing, fetched `limit` at a time.
fn all_pages<K: Clone, V>(
	limit: u32,
	key: impl Fn(&V) -> K,
	page: impl Fn(&PageRequest<K>) -> Vec<V>,
) -> Vec<V> {
	let mut all = Vec::new();
	let mut request = PageRequest { start_after: None, limit };
	loop {
		let entries = page(&request);
		let last = entries.len() < limit as usize;
		request.start_after = entries.last().map(&key);
		all.extend(entries);
		if last {
			return all;
		}
	}
}

#[test]
fn stake_views_come_in_pages() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		set_owner(OTHER_HOTKEY, BOB);
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, 2 * MDT));
		assert_ok!(Stake::add_stake(origin(CHARLIE), HOTKEY, 5 * MDT));
		assert_ok!(Stake::add_stake(origin(CHARLIE), OTHER_HOTKEY, 9 * MDT));

		let sorted = |mut list: Vec<(u64, Balance)>| {
			list.sort();
			list
		};
		let nominators = |page: &PageRequest<u64>| Stake::nominators(&HOTKEY, page);
		assert_eq!(
			sorted(nominators(&PageRequest::first())),
			vec![(ALICE, 2 * MDT), (CHARLIE, 5 * MDT)]
		);
		assert_eq!(
			sorted(all_pages(1, |(coldkey, _)| *coldkey, nominators)),
			vec![(ALICE, 2 * MDT), (CHARLIE, 5 * MDT)],
			"page by page, each once"
		);
		let staked = all_pages(1, |(hotkey, _)| *hotkey, Stake::staked_hotkeys);
		assert_eq!(sorted(staked), vec![(HOTKEY, 7 * MDT), (OTHER_HOTKEY, 9 * MDT)]);
		let positions = |page: &PageRequest<PoolId>| Stake::stakes_of_coldkey(&CHARLIE, page);
		let first_pool = Pools::<Test>::get(HOTKEY).unwrap().id;
		let second_pool = Pools::<Test>::get(OTHER_HOTKEY).unwrap().id;
		let mut all = all_pages(1, |(id, _, _)| *id, positions);
		all.sort();
		assert_eq!(all, vec![(first_pool, HOTKEY, 5 * MDT), (second_pool, OTHER_HOTKEY, 9 * MDT)]);

		// Unstaking everything removes the hotkey and the coldkey's entry from the views.
		assert_ok!(Stake::remove_stake(origin(CHARLIE), OTHER_HOTKEY, 9 * MDT));
		assert_eq!(Stake::staked_hotkeys(&PageRequest::first()), vec![(HOTKEY, 7 * MDT)]);
		assert_eq!(positions(&PageRequest::first()), vec![(first_pool, HOTKEY, 5 * MDT)]);
		// A page may start after a pool that is gone: it goes on from that place.
		let after_gone = PageRequest { start_after: Some(second_pool), limit: 10 };
		assert!(positions(&after_gone).iter().all(|(id, _, _)| *id == first_pool));
		assert!(Stake::nominators(&OTHER_HOTKEY, &PageRequest::first()).is_empty());
	});
}

#[test]
fn a_page_never_holds_more_than_the_cap() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		for nominator in 1_000..1_300 {
			Balances::set_balance(&nominator, 2 * MDT);
			assert_ok!(Stake::add_stake(origin(nominator), HOTKEY, MDT));
		}
		let huge = PageRequest { start_after: None, limit: u32::MAX };
		assert_eq!(Stake::nominators(&HOTKEY, &huge).len(), MAX_PAGE_SIZE as usize);
		let all = all_pages(
			MAX_PAGE_SIZE,
			|(coldkey, _)| *coldkey,
			|page| Stake::nominators(&HOTKEY, page),
		);
		assert_eq!(all.len(), 300);
	});
}

#[test]
fn a_swapped_hotkeys_stake_stakers_and_take_follow_it() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, 4 * MDT));
		assert_ok!(Stake::add_stake(origin(BOB), HOTKEY, 6 * MDT));
		assert_ok!(Stake::decrease_take(origin(ALICE), HOTKEY, Perbill::from_percent(5)));
		assert_ok!(Stake::increase_take(origin(ALICE), HOTKEY, Perbill::from_percent(9)));
		let pool = Pools::<Test>::get(HOTKEY).unwrap();

		// Registration has made OTHER_HOTKEY alice's and tells stake of the swap.
		set_owner(OTHER_HOTKEY, ALICE);
		Stake::on_hotkey_swapped(&HOTKEY, &OTHER_HOTKEY);

		assert_eq!(Pools::<Test>::get(OTHER_HOTKEY), Some(pool));
		assert_eq!(Stake::stake_of(&HOTKEY), 0);
		let mut nominators = Stake::nominators(&OTHER_HOTKEY, &PageRequest::first());
		nominators.sort();
		assert_eq!(nominators, vec![(ALICE, 4 * MDT), (BOB, 6 * MDT)]);
		assert_eq!(
			Stake::stakes_of_coldkey(&BOB, &PageRequest::first()),
			vec![(pool.id, OTHER_HOTKEY, 6 * MDT)]
		);
		// The announced increase follows too, and applies on time.
		assert_eq!(Stake::take_of(&OTHER_HOTKEY), Perbill::from_percent(5));
		System::set_block_number(1 + TAKE_DELAY);
		assert_eq!(Stake::take_of(&OTHER_HOTKEY), Perbill::from_percent(9));
		assert_eq!(Stake::take_of(&HOTKEY), Perbill::from_percent(18));
		assert!(LastTakeIncrease::<Test>::contains_key(OTHER_HOTKEY));
		assert!(
			!Takes::<Test>::contains_key(HOTKEY)
				&& !LastTakeIncrease::<Test>::contains_key(HOTKEY)
				&& !PendingTakes::<Test>::contains_key(HOTKEY)
		);

		// The stake is removed from the new hotkey; none is left on the old one.
		assert_noop!(
			Stake::remove_stake(origin(BOB), HOTKEY, MDT),
			Error::<Test>::InsufficientStake
		);
		assert_ok!(Stake::remove_stake(origin(BOB), OTHER_HOTKEY, 6 * MDT));
		assert_eq!(Balances::balance(&BOB), ENDOWMENT);
		// A later stake on the old hotkey opens a new pool.
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, MDT));
		assert_ne!(Pools::<Test>::get(HOTKEY).unwrap().id, pool.id);
		assert_eq!(Stake::stake_of_coldkey(&OTHER_HOTKEY, &ALICE), 4 * MDT);
	});
}

// ---- take ----

#[test]
fn take_decreases_at_once_and_increases_once_per_interval_after_an_announcement() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		assert_eq!(Stake::take_of(&HOTKEY), Perbill::from_percent(18));
		assert_noop!(
			Stake::decrease_take(origin(BOB), HOTKEY, Perbill::from_percent(10)),
			Error::<Test>::NotHotkeyOwner
		);
		assert_noop!(
			Stake::decrease_take(origin(ALICE), HOTKEY, Perbill::from_percent(18)),
			Error::<Test>::TakeNotLower
		);
		assert_ok!(Stake::decrease_take(origin(ALICE), HOTKEY, Perbill::from_percent(5)));
		assert_ok!(Stake::decrease_take(origin(ALICE), HOTKEY, Perbill::from_percent(4)));
		assert_eq!(Stake::take_of(&HOTKEY), Perbill::from_percent(4));
		assert_noop!(
			Stake::increase_take(origin(ALICE), HOTKEY, Perbill::from_percent(4)),
			Error::<Test>::TakeNotHigher
		);
		assert_noop!(
			Stake::increase_take(origin(ALICE), HOTKEY, Perbill::from_percent(19)),
			Error::<Test>::TakeTooHigh
		);
		// The first increase too waits out the announcement delay.
		assert_ok!(Stake::increase_take(origin(ALICE), HOTKEY, Perbill::from_percent(10)));
		assert_eq!(
			events().last(),
			Some(&Event::TakeIncreaseAnnounced {
				hotkey: HOTKEY,
				take: Perbill::from_percent(10),
				applies_at: 1 + TAKE_DELAY
			})
		);
		assert_eq!(Stake::take_of(&HOTKEY), Perbill::from_percent(4));
		System::set_block_number(TAKE_DELAY);
		assert_eq!(Stake::take_of(&HOTKEY), Perbill::from_percent(4));
		System::set_block_number(1 + TAKE_DELAY);
		assert_eq!(Stake::take_of(&HOTKEY), Perbill::from_percent(10));
		assert_noop!(
			Stake::increase_take(origin(ALICE), HOTKEY, Perbill::from_percent(12)),
			Error::<Test>::TakeIncreaseRateLimited
		);
		System::set_block_number(1 + TAKE_INTERVAL - 1);
		assert_noop!(
			Stake::increase_take(origin(ALICE), HOTKEY, Perbill::from_percent(12)),
			Error::<Test>::TakeIncreaseRateLimited
		);
		System::set_block_number(1 + TAKE_INTERVAL);
		assert_ok!(Stake::increase_take(origin(ALICE), HOTKEY, Perbill::from_percent(18)));
		assert_eq!(Takes::<Test>::get(HOTKEY), Some(Perbill::from_percent(10)));
		// A decrease applies at once and cancels the increase still to come.
		assert_ok!(Stake::decrease_take(origin(ALICE), HOTKEY, Perbill::from_percent(8)));
		System::set_block_number(1 + TAKE_INTERVAL + TAKE_DELAY);
		assert_eq!(Stake::take_of(&HOTKEY), Perbill::from_percent(8));
		assert!(!PendingTakes::<Test>::contains_key(HOTKEY));
	});
}

// ---- rewards ----

/// Mints `rewards`' MDT into the stake account and books them, as emission does.
fn reward(rewards: Vec<StakeReward<AccountId>>) {
	let total: Balance = rewards.iter().map(|reward| reward.stake + reward.dividends).sum();
	assert_ok!(Balances::mint_into(&Stake::stake_account(), total));
	<Stake as StakeRewards<AccountId>>::reward(rewards);
}

/// Dividends for everyone staking on `hotkey`, its owner keeping no take of them.
fn dividends(hotkey: AccountId, amount: Balance, release_over: BlockNumber) {
	Takes::<Test>::insert(hotkey, Perbill::zero());
	reward(vec![StakeReward { hotkey, stake: 0, dividends: amount, release_over }]);
}

/// Staked for `hotkey`'s owner at once, as a miner's incentive.
fn owner_stake(hotkey: AccountId, amount: Balance) {
	reward(vec![StakeReward { hotkey, stake: amount, dividends: 0, release_over: 0 }]);
}

fn go_to(block: BlockNumber) {
	System::set_block_number(block);
}

#[test]
fn rewards_stake_at_once_and_release_dividends_over_their_period() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, 10 * MDT));
		assert_ok!(Stake::add_stake(origin(BOB), HOTKEY, 30 * MDT));
		owner_stake(HOTKEY, 10 * MDT);
		assert_eq!(Stake::stake_of_coldkey(&HOTKEY, &ALICE), 20 * MDT);
		assert_eq!(TotalStake::<Test>::get(), 50 * MDT);

		dividends(HOTKEY, 100 * MDT, 100);
		assert_eq!(Stake::stake_of(&HOTKEY), 50 * MDT, "nothing is released in the paying block");
		assert_eq!(TotalStake::<Test>::get(), 150 * MDT, "the stake account holds it all");
		go_to(26);
		assert_eq!(Stake::stake_of(&HOTKEY), 75 * MDT);
		// Bob's three fifths of the pool get three fifths of what is released.
		let bob = Stake::stake_of_coldkey(&HOTKEY, &BOB);
		assert!(bob.abs_diff(45 * MDT) <= 1, "{bob}");
		go_to(500);
		assert_eq!(Stake::stake_of(&HOTKEY), 150 * MDT);
		assert_ok!(Stake::remove_stake(
			origin(BOB),
			HOTKEY,
			Stake::stake_of_coldkey(&HOTKEY, &BOB)
		));
		let gain = Balances::balance(&BOB) - ENDOWMENT;
		assert!(gain.abs_diff(60 * MDT) <= 2, "{gain}");

		// A pool without stakers stakes its dividends for the hotkey's owner at once.
		set_owner(OTHER_HOTKEY, DAVE);
		dividends(OTHER_HOTKEY, 7 * MDT, 100);
		assert_eq!(Stake::stake_of_coldkey(&OTHER_HOTKEY, &DAVE), 7 * MDT);
	});
}

#[test]
fn staking_just_before_an_epoch_and_leaving_just_after_earns_only_its_blocks_share() {
	test(|| {
		const TEMPO: BlockNumber = 100;
		set_owner(HOTKEY, ALICE);
		// Bob nominates for the whole tempo; the epoch at block 101 pays 100 MDT.
		assert_ok!(Stake::add_stake(origin(BOB), HOTKEY, 100 * MDT));
		go_to(100);
		// Charlie brings as much as Bob the block before the epoch ...
		assert_ok!(Stake::add_stake(origin(CHARLIE), HOTKEY, 100 * MDT));
		go_to(101);
		dividends(HOTKEY, 100 * MDT, TEMPO);
		// ... and leaves the block after, with half of one block's release: 0.5 MDT.
		go_to(102);
		let all = Stake::stake_of_coldkey(&HOTKEY, &CHARLIE);
		assert_ok!(Stake::remove_stake(origin(CHARLIE), HOTKEY, all));
		let earned = Balances::balance(&CHARLIE) - ENDOWMENT;
		assert!(earned <= MDT / 2, "the sniper earned {earned}");
		// Bob, who stayed, gets the rest as it is released.
		go_to(101 + TEMPO);
		let bob = Stake::stake_of_coldkey(&HOTKEY, &BOB);
		assert!(bob >= 200 * MDT - MDT / 2 - 2, "bob has {bob}");
	});
}

#[test]
fn the_last_staker_leaving_hands_dividends_still_to_release_to_the_owner() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		assert_ok!(Stake::add_stake(origin(BOB), HOTKEY, 10 * MDT));
		dividends(HOTKEY, 10 * MDT, 10);
		go_to(6);
		let all = Stake::stake_of_coldkey(&HOTKEY, &BOB);
		assert_ok!(Stake::remove_stake(origin(BOB), HOTKEY, all));
		assert!(Balances::balance(&BOB).abs_diff(ENDOWMENT + 5 * MDT) <= 1);
		// The 5 MDT not yet released stay staked, now for alice, and reach her as released.
		assert!(Stake::stake_of(&HOTKEY) <= 1, "no more than rounding dust is released");
		assert_eq!(Stake::nominators(&HOTKEY, &PageRequest::first()).len(), 1);
		go_to(11);
		assert!(Stake::stake_of_coldkey(&HOTKEY, &ALICE) >= 5 * MDT - 1);
		assert!(TotalStake::<Test>::get().abs_diff(5 * MDT) <= 1);
	});
}

#[test]
fn an_epoch_pays_each_hotkey_in_its_pool_record_alone() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		set_owner(OTHER_HOTKEY, DAVE);
		assert_ok!(Stake::add_stake(origin(BOB), HOTKEY, 80 * MDT));
		assert_ok!(Stake::decrease_take(origin(ALICE), HOTKEY, Perbill::from_percent(10)));
		let positions = PositionCount::<Test>::iter().count();
		// A validator earning incentive and dividends, and a miner without a pool yet.
		reward(vec![
			StakeReward { hotkey: HOTKEY, stake: 20 * MDT, dividends: 100 * MDT, release_over: 10 },
			StakeReward { hotkey: OTHER_HOTKEY, stake: 5 * MDT, dividends: 0, release_over: 10 },
		]);
		// Alice's incentive and take (10 MDT) are hers at once, in the pool's owned shares:
		// no share entry, no position.
		assert_eq!(Stake::stake_of_coldkey(&HOTKEY, &ALICE), 30 * MDT);
		assert_eq!(Stake::stake_of_coldkey(&OTHER_HOTKEY, &DAVE), 5 * MDT);
		assert!(!Shares::<Test>::contains_key(Pools::<Test>::get(HOTKEY).unwrap().id, ALICE));
		assert_eq!(PositionCount::<Test>::iter().count(), positions);
		assert_eq!(Stake::stake_of(&HOTKEY), 110 * MDT, "the other 90 MDT are being released");
		assert_eq!(TotalStake::<Test>::get(), 205 * MDT);
		// The 90 MDT go to Bob and Alice by their shares: 80 to 30.
		go_to(20);
		let (alice, bob) =
			(Stake::stake_of_coldkey(&HOTKEY, &ALICE), Stake::stake_of_coldkey(&HOTKEY, &BOB));
		assert!(alice.abs_diff(30 * MDT + 90 * MDT * 3 / 11) <= 2, "{alice}");
		assert!(bob.abs_diff(80 * MDT + 90 * MDT * 8 / 11) <= 2, "{bob}");
		// Both are listed as the hotkey's stakers; the owned-only pool heads Dave's stakes.
		let listed = Stake::nominators(&HOTKEY, &PageRequest::first());
		assert_eq!(listed.len(), 2);
		assert!(listed.contains(&(ALICE, alice)) && listed.contains(&(BOB, bob)));
		let miner = Pools::<Test>::get(OTHER_HOTKEY).unwrap().id;
		let dave = Stake::stakes_of_coldkey(&DAVE, &PageRequest::first());
		assert_eq!(dave, vec![(miner, OTHER_HOTKEY, 5 * MDT)]);
		// The miner's new pool took the next id but, with no share entry, no way back from
		// it; a nominator's stake adds one.
		assert_eq!(NextPoolId::<Test>::get(), miner + 1);
		assert!(!PoolHotkeys::<Test>::contains_key(miner));
		assert_ok!(Stake::add_stake(origin(BOB), OTHER_HOTKEY, MDT));
		assert_eq!(PoolHotkeys::<Test>::get(miner), Some(OTHER_HOTKEY));
		assert_ok!(Stake::remove_stake(origin(BOB), OTHER_HOTKEY, MDT));
		assert!(!PoolHotkeys::<Test>::contains_key(miner));
		assert_eq!(Stake::stake_of_coldkey(&OTHER_HOTKEY, &DAVE), 5 * MDT);
	});
}

#[test]
fn an_owner_takes_its_earnings_out_before_its_own_stake() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, 10 * MDT));
		owner_stake(HOTKEY, 4 * MDT);
		let id = Pools::<Test>::get(HOTKEY).unwrap().id;
		// Listed once, with both parts.
		assert_eq!(Stake::nominators(&HOTKEY, &PageRequest::first()), vec![(ALICE, 14 * MDT)]);
		assert_eq!(Stake::stakes_of_coldkey(&ALICE, &PageRequest::first()).len(), 1);
		// 3 MDT come out of the owned shares; the entry stays whole.
		assert_ok!(Stake::remove_stake(origin(ALICE), HOTKEY, 3 * MDT));
		assert_eq!(Shares::<Test>::get(id, ALICE), Some(10 * MDT));
		assert_eq!(Stake::stake_of_coldkey(&HOTKEY, &ALICE), 11 * MDT);
		// Moving 5 MDT (to another hotkey of hers) spends the last owned MDT, then 4 of the
		// entry's.
		set_owner(OTHER_HOTKEY, ALICE);
		assert_ok!(Stake::move_stake(origin(ALICE), HOTKEY, OTHER_HOTKEY, 5 * MDT));
		assert_eq!(Pools::<Test>::get(HOTKEY).unwrap().owned, 0);
		assert_eq!(Shares::<Test>::get(id, ALICE), Some(6 * MDT));
		// Nobody else reaches the owned shares: Bob has no stake here.
		owner_stake(OTHER_HOTKEY, 2 * MDT);
		assert_noop!(
			Stake::remove_stake(origin(BOB), OTHER_HOTKEY, MDT),
			Error::<Test>::InsufficientStake
		);
		// All of it: the rest of both parts, and the entry and position go.
		let all = Stake::stake_of_coldkey(&OTHER_HOTKEY, &ALICE);
		assert_eq!(all, 7 * MDT);
		assert_ok!(Stake::remove_stake(origin(ALICE), OTHER_HOTKEY, all));
		assert_eq!(Stake::stake_of(&OTHER_HOTKEY), 0);
		assert!(StakedPools::<Test>::iter_prefix(ALICE).all(|(pool, _)| pool == id));
	});
}

#[test]
fn earnings_follow_the_hotkeys_owner_through_a_coldkey_swap() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		owner_stake(HOTKEY, 6 * MDT);
		// Registration moves the hotkey to the new coldkey, then tells this pallet.
		set_owner(HOTKEY, CHARLIE);
		assert_ok!(<Stake as OnColdkeySwapped<AccountId>>::on_coldkey_swapped(&ALICE, &CHARLIE));
		assert_eq!(Stake::stake_of_coldkey(&HOTKEY, &CHARLIE), 6 * MDT);
		assert_eq!(Stake::stake_of_coldkey(&HOTKEY, &ALICE), 0);
		assert_noop!(
			Stake::remove_stake(origin(ALICE), HOTKEY, MDT),
			Error::<Test>::InsufficientStake
		);
		assert_ok!(Stake::remove_stake(origin(CHARLIE), HOTKEY, 6 * MDT));
	});
}

// ---- held stake ----

#[test]
fn stake_counts_as_held_only_after_a_whole_holding_period() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		set_owner(OTHER_HOTKEY, BOB);
		go_to(5);
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, 10 * MDT));
		assert_eq!(Stake::stake_of(&HOTKEY), 10 * MDT);
		assert_eq!(Stake::held_stake_of(&HOTKEY), 0);
		go_to(HOLDING_PERIOD * 2 - 1);
		assert_eq!(Stake::held_stake_of(&HOTKEY), 0);
		go_to(HOLDING_PERIOD * 2);
		assert_eq!(Stake::held_stake_of(&HOTKEY), 10 * MDT);

		// Moved stake is new stake where it lands, and gone at once where it left.
		assert_ok!(Stake::move_stake(origin(ALICE), HOTKEY, OTHER_HOTKEY, 4 * MDT));
		assert_eq!(Stake::held_stake_of(&HOTKEY), 6 * MDT);
		assert_eq!(Stake::held_stake_of(&OTHER_HOTKEY), 0);
		go_to(HOLDING_PERIOD * 4);
		assert_eq!(Stake::held_stake_of(&OTHER_HOTKEY), 4 * MDT);
	});
}

#[test]
fn stake_borrowed_for_a_block_is_never_held() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, MDT));
		go_to(100);
		assert_eq!(Stake::held_stake_of(&HOTKEY), MDT);
		// At any block of any period: in for one block, out the next.
		for block in 100..100 + 2 * HOLDING_PERIOD {
			go_to(block);
			assert_ok!(Stake::add_stake(origin(BOB), HOTKEY, 500 * MDT));
			assert_eq!(Stake::held_stake_of(&HOTKEY), MDT, "block {block}");
			go_to(block + 1);
			assert_eq!(Stake::held_stake_of(&HOTKEY), MDT, "block {block}");
			let all = Stake::stake_of_coldkey(&HOTKEY, &BOB);
			assert_ok!(Stake::remove_stake(origin(BOB), HOTKEY, all));
		}
	});
}

/// A small deterministic generator (xorshift), so failures reproduce from the seed.
struct Rng(u64);
impl Rng {
	fn next(&mut self, bound: u64) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0 % bound
	}
}

/// Runs 300 blocks in which two subnets with staggered tempos pay `HOTKEY`'s pool (alice
/// stakes on it throughout) and, if `with_stakers`, bob, charlie and dave come and go at
/// random blocks, often right before or after an epoch. Returns, per block, what the pool
/// released in it, and checks that no staker earned more than its share of the pool at each
/// block it stayed times that block's release.
fn stakers_around_staggered_epochs(seed: u64, with_stakers: bool) -> Vec<Balance> {
	const STAKERS: [AccountId; 3] = [BOB, CHARLIE, DAVE];
	let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
	set_owner(HOTKEY, ALICE);
	assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, 50 * MDT));
	let subnets = [(7 + rng.next(10), rng.next(7)), (11 + rng.next(20), rng.next(11))];
	// Each payment: (block paid, amount, tempo).
	let mut paid: Vec<(BlockNumber, Balance, BlockNumber)> = Vec::new();
	let (mut deposited, mut withdrawn, mut bound) = ([0u128; 3], [0u128; 3], [0f64; 3]);
	let mut fractions = [0f64; 3];
	let mut value_before = Stake::stake_of(&HOTKEY);
	let mut releases = Vec::new();
	for block in 2..300u32 {
		go_to(block);
		let released = Stake::stake_of(&HOTKEY) - value_before;
		releases.push(released);
		for (i, fraction) in fractions.iter().enumerate() {
			bound[i] += fraction * released as f64;
		}
		// Merging payments only delays them: never more is released by a block than if
		// each payment were released alone over its tempo.
		let alone: f64 = paid
			.iter()
			.map(|(at, amount, tempo)| {
				*amount as f64 * f64::from((block - at).min(*tempo)) / f64::from(*tempo)
			})
			.sum();
		let all_released = (Stake::stake_of(&HOTKEY) + withdrawn.iter().sum::<u128>()) as f64
			- (50 * MDT + deposited.iter().sum::<u128>()) as f64;
		assert!(all_released <= alone + 1_000.0, "seed {seed}: {all_released} > {alone}");
		for (tempo, offset) in subnets {
			if u64::from(block) % tempo == offset {
				let amount = (1 + rng.next(20)) as u128 * MDT;
				dividends(HOTKEY, amount, tempo as BlockNumber);
				paid.push((block, amount, tempo as BlockNumber));
			}
		}
		let (i, action, amount) =
			(rng.next(3) as usize, rng.next(4), (1 + rng.next(100)) as u128 * MDT);
		let staker = STAKERS[i];
		let stake = Stake::stake_of_coldkey(&HOTKEY, &staker);
		match action {
			0 if with_stakers && stake == 0 => {
				assert_ok!(Stake::add_stake(origin(staker), HOTKEY, amount));
				deposited[i] += amount;
			}
			1 if with_stakers && stake > 0 => {
				assert_ok!(Stake::remove_stake(origin(staker), HOTKEY, stake));
				withdrawn[i] += stake;
			}
			_ => {}
		}
		value_before = Stake::stake_of(&HOTKEY);
		for (i, staker) in STAKERS.iter().enumerate() {
			fractions[i] = Stake::stake_of_coldkey(&HOTKEY, staker) as f64 / value_before as f64;
		}
	}
	for (i, staker) in STAKERS.iter().enumerate() {
		let earned =
			(withdrawn[i] + Stake::stake_of_coldkey(&HOTKEY, staker)) as f64 - deposited[i] as f64;
		// Rounding: a unit per share sold, bought or valued.
		assert!(
			earned <= bound[i] * (1.0 + 1e-9) + 1_000.0,
			"seed {seed}: staker {staker} earned {earned}, bound {}",
			bound[i]
		);
	}
	releases
}

/// The rule stakers can rely on: what a staker earns from a pool is its share at each block
/// it stayed times what the pool released in that block, and what a pool releases depends
/// only on the dividends paid to it, never on who stakes when.
#[test]
fn no_staker_earns_more_than_its_stake_times_the_blocks_it_stayed() {
	for seed in 1..=30u64 {
		let alone = new_test_ext().execute_with(|| stakers_around_staggered_epochs(seed, false));
		let with_stakers = new_test_ext().execute_with(|| {
			let releases = stakers_around_staggered_epochs(seed, true);
			Stake::do_try_state().expect("storage invariants hold");
			assert_issuance_conserved();
			releases
		});
		for (block, (a, b)) in alone.iter().zip(&with_stakers).enumerate() {
			assert!(a.abs_diff(*b) <= 2, "seed {seed}, block {}: {a} vs {b}", block + 2);
		}
	}
}

#[test]
fn anyone_may_send_mdt_to_the_stake_account_without_breaking_its_books() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, 10 * MDT));
		assert_ok!(Balances::transfer_keep_alive(origin(BOB), Stake::stake_account(), MDT));
		Stake::do_try_state().expect("the account holds at least the stake");
		assert_ok!(Stake::remove_stake(origin(ALICE), HOTKEY, 10 * MDT));
		assert_eq!(TotalStake::<Test>::get(), 0);
	});
}

#[test]
fn a_coldkey_with_a_swap_pending_keeps_its_stake_where_the_swap_will_find_it() {
	test(|| {
		set_owner(HOTKEY, ALICE);
		assert_ok!(Stake::add_stake(origin(BOB), HOTKEY, 10 * MDT));
		schedule_swap(BOB);
		assert_noop!(
			Stake::remove_stake(origin(BOB), HOTKEY, MDT),
			Error::<Test>::ColdkeySwapPending
		);
		// Adding and moving keep it within the coldkey's positions, which the swap moves.
		assert_ok!(Stake::add_stake(origin(BOB), HOTKEY, MDT));
	});
}

#[test]
fn a_coldkey_stakes_on_at_most_max_positions_hotkeys() {
	test(|| {
		let hotkeys = [50, 51, 52, 53, 54];
		for hotkey in hotkeys {
			set_owner(hotkey, DAVE);
		}
		for hotkey in &hotkeys[..4] {
			assert_ok!(Stake::add_stake(origin(ALICE), *hotkey, MDT));
		}
		assert_noop!(Stake::add_stake(origin(ALICE), 54, MDT), Error::<Test>::TooManyPositions);
		assert_noop!(
			Stake::move_stake(origin(ALICE), 50, 54, MDT / 2),
			Error::<Test>::TooManyPositions
		);
		// More on a hotkey already staked on is fine; leaving one makes room.
		assert_ok!(Stake::add_stake(origin(ALICE), 50, MDT));
		assert_ok!(Stake::remove_stake(origin(ALICE), 53, MDT));
		assert_ok!(Stake::add_stake(origin(ALICE), 54, MDT));
		assert_eq!(PositionCount::<Test>::get(ALICE), 4);
	});
}

#[test]
fn a_coldkey_swap_hands_every_position_over_and_merges_shared_ones() {
	test(|| {
		set_owner(HOTKEY, DAVE);
		set_owner(OTHER_HOTKEY, DAVE);
		assert_ok!(Stake::add_stake(origin(ALICE), HOTKEY, 10 * MDT));
		assert_ok!(Stake::add_stake(origin(ALICE), OTHER_HOTKEY, 4 * MDT));
		assert_ok!(Stake::add_stake(origin(BOB), HOTKEY, 6 * MDT));
		let total = TotalStake::<Test>::get();

		assert_ok!(<Stake as OnColdkeySwapped<_>>::on_coldkey_swapped(&ALICE, &BOB));

		assert_eq!(Stake::stake_of_coldkey(&HOTKEY, &ALICE), 0);
		assert_eq!(Stake::stake_of_coldkey(&OTHER_HOTKEY, &ALICE), 0);
		assert_eq!(Stake::stake_of_coldkey(&HOTKEY, &BOB), 16 * MDT);
		assert_eq!(Stake::stake_of_coldkey(&OTHER_HOTKEY, &BOB), 4 * MDT);
		assert_eq!((PositionCount::<Test>::get(ALICE), PositionCount::<Test>::get(BOB)), (0, 2));
		assert_eq!(TotalStake::<Test>::get(), total, "nothing bought or sold");
	});
}

#[test]
fn migration_to_v1_gives_every_pool_an_owned_share_count_once() {
	use crate::migrations::v1::{check, snapshot, v0, MigrateToV1};
	use polkadot_sdk::frame_support::{
		storage::unhashed,
		traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	};
	test(|| {
		set_owner(HOTKEY, ALICE);
		assert_ok!(Stake::add_stake(origin(BOB), HOTKEY, 10 * MDT));
		dividends(HOTKEY, 4 * MDT, 10);
		// The pool as v0 code stored it: the same fields, without `owned`.
		let pool = Pools::<Test>::get(HOTKEY).unwrap();
		let old = v0::StakePool {
			id: pool.id,
			stake: pool.stake,
			shares: pool.shares,
			unreleased: pool.unreleased,
			release_end: pool.release_end,
			updated: pool.updated,
			period: pool.period,
			period_low: pool.period_low,
			previous_low: pool.previous_low,
		};
		unhashed::put(&Pools::<Test>::hashed_key_for(HOTKEY), &old);
		StorageVersion::new(0).put::<Stake>();
		let before = snapshot::<Test>();

		MigrateToV1::<Test>::on_runtime_upgrade();

		assert_eq!(Stake::on_chain_storage_version(), Stake::in_code_storage_version());
		assert_eq!(Pools::<Test>::get(HOTKEY), Some(pool));
		assert_ok!(check::<Test>(before.clone()));
		// At version 1 it does nothing; the check sees a record changed since.
		owner_stake(HOTKEY, MDT);
		MigrateToV1::<Test>::on_runtime_upgrade();
		assert!(Pools::<Test>::get(HOTKEY).unwrap().owned > 0);
		assert!(check::<Test>(before).is_err());
	});
}
