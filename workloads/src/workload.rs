//! The programs a compute job runs: quantized MLP inference, seeded integer matrix multiply and
//! linear-model SGD training.
//!
//! Providers run them and validators re-run them, comparing results by hash, so the output is a
//! pure function of (program, input, work): integer arithmetic only, wrapping or saturating as
//! documented, randomness from [`SplitMix64`], and threads splitting independent rows whose
//! results are concatenated in order (wrapping addition is associative, so even the split of a
//! sum would not change it).

use crate::cid::sha256;
use crate::rng::SplitMix64;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::ops::Range;

/// Magic bytes opening a quantized model file.
pub const MODEL_MAGIC: &[u8; 4] = b"LXQM";
/// The model format version this crate reads and writes.
pub const MODEL_VERSION: u8 = 1;
/// The most layers a model may have.
pub const MAX_LAYERS: usize = 16;
/// The largest layer width.
pub const MAX_DIM: u16 = 4096;
/// The most inference units or training steps one job may ask for.
pub const MAX_UNITS: u32 = 1_000_000;
/// The most multiply-adds one job may cost, so a bad job cannot exhaust the machine.
pub const MAX_WORK: u64 = 1 << 34;
/// The most bytes of output plus checkpoints one job may produce.
pub const MAX_OUTPUT_BYTES: u64 = 256 << 20;
/// The largest matrix size of the `matmul` program.
pub const MAX_MATMUL_DIM: u32 = 1024;
/// Magic bytes opening a training checkpoint.
pub const CHECKPOINT_MAGIC: &[u8; 4] = b"LXCK";
/// Magic bytes opening a training manifest (the output of a training job).
pub const MANIFEST_MAGIC: &[u8; 4] = b"LXTR";
/// Training weights and biases are clamped to ±2^20 so updates never overflow far.
const TRAIN_LIMIT: i32 = 1 << 20;
/// More threads than this gain nothing and only risk exhausting the OS.
const MAX_THREADS: usize = 256;

/// Why a program could not be parsed or run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkloadError {
	/// The model does not start with `LXQM`.
	#[error("not an LXQM model (bad magic)")]
	BadMagic,
	/// The model format version is not supported.
	#[error("unsupported model version {0}")]
	BadVersion(u8),
	/// The layer count is not in 1..=16.
	#[error("bad layer count {0} (expected 1..=16)")]
	BadLayerCount(u8),
	/// A layer width is not in 1..=4096.
	#[error("bad layer width {0} (expected 1..=4096)")]
	BadDims(u16),
	/// A layer's shift is not in 0..=31.
	#[error("layer {layer} has shift {shift} (expected 0..=31)")]
	BadShift {
		/// Index of the layer.
		layer: usize,
		/// The shift found.
		shift: u8,
	},
	/// The file ends before its declared content.
	#[error("truncated: {needed} bytes needed, {got} present")]
	Truncated {
		/// Bytes the header implies.
		needed: u64,
		/// Bytes present.
		got: usize,
	},
	/// Bytes follow the declared content.
	#[error("{0} unexpected trailing bytes")]
	TrailingBytes(usize),
	/// The input data does not fit the program.
	#[error("bad input: {0}")]
	BadInput(String),
	/// The program is neither a model nor a valid JSON descriptor.
	#[error("bad workload descriptor: {0}")]
	BadDescriptor(String),
	/// Training was asked of a descriptor program.
	#[error("this program cannot be trained: training needs an LXQM model")]
	ProgramCannotTrain,
	/// Training needs a single-layer (linear) model.
	#[error("training needs a model with exactly 1 layer, this one has {0}")]
	NotLinear(usize),
	/// The work parameters are invalid (zero units, zero checkpoint interval...).
	#[error("bad work parameters: {0}")]
	BadWork(String),
	/// The job exceeds a resource cap.
	#[error("job too large: {0}")]
	TooLarge(String),
}

