//! Running a job's workload: its program (a registered model or content) and input come
//! from the content store by CID, the deterministic workloads run on a blocking thread,
//! and the output (with a training job's checkpoints) goes back to the store.

use crate::chain::{self, cid_text};
use anyhow::{anyhow, bail, Context, Result};
use luxtensor_client::{
	api::runtime_types::luxtensor_primitives::compute::{JobInfo, JobKind, Workload},
	types::AccountId32,
	At,
};
use luxtensor_workloads::{
	store::Store,
	workload::{self, Work},
};
use std::time::Instant;

/// A job's result as a replica reveals it.
pub struct Outcome {
	/// SHA-256 of the output: the digest inside its CID.
	pub result_hash: [u8; 32],
	/// Where the output is.
	pub output: String,
	/// Seconds the workload ran.
	pub seconds: f64,
}

/// What `job` asks to run.
pub fn work_of(job: &JobInfo<AccountId32>) -> Result<Work> {
	match job.spec.kind {
		JobKind::Inference { units } => Ok(Work::Inference { units }),
		JobKind::Training { steps, checkpoint_every } => {
			Ok(Work::Training { steps, checkpoint_every })
		}
		JobKind::Lease { .. } => bail!("a lease has no workload to run"),
	}
}

/// Fetches `job`'s program and input, runs it on `threads` threads and, when `publish`,
/// stores its checkpoints and output. `corrupt` changes the output before it is hashed:
/// only the test builds' `--cheat wrong-result` asks for it.
pub async fn run(
	at: &At,
	store: &Store,
	job: &JobInfo<AccountId32>,
	threads: usize,
	publish: bool,
	corrupt: bool,
) -> Result<Outcome> {
	let work = work_of(job)?;
	let program_cid = match &job.spec.workload {
		Workload::Model(id) => {
			let model =
				chain::model(at, *id).await?.ok_or_else(|| anyhow!("model {id} is gone"))?;
			cid_text(&model.content_id.0)
		}
		Workload::Content(cid) => cid_text(&cid.0),
	};
	let program =
		store.get(&program_cid).await.with_context(|| format!("program {program_cid}"))?;
	let input_cid = cid_text(&job.spec.input.0);
	let input = store.get(&input_cid).await.with_context(|| format!("input {input_cid}"))?;

	let started = Instant::now();
	let execution =
		tokio::task::spawn_blocking(move || workload::execute(&program, &input, work, threads))
			.await
			.map_err(|e| anyhow!("the workload thread failed: {e}"))?
			.with_context(|| format!("job {}'s workload", job.id))?;
	let seconds = started.elapsed().as_secs_f64();

	let mut output = execution.output;
	if corrupt {
		workload::corrupt(&mut output);
	}
	if publish {
		for (step, checkpoint) in &execution.checkpoints {
			let cid = store.put(checkpoint).await.context("storing a checkpoint")?;
			tracing::info!(job = job.id, step, checkpoint = %cid, "checkpoint stored");
		}
	}
	let result_hash = workload::result_hash(&output);
	let output = if publish {
		store.put(&output).await.context("storing the output")?
	} else {
		luxtensor_workloads::cid::raw_cid(&output)
	};
	Ok(Outcome { result_hash, output, seconds })
}
