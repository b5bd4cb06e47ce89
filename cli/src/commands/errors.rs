//! `luxctl errors PALLET`: a pallet's errors by index, from the metadata the client was built
//! with (no node needed): the transaction pool's `Custom error: N` is error N of the call's
//! pallet.

use crate::{
	context::{Ctx, Result},
	output,
};
use clap::Args;
use serde_json::json;

#[derive(Debug, Args)]
pub struct ErrorsArgs {
	/// The pallet, as the runtime names it (Registration, Weights, Compute...).
	pub pallet: String,
	/// Print a Markdown table (for docs).
	#[arg(long)]
	pub markdown: bool,
}

pub fn run(ctx: &Ctx, args: ErrorsArgs) -> Result<()> {
	let metadata = luxtensor_client::metadata()?;
	let pallet = metadata.pallet_by_name(&args.pallet).ok_or_else(|| {
		let names: Vec<&str> = metadata.pallets().map(|pallet| pallet.name()).collect();
		format!("no pallet '{}': the runtime has {}", args.pallet, names.join(", "))
	})?;
	let errors: Vec<(u8, String, String)> = pallet
		.error_variants()
		.unwrap_or_default()
		.iter()
		.map(|variant| {
			(
				variant.index,
				variant.name.clone(),
				luxtensor_client::error::first_paragraph(&variant.docs),
			)
		})
		.collect();
	let report: Vec<_> = errors
		.iter()
		.map(|(index, name, doc)| json!({ "index": index, "name": name, "doc": doc }))
		.collect();
	output::print_json_or(ctx, &json!(report), || {
		if args.markdown {
			println!("| N | `{}::` error | meaning |", pallet.name());
			println!("|---|---|---|");
			for (index, name, doc) in &errors {
				println!("| {index} | `{name}` | {doc} |");
			}
		} else {
			let rows = errors
				.iter()
				.map(|(index, name, doc)| vec![index.to_string(), name.clone(), doc.clone()])
				.collect();
			println!("{}", output::table(&["N", "ERROR", "MEANING"], rows, &["N"]));
		}
	});
	Ok(())
}

#[cfg(test)]
mod tests {
	/// The README's pool error tables list each code as the metadata numbers it.
	#[test]
	fn the_readme_pool_codes_match_the_metadata() {
		let readme = include_str!("../../../README.md");
		let section =
			readme.split("### Pool error codes").nth(1).expect("the README lists pool codes");
		let section = section.split("\n### ").next().unwrap_or_default();
		let metadata = luxtensor_client::metadata().unwrap();
		let mut pallet = None;
		let mut rows = 0;
		for line in section.lines() {
			if let Some(name) = line.strip_prefix("**").and_then(|rest| rest.split("**").next()) {
				pallet = metadata.pallet_by_name(name);
				assert!(pallet.is_some(), "no pallet {name}");
			}
			let cells: Vec<&str> = line.split('|').map(str::trim).collect();
			let (Some(pallet), [_, index, name, ..]) = (&pallet, cells.as_slice()) else {
				continue;
			};
			let Ok(index) = index.parse::<u8>() else { continue };
			let variant = pallet.error_variant_by_index(index).expect("the index exists");
			assert_eq!(format!("`{}`", variant.name), *name, "{}: code {index}", pallet.name());
			rows += 1;
		}
		assert!(rows > 20, "only {rows} codes read from the README");
	}
}