/// One fully connected layer of a quantized model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
	inputs: usize,
	outputs: usize,
	weights: Vec<i8>,
	bias: Vec<i32>,
	shift: u8,
}

impl Layer {
	/// Input width.
	pub fn inputs(&self) -> usize {
		self.inputs
	}
	/// Output width.
	pub fn outputs(&self) -> usize {
		self.outputs
	}
	/// Weights, row-major `[outputs][inputs]`.
	pub fn weights(&self) -> &[i8] {
		&self.weights
	}
	/// Biases, one per output.
	pub fn bias(&self) -> &[i32] {
		&self.bias
	}
	/// Arithmetic right shift applied to each accumulator.
	pub fn shift(&self) -> u8 {
		self.shift
	}

	/// `y = clamp((b + W·x) >> shift, -128, 127)`, then ReLU unless this is the last layer.
	fn forward_into(&self, x: &[i8], relu: bool, y: &mut Vec<i8>) {
		y.clear();
		for (row, &b) in self.weights.chunks_exact(self.inputs).zip(&self.bias) {
			let acc = row
				.iter()
				.zip(x)
				.fold(b, |acc, (&w, &v)| acc.wrapping_add(i32::from(w) * i32::from(v)));
			let mut out = (acc >> self.shift).clamp(-128, 127);
			if relu {
				out = out.max(0);
			}
			y.push(out as i8);
		}
	}
}

/// A parsed "LXQM" v1 quantized MLP.
///
/// File layout (little-endian): `LXQM`, u8 version = 1, u8 layer count L (1..=16),
/// u16 dims[L+1] (each 1..=4096), then per layer i8 weights[out*in] row-major, i32 bias[out],
/// u8 shift (0..=31).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
	layers: Vec<Layer>,
}

impl Model {
	/// Parses and validates a model file; all lengths are checked before anything is allocated.
	pub fn parse(bytes: &[u8]) -> Result<Model, WorkloadError> {
		let mut r = Reader { bytes, pos: 0 };
		if r.take(4)? != MODEL_MAGIC {
			return Err(WorkloadError::BadMagic);
		}
		let version = r.u8()?;
		if version != MODEL_VERSION {
			return Err(WorkloadError::BadVersion(version));
		}
		let count = r.u8()?;
		if !(1..=MAX_LAYERS).contains(&usize::from(count)) {
			return Err(WorkloadError::BadLayerCount(count));
		}
		let mut dims = Vec::with_capacity(usize::from(count) + 1);
		for _ in 0..=count {
			let d = r.u16()?;
			if !(1..=MAX_DIM).contains(&d) {
				return Err(WorkloadError::BadDims(d));
			}
			dims.push(usize::from(d));
		}
		let body: u64 = dims.windows(2).map(|w| layer_len(w[0], w[1])).sum();
		let needed = r.pos as u64 + body;
		if (bytes.len() as u64) < needed {
			return Err(WorkloadError::Truncated { needed, got: bytes.len() });
		}
		if bytes.len() as u64 > needed {
			return Err(WorkloadError::TrailingBytes((bytes.len() as u64 - needed) as usize));
		}
		let mut layers = Vec::with_capacity(usize::from(count));
		for (index, w) in dims.windows(2).enumerate() {
			let (inputs, outputs) = (w[0], w[1]);
			let weights = r.take(inputs * outputs)?.iter().map(|&b| b as i8).collect();
			let bias = r
				.take(4 * outputs)?
				.chunks_exact(4)
				.map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
				.collect();
			let shift = r.u8()?;
			if shift > 31 {
				return Err(WorkloadError::BadShift { layer: index, shift });
			}
			layers.push(Layer { inputs, outputs, weights, bias, shift });
		}
		Ok(Model { layers })
	}

