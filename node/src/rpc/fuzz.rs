//! Fuzzing of the JSON-RPC parameter parsers, on stable Rust (proptest in place of
//! cargo-fuzz): parameters arrive as any JSON a client sends, are deserialized as jsonrpsee
//! does, then parsed. Whatever comes in, nothing panics, and a refusal carries a message.
//! `scripts/fuzz.sh` runs many more cases (`PROPTEST_CASES`).

use super::{
	compute::{JobFilterJson, JobSpecJson, ModelFilterJson, ProviderFilterJson},
	json::parse_field,
	views::{PageJson, UidPageJson},
};
use jsonrpsee::types::ErrorObjectOwned;
use luxtensor_primitives::stake::PoolId;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// Strings a client might send: names the parsers know, an SS58 address, numbers as text,
/// and junk of every length.
fn text() -> impl Strategy<Value = String> {
	prop_oneof![
		prop::sample::select(vec![
			"Active",
			"Running",
			"Llm",
			"5GrwvaEF5zXb26Fz9rcQpDWS57CtQApm4ZKk6QaMFvN9Lsxb",
			"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
			"NVIDIA H100",
			"1000000000",
			"-1",
			"340282366920938463463374607431768211456",
			"hotkey",
			"",
		])
		.prop_map(String::from),
		".{0,40}",
		"[a-z]{90,130}",
	]
}

/// A JSON value of any shape.
fn any_json() -> impl Strategy<Value = Value> {
	let leaf = prop_oneof![
		Just(Value::Null),
		any::<bool>().prop_map(Value::from),
		any::<i64>().prop_map(Value::from),
		any::<u64>().prop_map(Value::from),
		prop_oneof![any::<f64>(), Just(-0.5), Just(0.5), Just(1.5)].prop_map(Value::from),
		text().prop_map(Value::from),
	];
	leaf.prop_recursive(3, 24, 4, |inner| {
		prop_oneof![
			prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
			prop::collection::btree_map(text(), inner, 0..4)
				.prop_map(|map| Value::Object(map.into_iter().collect())),
		]
	})
}

/// A valid job spec, the starting point of the damaged ones.
fn job_spec() -> Value {
	json!({
		"kind": {"inference": {"units": 10}},
		"workload": {"content": "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"},
		"input": "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
		"gpu": {"minClass": 10},
		"gpuCount": 1,
		"minReputation": 0.4,
		"maxUnitPrice": "100000000",
		"deadline": 1000,
		"assignment": "random",
		"replicas": 2,
		"quorum": 2,
		"spotCheck": 0.5,
		"challengeWindow": 10,
	})
}

/// `document` with `changes` applied: each sets (or, with `None`, removes) a field, at the
/// top level or one level down.
fn damaged(mut document: Value, changes: Vec<(usize, bool, Option<Value>)>) -> Value {
	for (field, nested, value) in changes {
		let Some(object) = document.as_object_mut() else { return document };
		let names: Vec<String> = object.keys().cloned().collect();
		if names.is_empty() {
			return document;
		}
		let name = names[field % names.len()].clone();
		let target = match object.get_mut(&name) {
			Some(Value::Object(inner)) if nested && !inner.is_empty() => {
				let key = inner.keys().next().cloned().expect("not empty");
				(inner, key)
			}
			_ => (object, name),
		};
		match value {
			Some(value) => target.0.insert(target.1, value),
			None => target.0.remove(&target.1),
		};
	}
	document
}

fn changes() -> impl Strategy<Value = Vec<(usize, bool, Option<Value>)>> {
	prop::collection::vec(
		(any::<usize>(), any::<bool>(), prop::option::weighted(0.8, any_json())),
		1..4,
	)
}

/// Deserializes `params` as jsonrpsee would and parses them; a refusal at either step must
/// say why.
fn check<T: DeserializeOwned, R>(
	params: &Value,
	parse: impl FnOnce(T) -> Result<R, ErrorObjectOwned>,
) -> Result<(), TestCaseError> {
	if let Ok(typed) = serde_json::from_value::<T>(params.clone()) {
		if let Err(error) = parse(typed) {
			prop_assert!(!error.message().is_empty());
		}
	}
	Ok(())
}

fn filter(fields: &[&str]) -> impl Strategy<Value = Value> {
	let names: Vec<String> = fields.iter().map(|name| name.to_string()).collect();
	prop::collection::btree_map(prop::sample::select(names), any_json(), 0..4)
		.prop_map(|map| Value::Object(map.into_iter().collect()))
}

proptest! {
	#[test]
	fn job_specs_parse_or_are_refused(changes in changes(), replace_all in any::<bool>(), any in any_json()) {
		let params = if replace_all { any } else { damaged(job_spec(), changes) };
		check(&params, JobSpecJson::parse)?;
	}

	#[test]
	fn filters_parse_or_are_refused(
		provider in filter(&["netuid", "status", "gpuModel", "minClass", "startAfter", "limit", "other"]),
		model in filter(&["owner", "kind", "includeDeprecated", "startAfter", "limit"]),
		job in filter(&["poster", "provider", "status", "startAfter", "limit"]),
	) {
		check(&provider, ProviderFilterJson::parse)?;
		check(&model, ModelFilterJson::parse)?;
		check(&job, JobFilterJson::parse)?;
	}

	#[test]
	fn pages_and_field_names_parse_or_are_refused(
		page in filter(&["start", "startAfter", "limit"]),
		name in text(),
	) {
		check(&page, |page| UidPageJson::parse(Some(page)))?;
		check(&page, |page| PageJson::<String>::parse(Some(page)))?;
		check(&page, |page| PageJson::<PoolId>::parse(Some(page)))?;
		if let Err(error) = parse_field(&name) {
			prop_assert!(!error.is_empty());
		}
	}
}

#[test]
fn the_spec_the_damaged_ones_start_from_is_valid() {
	let spec: JobSpecJson = serde_json::from_value(job_spec()).expect("deserializes");
	assert!(spec.parse().is_ok());
}
