//! The emission pallet's block work: accruing emission, scheduling and paying epochs; the
//! interfaces other pallets use; storage invariants.

use crate::{
	issuance, Config, DeferredEpochs, EmittingSubnets, Event, NposPayoutAccrued, NposPayoutOwed,
	Pallet, RootEpoch, RootEpochRecord, SubnetEmission, WeightInfo,
};
use alloc::vec::Vec;
use luxtensor_primitives::{
	subnets::{NetUid, ROOT_NETUID},
	traits::{
		Epoch, EpochPayouts, NeuronPayout, Neurons, OnSubnetDissolved, OnSubnetScheduled,
		RootWeights, StakeInfo, StakeReward, StakeRewards, SubnetsInfo,
	},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{
		traits::{fungible::Mutate, Get},
		weights::Weight,
		BoundedVec,
	},
	frame_system,
	sp_runtime::traits::UniqueSaturatedInto,
};

impl<T: Config> Pallet<T> {
	/// The current block number.
	pub(crate) fn now() -> BlockNumber {
		frame_system::Pallet::<T>::block_number().unique_saturated_into()
	}

	/// Collects the NPoS validators' era payout accrued so far. NPoS staking mints it as its
	/// validators claim it, and reports each mint to [`Self::npos_payout_minted`]; until then
	/// it is owed.
	pub fn take_npos_payout() -> Balance {
		let payout = NposPayoutAccrued::<T>::take();
		NposPayoutOwed::<T>::mutate(|owed| *owed = owed.saturating_add(payout));
		payout
	}

	/// NPoS staking minted `amount` of an era payout: it now counts in the total issuance.
	pub fn npos_payout_minted(amount: Balance) {
		NposPayoutOwed::<T>::mutate(|owed| *owed = owed.saturating_sub(amount));
	}

	/// A block's work: accrue its emission, then run the epochs that are due. Reads every
	/// subnet's pending emission and schedule from one value and writes it back once, with
	/// the pending emission of the epochs that run here already drained.
	pub(crate) fn on_block() -> Weight {
		let now = Self::now();
		let mut subnets = EmittingSubnets::<T>::get();
		let netuids: Vec<NetUid> = subnets.iter().map(|subnet| subnet.netuid).collect();
		let count = u32::try_from(netuids.len()).unwrap_or(u32::MAX);
		let (root_weight, shares) = Self::run_root_epoch_if_due(&netuids);
		Self::accrue_emission(subnets.as_mut(), &shares);
		let (due, schedule_weight) = Self::due_epochs(subnets.as_mut());
		let (runs, epochs_weight) = Self::fit_epochs(due);
		let drained: Vec<(NetUid, Balance)> = runs
			.into_iter()
			.filter_map(|netuid| {
				let subnet = subnets.iter_mut().find(|subnet| subnet.netuid == netuid)?;
				subnet.last_epoch = now;
				Some((netuid, core::mem::take(&mut subnet.pending)))
			})
			.collect();
		EmittingSubnets::<T>::put(subnets);
		for (netuid, amount) in drained {
			Self::pay_epoch(netuid, amount);
		}
		T::WeightInfo::on_initialize(count)
			.saturating_add(root_weight)
			.saturating_add(schedule_weight)
			.saturating_add(epochs_weight)
	}

	/// Runs the root network's epoch, renewing [`RootEpoch`], when its tempo has passed (or it
	/// never ran). Returns its weight and the shares in force for this block, so that the
	/// emission split does not read the record again.
	pub(crate) fn run_root_epoch_if_due(netuids: &[NetUid]) -> (Weight, Vec<(NetUid, u64)>) {
		let now = Self::now();
		let tempo = T::Subnets::hyperparameters(ROOT_NETUID).map_or(1, |params| params.tempo);
		let last = RootEpoch::<T>::get();
		let due =
			last.as_ref().is_none_or(|last| now >= last.block.saturating_add(tempo.max(1).into()));
		if !due {
			let shares = last.map(|last| last.shares.into_inner()).unwrap_or_default();
			return (Weight::zero(), shares);
		}
		let members = T::Neurons::neuron_count(ROOT_NETUID);
		let shares = Self::root_shares(netuids, members);
		RootEpoch::<T>::put(RootEpochRecord {
			block: now,
			shares: BoundedVec::truncate_from(shares.clone()),
		});
		Self::deposit_event(Event::SubnetSharesSet { shares: shares.clone() });
		let subnets = u32::try_from(netuids.len()).unwrap_or(u32::MAX);
		(T::WeightInfo::root_epoch(members.into(), subnets), shares)
	}