	/// The model file; `Model::parse(&m.to_bytes()) == Ok(m)`.
	pub fn to_bytes(&self) -> Vec<u8> {
		let mut out = Vec::new();
		out.extend_from_slice(MODEL_MAGIC);
		out.push(MODEL_VERSION);
		out.push(self.layers.len() as u8);
		for d in self.dims() {
			out.extend_from_slice(&d.to_le_bytes());
		}
		for layer in &self.layers {
			out.extend(layer.weights.iter().map(|&w| w as u8));
			for b in &layer.bias {
				out.extend_from_slice(&b.to_le_bytes());
			}
			out.push(layer.shift);
		}
		out
	}

	/// The layers, input first.
	pub fn layers(&self) -> &[Layer] {
		&self.layers
	}

	/// Layer widths: the input width, then each layer's output width.
	pub fn dims(&self) -> Vec<u16> {
		let first = self.layers.first().map_or(0, |l| l.inputs);
		std::iter::once(first)
			.chain(self.layers.iter().map(|l| l.outputs))
			.map(|d| d as u16)
			.collect()
	}

	/// Width of an input row.
	pub fn input_width(&self) -> usize {
		self.layers.first().map_or(0, |l| l.inputs)
	}

	/// Width of an output row.
	pub fn output_width(&self) -> usize {
		self.layers.last().map_or(0, |l| l.outputs)
	}

	/// Multiply-adds of one forward pass.
	pub fn multiply_adds_per_row(&self) -> u64 {
		self.layers.iter().map(|l| (l.inputs * l.outputs) as u64).sum()
	}

	/// The output row for one input row.
	pub fn forward(&self, x: &[i8]) -> Result<Vec<i8>, WorkloadError> {
		if x.len() != self.input_width() {
			return Err(WorkloadError::BadInput(format!(
				"row of {} values, model expects {}",
				x.len(),
				self.input_width()
			)));
		}
		let (mut a, mut b) = (Vec::new(), Vec::new());
		self.forward_into(x, &mut a, &mut b);
		Ok(a)
	}

	/// Forward pass leaving the result in `out`, `tmp` being scratch space (no allocation per
	/// row once the buffers have grown).
	fn forward_into(&self, x: &[i8], out: &mut Vec<i8>, tmp: &mut Vec<i8>) {
		out.clear();
		out.extend_from_slice(x);
		let last = self.layers.len().saturating_sub(1);
		for (i, layer) in self.layers.iter().enumerate() {
			layer.forward_into(out, i != last, tmp);
			std::mem::swap(out, tmp);
		}
	}
}

fn layer_len(inputs: usize, outputs: usize) -> u64 {
	(inputs * outputs + 4 * outputs + 1) as u64
}

/// Bounds-checked little-endian reader.
struct Reader<'a> {
	bytes: &'a [u8],
	pos: usize,
}

impl<'a> Reader<'a> {
	fn take(&mut self, n: usize) -> Result<&'a [u8], WorkloadError> {
		let end = self.pos.checked_add(n);
		let slice =
			end.and_then(|end| self.bytes.get(self.pos..end)).ok_or(WorkloadError::Truncated {
				needed: self.pos as u64 + n as u64,
				got: self.bytes.len(),
			})?;
		self.pos += n;
		Ok(slice)
	}
	fn u8(&mut self) -> Result<u8, WorkloadError> {
		Ok(self.take(1)?[0])
	}
	fn u16(&mut self) -> Result<u16, WorkloadError> {
		let b = self.take(2)?;
		Ok(u16::from_le_bytes([b[0], b[1]]))
	}
	fn u32(&mut self) -> Result<u32, WorkloadError> {
		let b = self.take(4)?;
		Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
	}
}

