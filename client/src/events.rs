//! Event subscriptions that survive the node going away: the subscription reconnects with
//! backoff and fills in the blocks it missed meanwhile (by number), so no block's events are
//! skipped.

use crate::{client::Client, error::Error, types::*, At};
use std::collections::VecDeque;
use subxt::{client::Blocks, ext::scale_value::Value};

/// The pallets LuxTensor adds to Substrate's.
pub const LUXTENSOR_PALLETS: [&str; 6] =
	["Subnets", "Registration", "Weights", "Stake", "Emission", "Compute"];

/// Which blocks to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
	/// New best blocks (fast; a block may later leave the best chain).
	Best,
	/// Finalized blocks.
	Finalized,
}

/// One event of a block.
#[derive(Debug, Clone)]
pub struct ChainEvent {
	pub block: u64,
	pub block_hash: H256,
	/// Its index among the block's events.
	pub index: u32,
	pub pallet: String,
	pub name: String,
	/// The fields, as subxt's dynamic value.
	pub fields: Value,
}

/// The events of new blocks, one at a time.
pub struct EventSubscription {
	client: Client,
	follow: Follow,
	pallets: Option<Vec<String>>,
	blocks: Option<Blocks<crate::LuxtensorConfig>>,
	last_block: Option<u64>,
	queue: VecDeque<ChainEvent>,
	reconnects: u32,
}

impl EventSubscription {
	/// Events of `pallets` (every pallet when `None`) in the blocks `follow` names.
	pub fn new(client: Client, follow: Follow, pallets: Option<Vec<String>>) -> Self {
		Self {
			client,
			follow,
			pallets,
			blocks: None,
			last_block: None,
			queue: VecDeque::new(),
			reconnects: 0,
		}
	}

	/// Only LuxTensor's own pallets' events.
	pub fn luxtensor(client: Client, follow: Follow) -> Self {
		Self::new(client, follow, Some(LUXTENSOR_PALLETS.map(String::from).to_vec()))
	}

	/// How many times the subscription had to reconnect.
	pub fn reconnects(&self) -> u32 {
		self.reconnects
	}

	/// The next event. Waits for new blocks; reconnects when the connection drops, and fails
	/// only when the node stays unreachable past the client's retries.
	pub async fn next(&mut self) -> Result<ChainEvent, Error> {
		loop {
			if let Some(event) = self.queue.pop_front() {
				return Ok(event);
			}
			match self.next_block().await {
				Ok(()) => {}
				Err(error) if error.is_connection() => {
					self.blocks = None;
					self.reconnects += 1;
					self.client.reconnect().await?;
				}
				Err(error) => return Err(error),
			}
		}
	}

	/// Queues the events of the next block, and of any the stream skipped before it.
	async fn next_block(&mut self) -> Result<(), Error> {
		if self.blocks.is_none() {
			let api = self.client.api();
			self.blocks = Some(match self.follow {
				Follow::Best => api.stream_best_blocks().await?,
				Follow::Finalized => api.stream_blocks().await?,
			});
		}
		let Some(blocks) = self.blocks.as_mut() else { return Ok(()) };
		let block = match blocks.next().await {
			Some(block) => block?,
			// The node ended the subscription: treat it as a dropped connection.
			None => {
				return Err(Error::Connect {
					url: self.client.url().into(),
					reason: "the block subscription ended".into(),
				})
			}
		};
		let number = block.number();
		if let Some(last) = self.last_block {
			for missed in last.saturating_add(1)..number {
				let at = self.client.at_number(missed as u32).await?;
				self.queue_events(&at).await?;
			}
		}
		let at = At::new(block.at().await?);
		self.queue_events(&at).await?;
		self.last_block = Some(number);
		Ok(())
	}

	async fn queue_events(&mut self, at: &At) -> Result<(), Error> {
		let events = at.block().events().fetch().await?;
		for event in events.iter() {
			let event = event?;
			let pallet = event.pallet_name();
			if let Some(pallets) = &self.pallets {
				if !pallets.iter().any(|wanted| wanted == pallet) {
					continue;
				}
			}
			self.queue.push_back(ChainEvent {
				block: at.number(),
				block_hash: at.hash(),
				index: event.index(),
				pallet: pallet.to_owned(),
				name: event.event_name().to_owned(),
				fields: crate::decode::event_fields(
					at.block().metadata_ref(),
					pallet,
					event.event_index(),
					event.field_bytes(),
				)?,
			});
		}
		Ok(())
	}
}
