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