/// A random model file with layer widths `dims` (input width first).
///
/// Weights are uniform in -64..=63, biases in -256..=255 (one SplitMix64 output each, masked,
/// layer by layer: weights then biases), and each layer's shift is `ceil(log2(inputs)) + 5` so
/// activations stay well inside i8. Widths outside the format's limits (fewer than 2 or more
/// than 17 entries, a width of 0 or above 4096) give a header with layer count 0, which
/// [`Model::parse`] rejects.
pub fn generate_model(seed: u64, dims: &[u16]) -> Vec<u8> {
	let mut out = Vec::new();
	out.extend_from_slice(MODEL_MAGIC);
	out.push(MODEL_VERSION);
	let valid = (2..=MAX_LAYERS + 1).contains(&dims.len())
		&& dims.iter().all(|d| (1..=MAX_DIM).contains(d));
	if !valid {
		out.push(0);
		return out;
	}
	out.push((dims.len() - 1) as u8);
	for d in dims {
		out.extend_from_slice(&d.to_le_bytes());
	}
	let mut rng = SplitMix64::new(seed);
	for w in dims.windows(2) {
		let (inputs, outputs) = (usize::from(w[0]), usize::from(w[1]));
		for _ in 0..inputs * outputs {
			out.push(((rng.next_u64() & 0x7f) as i32 - 64) as i8 as u8);
		}
		for _ in 0..outputs {
			out.extend_from_slice(&((rng.next_u64() & 0x1ff) as i32 - 256).to_le_bytes());
		}
		out.push((ceil_log2(inputs) + 5).min(31) as u8);
	}
	out
}

fn ceil_log2(n: usize) -> u32 {
	if n <= 1 {
		0
	} else {
		usize::BITS - (n - 1).leading_zeros()
	}
}

/// A random inference input: `rows` rows of `width` i8 values (SplitMix64 low bytes).
pub fn generate_input(seed: u64, rows: usize, width: usize) -> Vec<u8> {
	let mut rng = SplitMix64::new(seed);
	(0..rows.saturating_mul(width)).map(|_| rng.next_u64() as u8).collect()
}

/// A workload given as a JSON descriptor rather than a model, e.g.
/// `{"program":"matmul","dim":64}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "program", rename_all = "lowercase", deny_unknown_fields)]
pub enum Descriptor {
	/// Seeded integer matrix multiply: per unit, two `dim`×`dim` matrices seeded from the input
	/// and the unit index are multiplied and the product hashed.
	Matmul {
		/// Matrix size, 1..=1024.
		dim: u32,
	},
}

impl Descriptor {
	/// Parses and validates a descriptor.
	pub fn parse(bytes: &[u8]) -> Result<Descriptor, WorkloadError> {
		let d: Descriptor = serde_json::from_slice(bytes)
			.map_err(|e| WorkloadError::BadDescriptor(e.to_string()))?;
		match d {
			Descriptor::Matmul { dim } if !(1..=MAX_MATMUL_DIM).contains(&dim) => {
				Err(WorkloadError::BadDescriptor(format!(
					"matmul dim {dim} not in 1..={MAX_MATMUL_DIM}"
				)))
			}
			d => Ok(d),
		}
	}

	/// The descriptor's JSON.
	pub fn to_json(&self) -> Vec<u8> {
		match self {
			Descriptor::Matmul { dim } => {
				format!("{{\"program\":\"matmul\",\"dim\":{dim}}}").into_bytes()
			}
		}
	}
}

/// What a job asks of its program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
	/// Run `units` inference units (input rows for a model, products for matmul).
	Inference {
		/// Number of units.
		units: u32,
	},
	/// Train a linear model for `steps` SGD steps, checkpointing every `checkpoint_every`.
	Training {
		/// Number of SGD steps.
		steps: u32,
		/// Steps between checkpoints.
		checkpoint_every: u32,
	},
}

/// The result of running a job.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Execution {
	/// The job's output, whose [`result_hash`] is revealed on chain.
	pub output: Vec<u8>,
	/// Training checkpoints as (steps done, checkpoint bytes); empty for inference.
	pub checkpoints: Vec<(u32, Vec<u8>)>,
}