	/// The root network's consensus over `netuids` (sorted): each subnet's share out of
	/// 2^32, subnets without a share left out.
	fn root_shares(netuids: &[NetUid], members: u16) -> Vec<(NetUid, u64)> {
		let kappa = T::Subnets::hyperparameters(ROOT_NETUID).map_or(u16::MAX / 2, |p| p.kappa);
		let mut stake = Vec::with_capacity(members.into());
		let mut rows = Vec::with_capacity(members.into());
		for uid in 0..members {
			let member_stake = T::Neurons::hotkey(ROOT_NETUID, uid)
				.map_or(0, |hotkey| T::Stake::held_stake_of(&hotkey));
			stake.push(u64::try_from(member_stake).unwrap_or(u64::MAX));
			let row: Vec<(u16, u16)> = T::RootWeights::root_weights(uid)
				.into_iter()
				.filter_map(|(netuid, weight)| {
					let column = netuids.binary_search(&netuid).ok()?;
					Some((u16::try_from(column).ok()?, weight))
				})
				.collect();
			rows.push(row);
		}
		let columns = u16::try_from(netuids.len()).unwrap_or(u16::MAX);
		let incentive = luxtensor_yuma::root_incentive(&stake, &rows, columns, kappa);
		netuids
			.iter()
			.zip(incentive)
			// Incentive has 64 fractional bits; 32 are plenty for a share.
			.map(|(netuid, share)| (*netuid, u64::try_from(share >> 32).unwrap_or(u64::MAX)))
			.filter(|(_, share)| *share > 0)
			.collect()
	}

	/// The emission of this block, given what was issued and what is accrued but unminted.
	pub fn current_block_emission() -> Balance {
		let accrued = EmittingSubnets::<T>::get()
			.iter()
			.map(|subnet| subnet.pending)
			.fold(NposPayoutAccrued::<T>::get(), Balance::saturating_add);
		Self::block_emission(accrued)
	}

	/// Emission `netuid` accrued since its last epoch, not yet minted.
	pub fn pending_emission(netuid: NetUid) -> Balance {
		Self::subnet(netuid).map_or(0, |subnet| subnet.pending)
	}

	/// `netuid`'s pending emission and schedule, if it earns emission.
	pub fn subnet(netuid: NetUid) -> Option<SubnetEmission> {
		let subnets = EmittingSubnets::<T>::get();
		let index = subnets.binary_search_by_key(&netuid, |subnet| subnet.netuid).ok()?;
		subnets.into_inner().into_iter().nth(index)
	}

	/// Changes `netuid`'s record, if it earns emission.
	fn mutate_subnet(netuid: NetUid, change: impl FnOnce(&mut SubnetEmission)) {
		EmittingSubnets::<T>::mutate(|subnets| {
			if let Ok(index) = subnets.binary_search_by_key(&netuid, |subnet| subnet.netuid) {
				if let Some(subnet) = subnets.get_mut(index) {
					change(subnet);
				}
			}
		});
	}

	fn block_emission(accrued: Balance) -> Balance {
		use polkadot_sdk::frame_support::traits::fungible::Inspect;
		let issued = T::Currency::total_issuance()
			.saturating_add(accrued)
			.saturating_add(NposPayoutOwed::<T>::get());
		issuance::block_emission(issued, T::BlockEmission::get(), T::MaxSupply::get())
	}

