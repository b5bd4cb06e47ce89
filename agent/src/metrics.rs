//! Prometheus metrics of an agent: counters kept in memory and served as text on
//! `--prometheus-port` (`GET /metrics`).

use std::{collections::BTreeMap, sync::Mutex};

/// Counters by name; each is exported as `luxtensor_agent_<name>{role="..."}`.
pub struct Metrics {
	role: &'static str,
	values: Mutex<BTreeMap<&'static str, (f64, &'static str)>>,
}

/// The counters each role exports (`""`: both), with their help text, so they read 0 before
/// their first event instead of being missing.
const HELP: [(&str, &str, &str); 14] = [
	("transactions_sent_total", "", "Transactions accepted into the pool."),
	("transaction_errors_total", "", "Transactions the pool or the node refused."),
	("heartbeats_total", "provider", "Heartbeats sent."),
	("jobs_accepted_total", "provider", "Assignments accepted."),
	("jobs_done_total", "provider", "Jobs whose workload ran and whose result was saved."),
	(
		"jobs_settled_total",
		"provider",
		"Jobs settled with this provider's result among the winners.",
	),
	(
		"jobs_failed_total",
		"provider",
		"Jobs that ended without paying this provider, or whose work failed.",
	),
	("earnings_planck_total", "provider", "Paid to this provider, net of the protocol fee."),
	("work_seconds_total", "provider", "Seconds spent running workloads."),
	("leases_billed_total", "provider", "Lease bills this agent applied with `advance`."),
	("bids_total", "provider", "Auction bids placed."),
	("attestations_total", "validator", "Hardware attestations committed."),
	("reviews_total", "validator", "Spot checks and jury reviews committed."),
	("weights_set_total", "validator", "Weight commits and sets sent."),
];

impl Metrics {
	pub fn new(role: &'static str) -> Self {
		let values = HELP
			.iter()
			.filter(|(_, owner, _)| owner.is_empty() || *owner == role)
			.map(|(name, _, help)| (*name, (0.0, *help)))
			.collect();
		Self { role, values: Mutex::new(values) }
	}

	/// Adds `amount` to counter `name`.
	pub fn add(&self, name: &'static str, amount: f64) {
		let mut values = self.values.lock().unwrap_or_else(|e| e.into_inner());
		values.entry(name).or_insert((0.0, "")).0 += amount;
	}

	/// Adds one to counter `name`.
	pub fn inc(&self, name: &'static str) {
		self.add(name, 1.0);
	}

	/// The Prometheus text exposition format.
	pub fn render(&self) -> String {
		let values = self.values.lock().unwrap_or_else(|e| e.into_inner());
		let mut text = String::new();
		for (name, (value, help)) in values.iter() {
			text.push_str(&format!(
				"# HELP luxtensor_agent_{name} {help}\n# TYPE luxtensor_agent_{name} counter\nluxtensor_agent_{name}{{role=\"{}\"}} {value}\n",
				self.role
			));
		}
		text
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn counters_render_in_the_text_format() {
		let metrics = Metrics::new("provider");
		metrics.inc("jobs_done_total");
		metrics.add("earnings_planck_total", 2.5e18);
		let text = metrics.render();
		assert!(text.contains("luxtensor_agent_jobs_done_total{role=\"provider\"} 1\n"));
		assert!(text.contains(
			"luxtensor_agent_earnings_planck_total{role=\"provider\"} 2500000000000000000\n"
		));
		assert!(text.contains("luxtensor_agent_bids_total{role=\"provider\"} 0\n"));
		assert!(!text.contains("reviews_total"), "a provider has no validator counters");
		assert!(text.contains("# TYPE luxtensor_agent_heartbeats_total counter\n"));
	}
}