/// Runs `work` of `program` on `input` with up to `threads` threads.
///
/// A program starting with `LXQM` is a model (inference: MLP forward; training: SGD of a
/// one-layer model); anything else is a JSON [`Descriptor`] (inference only). Resource caps are
/// checked before any work starts. The output does not depend on `threads`.
pub fn execute(
	program: &[u8],
	input: &[u8],
	work: Work,
	threads: usize,
) -> Result<Execution, WorkloadError> {
	let count = match work {
		Work::Inference { units } => units,
		Work::Training { steps, .. } => steps,
	};
	if count == 0 {
		return Err(WorkloadError::BadWork("zero units or steps".into()));
	}
	if count > MAX_UNITS {
		return Err(WorkloadError::TooLarge(format!("{count} units or steps > {MAX_UNITS}")));
	}
	let threads = threads.clamp(1, MAX_THREADS);
	if program.starts_with(MODEL_MAGIC) {
		let model = Model::parse(program)?;
		match work {
			Work::Inference { units } => {
				Ok(Execution { output: infer(&model, input, units, threads)?, checkpoints: vec![] })
			}
			Work::Training { steps, checkpoint_every } => {
				train(&model, input, steps, checkpoint_every, threads)
			}
		}
	} else {
		let Descriptor::Matmul { dim } = Descriptor::parse(program)?;
		match work {
			Work::Inference { units } => Ok(Execution {
				output: matmul_job(dim, input, units, threads)?,
				checkpoints: vec![],
			}),
			Work::Training { .. } => Err(WorkloadError::ProgramCannotTrain),
		}
	}
}

/// The hash revealed for an output: its SHA-256, which is also the digest inside
/// `cid::raw_cid(output)`, so the result hash and the output's CID name the same bytes.
pub fn result_hash(output: &[u8]) -> [u8; 32] {
	sha256(output)
}

/// Deterministically damages an output (for a test-only cheating provider): flips bits of
/// every 61st byte starting with the first, or appends a byte to an empty output, so the result
/// always differs from the honest one.
pub fn corrupt(output: &mut Vec<u8>) {
	if output.is_empty() {
		output.push(0xA5);
		return;
	}
	for b in output.iter_mut().step_by(61) {
		*b ^= 0xA5;
	}
}

fn check_work(macs: u64) -> Result<(), WorkloadError> {
	if macs > MAX_WORK {
		return Err(WorkloadError::TooLarge(format!("{macs} multiply-adds > {MAX_WORK}")));
	}
	Ok(())
}

fn check_output(bytes: u64) -> Result<(), WorkloadError> {
	if bytes > MAX_OUTPUT_BYTES {
		return Err(WorkloadError::TooLarge(format!("{bytes} output bytes > {MAX_OUTPUT_BYTES}")));
	}
	Ok(())
}

fn infer(
	model: &Model,
	input: &[u8],
	units: u32,
	threads: usize,
) -> Result<Vec<u8>, WorkloadError> {
	let width = model.input_width();
	if input.is_empty() || width == 0 || !input.len().is_multiple_of(width) {
		return Err(WorkloadError::BadInput(format!(
			"{} bytes is not a non-empty whole number of {width}-value rows",
			input.len()
		)));
	}
	check_work(u64::from(units).saturating_mul(model.multiply_adds_per_row()))?;
	let out_width = model.output_width();
	check_output(u64::from(units) * out_width as u64)?;
	let rows: Vec<&[u8]> = input.chunks_exact(width).collect();
	let parts = parallel(units as usize, threads, |range| {
		let mut out = Vec::with_capacity(range.len() * out_width);
		let (mut x, mut y, mut tmp) = (Vec::with_capacity(width), Vec::new(), Vec::new());
		for i in range {
			x.clear();
			x.extend(rows[i % rows.len()].iter().map(|&b| b as i8));
			model.forward_into(&x, &mut y, &mut tmp);
			out.extend(y.iter().map(|&v| v as u8));
		}
		out
	});
	Ok(parts.concat())
}

fn seed_of(digest: &[u8]) -> u64 {
	let mut s = [0u8; 8];
	for (d, b) in s.iter_mut().zip(digest) {
		*d = *b;
	}
	u64::from_le_bytes(s)
}