	/// Adds this block's emission to the NPoS payout and to the subnets' pending emission,
	/// split by the root epoch's `shares`.
	fn accrue_emission(subnets: &mut [SubnetEmission], shares: &[(NetUid, u64)]) {
		let npos_accrued = NposPayoutAccrued::<T>::get();
		let accrued =
			subnets.iter().map(|subnet| subnet.pending).fold(npos_accrued, Balance::saturating_add);
		let emission = Self::block_emission(accrued);
		// Without subnets only the validators' share is emitted: the split is empty.
		let npos = T::NposShare::get().mul_floor(emission);
		NposPayoutAccrued::<T>::put(npos_accrued.saturating_add(npos));
		let netuids: Vec<NetUid> = subnets.iter().map(|subnet| subnet.netuid).collect();
		let shares = Self::subnet_shares(&netuids, shares);
		let parts = issuance::split(emission.saturating_sub(npos), &shares);
		for (subnet, (_, part)) in subnets.iter_mut().zip(parts) {
			subnet.pending = subnet.pending.saturating_add(part);
		}
	}

	/// The shares the last root epoch set (none before the first).
	pub fn root_epoch_shares() -> Vec<(NetUid, u64)> {
		RootEpoch::<T>::get().map(|last| last.shares.into_inner()).unwrap_or_default()
	}

	/// Each subnet's share of the subnets' emission: the root epoch's `shares`, or all zero
	/// (equal shares) while it has none. A subnet newer than the last root epoch has none.
	fn subnet_shares(netuids: &[NetUid], shares: &[(NetUid, u64)]) -> Vec<(NetUid, u64)> {
		netuids
			.iter()
			.map(|netuid| {
				// Both are in netuid order.
				let found = shares.binary_search_by_key(netuid, |(n, _)| *n);
				let share = found.ok().and_then(|i| shares.get(i)).map_or(0, |(_, share)| *share);
				(*netuid, share)
			})
			.collect()
	}

	/// The weight of `netuid`'s epoch now: Yuma and the payouts. Yuma pays dividends only
	/// to validators with permits, at most `max_allowed_validators` of them. The payout's
	/// benchmark reads each paid hotkey's stake pool cold, but Yuma has just read every
	/// neuron's pool for its stake, which Yuma's weight counts: the payout finds them in
	/// the block's overlay, so that read is counted once.
	pub fn epoch_weight(netuid: NetUid) -> Weight {
		let neurons = T::Neurons::neuron_count(netuid);
		let validators = T::Subnets::hyperparameters(netuid)
			.map_or(neurons, |params| params.max_allowed_validators.min(neurons));
		let payout = T::WeightInfo::pay_epoch(neurons.into(), validators.into())
			.saturating_sub(T::DbWeight::get().reads(neurons.into()));
		T::Epoch::weight(netuid).saturating_add(payout)
	}

	/// The subnets whose epoch is due, the ones deferred last block first, and the weight of
	/// reading their forced epochs and clearing the deferred ones. A subnet whose tempo has
	/// passed by its record but had a forced epoch since (which only pallet-weights sees) is
	/// rescheduled from that epoch instead.
	fn due_epochs(subnets: &mut [SubnetEmission]) -> (Vec<NetUid>, Weight) {
		let now = Self::now();
		let deferred = DeferredEpochs::<T>::get();
		let mut due: Vec<NetUid> = deferred
			.iter()
			.copied()
			.filter(|netuid| subnets.binary_search_by_key(netuid, |s| s.netuid).is_ok())
			.collect();
		let mut reads = 0u64;
		for subnet in subnets.iter_mut().filter(|subnet| subnet.is_due(now)) {
			reads = reads.saturating_add(1);
			if let Some(forced) = T::Epoch::last_epoch_block(subnet.netuid) {
				subnet.last_epoch = subnet.last_epoch.max(forced);
			}
			if subnet.is_due(now) && !due.contains(&subnet.netuid) {
				due.push(subnet.netuid);
			}
		}
		let mut writes = 0;
		if !deferred.is_empty() {
			DeferredEpochs::<T>::kill();
			writes = 1;
		}
		(due, T::DbWeight::get().reads_writes(reads, writes))
	}

