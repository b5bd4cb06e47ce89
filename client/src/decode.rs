//! Events decoded for people: every field by its name, accounts as SS58 addresses (the
//! metadata says which 32 bytes are an `AccountId32` and which a hash).

use crate::error::Error;
use subxt::{
	ext::scale_value::{self, Composite, Value, ValueDef, Variant},
	metadata::Metadata,
	utils::AccountId32,
};

/// The fields of event `index` of `pallet`, from their SCALE bytes.
pub(crate) fn event_fields(
	metadata: &Metadata,
	pallet: &str,
	index: u8,
	mut bytes: &[u8],
) -> Result<Value, Error> {
	let variant = metadata
		.pallet_by_name(pallet)
		.and_then(|pallet| pallet.event_variant_by_index(index))
		.ok_or_else(|| {
			Error::Invalid(format!("no event {index} of pallet {pallet} in the metadata"))
		})?;
	let mut named = Vec::new();
	let mut unnamed = Vec::new();
	for field in &variant.fields {
		let value = scale_value::scale::decode_as_type(&mut bytes, field.ty.id, metadata.types())
			.map_err(|e| Error::Invalid(format!("{pallet}.{}: {e}", variant.name)))?;
		let value = readable(value, metadata);
		match &field.name {
			Some(name) => named.push((name.clone(), value)),
			None => unnamed.push(value),
		}
	}
	let composite =
		if unnamed.is_empty() { Composite::Named(named) } else { Composite::Unnamed(unnamed) };
	Ok(Value { value: ValueDef::Composite(composite), context: () })
}

/// `value` without its type ids, accounts turned into their SS58 strings.
fn readable(value: Value<u32>, metadata: &Metadata) -> Value {
	let is_account = metadata
		.types()
		.resolve(value.context)
		.is_some_and(|ty| ty.path.segments.last().is_some_and(|name| name == "AccountId32"));
	if is_account {
		if let Some(bytes) = bytes32(&value) {
			return Value::string(AccountId32(bytes).to_string());
		}
	}
	let value = match value.value {
		ValueDef::Composite(composite) => {
			ValueDef::Composite(readable_composite(composite, metadata))
		}
		ValueDef::Variant(variant) => ValueDef::Variant(Variant {
			name: variant.name,
			values: readable_composite(variant.values, metadata),
		}),
		ValueDef::Primitive(primitive) => ValueDef::Primitive(primitive),
		ValueDef::BitSequence(bits) => ValueDef::BitSequence(bits),
	};
	Value { value, context: () }
}

fn readable_composite(composite: Composite<u32>, metadata: &Metadata) -> Composite<()> {
	match composite {
		Composite::Named(fields) => Composite::Named(
			fields.into_iter().map(|(name, value)| (name, readable(value, metadata))).collect(),
		),
		Composite::Unnamed(values) => {
			Composite::Unnamed(values.into_iter().map(|value| readable(value, metadata)).collect())
		}
	}
}

/// The 32 bytes of an `AccountId32` value (a composite around a composite of 32 u8s).
fn bytes32(value: &Value<u32>) -> Option<[u8; 32]> {
	let ValueDef::Composite(outer) = &value.value else { return None };
	let inner = match outer.values().collect::<Vec<_>>().as_slice() {
		[inner] => *inner,
		_ => return None,
	};
	let ValueDef::Composite(bytes) = &inner.value else { return None };
	let bytes: Vec<u8> = bytes
		.values()
		.map(|byte| byte.as_u128().and_then(|b| u8::try_from(b).ok()))
		.collect::<Option<_>>()?;
	bytes.try_into().ok()
}