/// `dim`×`dim` matrices A then B, row-major, entries the low bytes of SplitMix64(seed) outputs
/// read as i8.
pub(crate) fn random_matrices(seed: u64, dim: usize) -> (Vec<i32>, Vec<i32>) {
	let mut rng = SplitMix64::new(seed);
	let a = (0..dim * dim).map(|_| i32::from(rng.next_i8())).collect();
	let b = (0..dim * dim).map(|_| i32::from(rng.next_i8())).collect();
	(a, b)
}

/// `c += a * b` for `dim`×`dim` row-major matrices with wrapping i32 arithmetic, rows of `c`
/// split across threads.
pub(crate) fn matmul_accumulate(a: &[i32], b: &[i32], c: &mut [i32], dim: usize, threads: usize) {
	if dim == 0 {
		return;
	}
	let kernel = |first_row: usize, c_rows: &mut [i32]| {
		for (i, c_row) in c_rows.chunks_exact_mut(dim).enumerate() {
			let a_row = a.get((first_row + i) * dim..(first_row + i + 1) * dim).unwrap_or_default();
			for (&aik, b_row) in a_row.iter().zip(b.chunks_exact(dim)) {
				for (cij, &bkj) in c_row.iter_mut().zip(b_row) {
					*cij = cij.wrapping_add(aik.wrapping_mul(bkj));
				}
			}
		}
	};
	let threads = threads.clamp(1, dim);
	// Small products are faster on one thread than the spawn costs.
	if threads == 1 || dim < 32 {
		kernel(0, c);
		return;
	}
	let parts = parallel(dim, threads, |rows| {
		let mut out = vec![0i32; rows.len() * dim];
		kernel(rows.start, &mut out);
		out
	});
	for (ci, &p) in c.iter_mut().zip(parts.iter().flatten()) {
		*ci = ci.wrapping_add(p);
	}
}

fn matmul_job(
	dim: u32,
	input: &[u8],
	units: u32,
	threads: usize,
) -> Result<Vec<u8>, WorkloadError> {
	let d = u64::from(dim);
	check_work(u64::from(units).saturating_mul(d * d * d))?;
	let dim = dim as usize;
	let prefix = Sha256::new_with_prefix(input);
	let unit = |u: usize, inner_threads: usize| -> [u8; 32] {
		let mut h = prefix.clone();
		h.update((u as u32).to_le_bytes());
		let (a, b) = random_matrices(seed_of(&h.finalize()), dim);
		let mut c = vec![0i32; dim * dim];
		matmul_accumulate(&a, &b, &mut c, dim, inner_threads);
		let bytes: Vec<u8> = c.iter().flat_map(|v| v.to_le_bytes()).collect();
		sha256(&bytes)
	};
	let units = units as usize;
	// Many units: one thread per group of units; few units: threads split each product's rows.
	let output = if units >= threads {
		parallel(units, threads, |range| range.flat_map(|u| unit(u, 1)).collect::<Vec<u8>>())
			.concat()
	} else {
		(0..units).flat_map(|u| unit(u, threads)).collect()
	};
	Ok(output)
}

/// Runs `f` on contiguous ranges splitting `0..n` across up to `threads` threads and returns
/// the results in range order.
fn parallel<T: Send>(n: usize, threads: usize, f: impl Fn(Range<usize>) -> T + Sync) -> Vec<T> {
	let threads = threads.clamp(1, n.max(1));
	if threads == 1 {
		return vec![f(0..n)];
	}
	let per = n.div_ceil(threads);
	let ranges: Vec<Range<usize>> =
		(0..threads).map(|t| (t * per).min(n)..((t + 1) * per).min(n)).collect();
	let f = &f;
	std::thread::scope(|s| {
		let pending: Vec<_> = ranges
			.into_iter()
			.map(|r| {
				// A thread that cannot be spawned leaves its range to this thread.
				std::thread::Builder::new()
					.spawn_scoped(s, {
						let r = r.clone();
						move || f(r)
					})
					.map_err(|_| r)
			})
			.collect();
		pending
			.into_iter()
			.map(|p| match p {
				Ok(handle) => match handle.join() {
					Ok(v) => v,
					Err(panic) => std::panic::resume_unwind(panic),
				},
				Err(r) => f(r),
			})
			.collect()
	})
}