	/// The `due` epochs that fit in the block's epoch budget, in order, and their weight (with
	/// the write deferring the rest to the next block, if any).
	fn fit_epochs(due: Vec<NetUid>) -> (Vec<NetUid>, Weight) {
		let budget = T::EpochWeightBudget::get();
		let mut used = Weight::zero();
		let mut runs = Vec::new();
		let mut deferred = BoundedVec::<NetUid, T::MaxSubnets>::new();
		for netuid in due {
			let cost = Self::epoch_weight(netuid);
			// The first epoch always runs, however heavy: otherwise it could wait forever.
			if used == Weight::zero() || used.saturating_add(cost).all_lte(budget) {
				runs.push(netuid);
				used.saturating_accrue(cost);
			} else {
				// Due subnets are emitting subnets, which are fewer than `MaxSubnets`.
				let _ = deferred.try_push(netuid);
				Self::deposit_event(Event::EpochDeferred { netuid });
			}
		}
		if !deferred.is_empty() {
			DeferredEpochs::<T>::put(deferred);
			used.saturating_accrue(T::DbWeight::get().writes(1));
		}
		(runs, used)
	}

	/// Runs `netuid`'s epoch on its `drained` pending emission: pays the owner's cut, runs
	/// Yuma on the rest and pays what it decided; what cannot be paid stays pending.
	fn pay_epoch(netuid: NetUid, drained: Balance) {
		let params = T::Subnets::hyperparameters(netuid);
		let owner_cut = params.as_ref().map(|params| params.owner_cut.mul_floor(drained));
		let owner_cut = owner_cut.unwrap_or(0);
		let tempo = params.map_or(1, |params| params.tempo.max(1));
		let payouts = T::Epoch::run(netuid, drained.saturating_sub(owner_cut));
		Self::distribute(netuid, drained, owner_cut, tempo.into(), payouts);
	}

	/// Pays `drained` emission of `netuid`: `owner_cut` to the owner, `payouts` by uid, the
	/// dividends released over `tempo` blocks; keeps the rest pending. Public for the
	/// benchmarks, which weigh it apart from Yuma.
	pub fn distribute(
		netuid: NetUid,
		drained: Balance,
		owner_cut: Balance,
		tempo: BlockNumber,
		EpochPayouts { payouts, unpaid }: EpochPayouts<T::AccountId>,
	) {
		// Order does not matter: dividends start their release in the next block, so stake
		// credited now buys shares at the same price either way, and then shares in the
		// release like any stake held during it.
		let mut rewards = Vec::with_capacity(payouts.len().saturating_add(1));
		let mut carried = unpaid;
		let (mut incentive, mut dividends) = (0, 0);
		let owner_paid = match T::Subnets::owner_hotkey(netuid) {
			// The subnet owner's hotkey is claimed for it at registration (and swaps with it).
			Some(hotkey) => {
				rewards.push(StakeReward {
					hotkey,
					stake: owner_cut,
					dividends: 0,
					release_over: 0,
				});
				owner_cut
			}
			None => {
				carried = carried.saturating_add(owner_cut);
				0
			}
		};
		for NeuronPayout { hotkey, incentive: earned, dividends: earned_dividends } in payouts {
			if earned == 0 && earned_dividends == 0 {
				continue;
			}
			// Registration claims every registered hotkey for a coldkey, which owns what the
			// hotkey earns for its owner.
			let Some(hotkey) = hotkey else {
				carried = carried.saturating_add(earned).saturating_add(earned_dividends);
				continue;
			};
			incentive = earned.saturating_add(incentive);
			dividends = earned_dividends.saturating_add(dividends);
			rewards.push(StakeReward {
				hotkey,
				stake: earned,
				dividends: earned_dividends,
				release_over: tempo,
			});
		}

		let paid = drained.saturating_sub(carried);
		if T::Currency::mint_into(&T::Stake::stake_account(), paid).is_err() {
			// Only an issuance overflow fails this, far beyond the supply cap: keep it all.
			Self::mutate_subnet(netuid, |subnet| {
				subnet.pending = subnet.pending.saturating_add(drained)
			});
			return;
		}
		T::Stake::reward(rewards);
		if carried > 0 {
			Self::mutate_subnet(netuid, |subnet| {
				subnet.pending = subnet.pending.saturating_add(carried)
			});
		}
		Self::deposit_event(Event::EpochPaid {
			netuid,
			drained,
			owner_cut: owner_paid,
			incentive,
			dividends,
			carried,
		});
	}