/// The checkpoints' step counts: every `every` steps, plus the last step if not a multiple.
fn checkpoint_steps(steps: u32, every: u32) -> Vec<u32> {
	let mut out: Vec<u32> = (1..=steps / every).map(|k| k * every).collect();
	if !steps.is_multiple_of(every) {
		out.push(steps);
	}
	out
}

/// The row of the dataset used at step `s`.
fn training_row(seed: u64, step: u32, rows: usize) -> usize {
	(SplitMix64::new(seed ^ u64::from(step)).next_u64() % rows as u64) as usize
}

/// SGD of a linear model in i32 fixed point (8 fractional bits for weights).
///
/// Output rows never interact (row j's update reads only row j and the shared schedule), so
/// threads each train a contiguous block of rows through all steps and the checkpoints are
/// reassembled in row order: identical bytes for any thread count.
fn train(
	model: &Model,
	input: &[u8],
	steps: u32,
	every: u32,
	threads: usize,
) -> Result<Execution, WorkloadError> {
	let [layer] = model.layers() else {
		return Err(WorkloadError::NotLinear(model.layers().len()));
	};
	if every == 0 {
		return Err(WorkloadError::BadWork("checkpoint_every is 0".into()));
	}
	let (n_in, n_out) = (layer.inputs, layer.outputs);
	let row_len = n_in + n_out;
	if input.is_empty() || !input.len().is_multiple_of(row_len) {
		return Err(WorkloadError::BadInput(format!(
			"{} bytes is not a non-empty whole number of {row_len}-byte (x, y) rows",
			input.len()
		)));
	}
	// Prediction and update each touch every weight once per step.
	check_work(u64::from(steps).saturating_mul(2 * (n_in * n_out) as u64))?;
	let marks = checkpoint_steps(steps, every);
	let ck_len = 8 + 4 * (n_in * n_out + n_out) as u64;
	check_output(marks.len() as u64 * (ck_len + 36) + ck_len + 12)?;

	let rows: Vec<&[u8]> = input.chunks_exact(row_len).collect();
	let seed = seed_of(&sha256(input));
	let schedule: Vec<u32> = (0..steps).map(|s| training_row(seed, s, rows.len()) as u32).collect();

	// Each part: per checkpoint, (weights of its rows, biases of its rows).
	let parts = parallel(n_out, threads, |range| {
		let mut w: Vec<i32> = layer
			.weights
			.get(range.start * n_in..range.end * n_in)
			.unwrap_or_default()
			.iter()
			.map(|&v| i32::from(v) << 8)
			.collect();
		let mut bias: Vec<i32> = layer.bias.get(range.clone()).unwrap_or_default().to_vec();
		let mut snapshots = Vec::with_capacity(marks.len());
		let mut next_mark = marks.iter().peekable();
		for (s, &r) in schedule.iter().enumerate() {
			let row = rows[r as usize];
			let (x, y) = row.split_at(n_in);
			let y = y.get(range.clone()).unwrap_or_default();
			for ((w_row, b), &target) in w.chunks_exact_mut(n_in).zip(bias.iter_mut()).zip(y) {
				let acc = w_row.iter().zip(x).fold(*b, |acc, (&wv, &xv)| {
					acc.wrapping_add(wv.wrapping_mul(i32::from(xv as i8)))
				});
				let err = i32::from(target as i8) - (acc >> 8).clamp(-128, 127);
				for (wv, &xv) in w_row.iter_mut().zip(x) {
					let delta = (err * i32::from(xv as i8)) >> 4;
					*wv = wv.saturating_add(delta).clamp(-TRAIN_LIMIT, TRAIN_LIMIT);
				}
				*b = b.saturating_add(err).clamp(-TRAIN_LIMIT, TRAIN_LIMIT);
			}
			if next_mark.next_if(|&&m| m as usize == s + 1).is_some() {
				snapshots.push((w.clone(), bias.clone()));
			}
		}
		snapshots
	});

	let mut checkpoints = Vec::with_capacity(marks.len());
	for (c, &mark) in marks.iter().enumerate() {
		let mut ck = Vec::with_capacity(ck_len as usize);
		ck.extend_from_slice(CHECKPOINT_MAGIC);
		ck.extend_from_slice(&mark.to_le_bytes());
		for part in &parts {
			for v in part.get(c).map(|(w, _)| w.as_slice()).unwrap_or_default() {
				ck.extend_from_slice(&v.to_le_bytes());
			}
		}
		for part in &parts {
			for v in part.get(c).map(|(_, b)| b.as_slice()).unwrap_or_default() {
				ck.extend_from_slice(&v.to_le_bytes());
			}
		}
		checkpoints.push((mark, ck));
	}

	let mut output = Vec::new();
	output.extend_from_slice(MANIFEST_MAGIC);
	output.extend_from_slice(&steps.to_le_bytes());
	output.extend_from_slice(&every.to_le_bytes());
	for (mark, ck) in &checkpoints {
		output.extend_from_slice(&mark.to_le_bytes());
		output.extend_from_slice(&sha256(ck));
	}
	if let Some((_, last)) = checkpoints.last() {
		output.extend_from_slice(last);
	}
	Ok(Execution { output, checkpoints })
}

/// A parsed training output: `LXTR`, u32 steps, u32 checkpoint_every, per checkpoint u32 step
/// and its SHA-256, then the last checkpoint's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
	/// Total SGD steps.
	pub steps: u32,
	/// Steps between checkpoints.
	pub checkpoint_every: u32,
	/// (steps done, SHA-256 of the checkpoint) for every checkpoint.
	pub checkpoints: Vec<(u32, [u8; 32])>,
	/// The final checkpoint (the trained weights).
	pub last: Vec<u8>,
}

impl Manifest {
	/// Parses a training output and checks its internal consistency (the step list follows
	/// from steps and interval, the final checkpoint matches its listed hash).
	pub fn parse(bytes: &[u8]) -> Result<Manifest, WorkloadError> {
		let mut r = Reader { bytes, pos: 0 };
		if r.take(4)? != MANIFEST_MAGIC {
			return Err(WorkloadError::BadMagic);
		}
		let steps = r.u32()?;
		let checkpoint_every = r.u32()?;
		if steps == 0 || checkpoint_every == 0 || steps > MAX_UNITS {
			return Err(WorkloadError::BadWork("manifest steps or interval out of range".into()));
		}
		let marks = checkpoint_steps(steps, checkpoint_every);
		let needed = 12 + 36 * marks.len() as u64;
		if (bytes.len() as u64) < needed {
			return Err(WorkloadError::Truncated { needed, got: bytes.len() });
		}
		let mut checkpoints = Vec::with_capacity(marks.len());
		for &mark in &marks {
			let step = r.u32()?;
			if step != mark {
				return Err(WorkloadError::BadInput(format!(
					"checkpoint step {step}, expected {mark}"
				)));
			}
			let mut digest = [0u8; 32];
			digest.copy_from_slice(r.take(32)?);
			checkpoints.push((step, digest));
		}
		let last = bytes.get(r.pos..).unwrap_or_default().to_vec();
		let listed = checkpoints.last().map(|(_, d)| *d);
		if listed != Some(sha256(&last)) {
			return Err(WorkloadError::BadInput("final checkpoint does not match its hash".into()));
		}
		Ok(Manifest { steps, checkpoint_every, checkpoints, last })
	}

	/// Whether `checkpoint` is the one the manifest lists for `step`.
	pub fn contains(&self, step: u32, checkpoint: &[u8]) -> bool {
		let digest = sha256(checkpoint);
		self.checkpoints.iter().any(|&(s, d)| s == step && d == digest)
	}
}