	/// Storage invariants: every subnet that earns, and only those, has a record, in netuid
	/// order, with its tempo. Always built, so the runtime's randomized tests check them after
	/// every block.
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use polkadot_sdk::frame_support::ensure;

		let subnets = EmittingSubnets::<T>::get();
		let earning: Vec<NetUid> =
			T::Subnets::netuids().into_iter().filter(|netuid| *netuid != ROOT_NETUID).collect();
		ensure!(
			subnets.iter().map(|subnet| subnet.netuid).eq(earning.iter().copied()),
			"the emitting subnets are not every subnet but the root network, in netuid order"
		);
		for subnet in subnets.iter() {
			ensure!(
				T::Subnets::hyperparameters(subnet.netuid).map(|params| params.tempo)
					== Some(subnet.tempo),
				"an emitting subnet's schedule has another tempo than its hyperparameters"
			);
		}
		let shares = Self::root_epoch_shares();
		for (netuid, _) in shares.iter() {
			ensure!(
				*netuid != ROOT_NETUID && T::Subnets::exists(*netuid),
				"an emission share for a subnet that does not earn"
			);
		}
		ensure!(
			shares.windows(2).all(|pair| matches!(pair, [(a, _), (b, _)] if a < b)),
			"emission shares are not in netuid order"
		);
		for netuid in DeferredEpochs::<T>::get() {
			ensure!(
				netuid != ROOT_NETUID && T::Subnets::exists(netuid),
				"an epoch deferred for a subnet that does not earn"
			);
		}
		Ok(())
	}
}

impl<T: Config> OnSubnetDissolved for Pallet<T> {
	/// Forgets the subnet's record (its pending emission is never minted), its place in the
	/// deferred epochs and its emission share, so a subnet registered later at the same netuid
	/// inherits none of them.
	fn on_subnet_dissolved(netuid: NetUid) -> Weight {
		EmittingSubnets::<T>::mutate(|subnets| subnets.retain(|subnet| subnet.netuid != netuid));
		DeferredEpochs::<T>::mutate(|deferred| deferred.retain(|n| *n != netuid));
		RootEpoch::<T>::mutate(|last| {
			if let Some(last) = last {
				last.shares.retain(|(n, _)| *n != netuid);
			}
		});
		T::WeightInfo::on_subnet_dissolved()
	}

	fn weight(_: NetUid) -> Weight {
		T::WeightInfo::on_subnet_dissolved()
	}
}

impl<T: Config> OnSubnetScheduled for Pallet<T> {
	/// Adds the subnet with nothing pending; its first epoch is due a tempo from now. The root
	/// network earns nothing and is not scheduled here.
	fn on_subnet_registered(netuid: NetUid, tempo: u16) {
		if netuid == ROOT_NETUID {
			return;
		}
		let record = SubnetEmission { netuid, pending: 0, last_epoch: Self::now(), tempo };
		EmittingSubnets::<T>::mutate(|subnets| {
			match subnets.binary_search_by_key(&netuid, |subnet| subnet.netuid) {
				Ok(index) => {
					if let Some(subnet) = subnets.get_mut(index) {
						*subnet = record;
					}
				}
				// pallet-subnets registers fewer than `MaxSubnets` subnets besides root.
				Err(index) => {
					let _ = subnets.try_insert(index, record);
				}
			}
		});
	}

	fn on_tempo_set(netuid: NetUid, tempo: u16) {
		Self::mutate_subnet(netuid, |subnet| subnet.tempo = tempo);
	}
}
