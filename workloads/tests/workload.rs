//! Properties of the workloads: determinism across thread counts, agreement with straightforward
//! re-implementations of the specification, format round-trips and error handling.

use luxtensor_workloads::cid::{self, sha256};
use luxtensor_workloads::rng::SplitMix64;
use luxtensor_workloads::workload::*;

fn model_bytes(dims: &[u16], layers: &[(&[i8], &[i32], u8)]) -> Vec<u8> {
	let mut out = b"LXQM".to_vec();
	out.push(1);
	out.push(layers.len() as u8);
	for d in dims {
		out.extend_from_slice(&d.to_le_bytes());
	}
	for (w, b, shift) in layers {
		out.extend(w.iter().map(|&v| v as u8));
		for v in *b {
			out.extend_from_slice(&v.to_le_bytes());
		}
		out.push(*shift);
	}
	out
}

#[test]
fn model_round_trips() {
	let bytes = generate_model(5, &[16, 32, 8]);
	let model = Model::parse(&bytes).unwrap();
	assert_eq!(model.dims(), vec![16, 32, 8]);
	assert_eq!(model.to_bytes(), bytes);
	assert_eq!(model.layers()[0].shift(), 4 + 5);
	assert_eq!(model.layers()[1].shift(), 5 + 5);
	assert!(model.layers()[0].weights().iter().all(|w| (-64..=63).contains(w)));
	assert!(model.layers()[0].bias().iter().all(|b| (-256..=255).contains(b)));
	assert_eq!(generate_model(5, &[16, 32, 8]), bytes, "deterministic");
	assert_ne!(generate_model(6, &[16, 32, 8]), bytes);
}

#[test]
fn model_parse_errors() {
	let good = generate_model(1, &[3, 2]);
	assert_eq!(Model::parse(b"LXQ"), Err(WorkloadError::Truncated { needed: 4, got: 3 }));
	assert_eq!(Model::parse(b"NOPE\x01\x01"), Err(WorkloadError::BadMagic));
	let mut v2 = good.clone();
	v2[4] = 2;
	assert_eq!(Model::parse(&v2), Err(WorkloadError::BadVersion(2)));
	for count in [0u8, 17] {
		let mut bad = good.clone();
		bad[5] = count;
		assert_eq!(Model::parse(&bad), Err(WorkloadError::BadLayerCount(count)));
	}
	let mut zero_dim = good.clone();
	zero_dim[6] = 0;
	assert_eq!(Model::parse(&zero_dim), Err(WorkloadError::BadDims(0)));
	let mut wide = good.clone();
	wide[6..8].copy_from_slice(&4097u16.to_le_bytes());
	assert_eq!(Model::parse(&wide), Err(WorkloadError::BadDims(4097)));
	let needed = good.len() as u64;
	assert_eq!(
		Model::parse(&good[..good.len() - 1]),
		Err(WorkloadError::Truncated { needed, got: good.len() - 1 })
	);
	let mut trailing = good.clone();
	trailing.push(0);
	assert_eq!(Model::parse(&trailing), Err(WorkloadError::TrailingBytes(1)));
	let mut shift = good.clone();
	*shift.last_mut().unwrap() = 32;
	assert_eq!(Model::parse(&shift), Err(WorkloadError::BadShift { layer: 0, shift: 32 }));
	// A header claiming 16 layers of 4096x4096 is refused from its length, not allocated.
	let mut huge = b"LXQM\x01\x10".to_vec();
	for _ in 0..17 {
		huge.extend_from_slice(&4096u16.to_le_bytes());
	}
	assert!(matches!(Model::parse(&huge), Err(WorkloadError::Truncated { .. })));
	// Invalid dims produce a model file that does not parse.
	assert_eq!(Model::parse(&generate_model(1, &[3])), Err(WorkloadError::BadLayerCount(0)));
	assert_eq!(Model::parse(&generate_model(1, &[3, 0])), Err(WorkloadError::BadLayerCount(0)));
}

#[test]
fn forward_matches_hand_computation() {
	// Layer 1: acc = [10 + 5 + 12, -100 + 15 - 24] = [27, -109]; >> 1 = [13, -55]; ReLU [13, 0].
	// Layer 2 (last, no ReLU): -1 * 13 + 2 * 0 - 400 = -413 >> 0, clamped to -128.
	let bytes =
		model_bytes(&[2, 2, 1], &[(&[1, 2, 3, -4], &[10, -100], 1), (&[-1, 2], &[-400], 0)]);
	let model = Model::parse(&bytes).unwrap();
	assert_eq!(model.forward(&[5, 6]).unwrap(), vec![-128]);
	let single = Model::parse(&model_bytes(&[2, 2], &[(&[1, 2, 3, -4], &[10, -100], 1)])).unwrap();
	assert_eq!(single.forward(&[5, 6]).unwrap(), vec![13, -55]);
	// Accumulators wrap in i32: 2^31 - 1 + 1 becomes i32::MIN, then clamps to -128.
	let wrap = Model::parse(&model_bytes(&[1, 1], &[(&[1], &[i32::MAX], 0)])).unwrap();
	assert_eq!(wrap.forward(&[1]).unwrap(), vec![-128]);
	assert!(matches!(single.forward(&[1]), Err(WorkloadError::BadInput(_))));
}

#[test]
fn inference_is_thread_independent_and_cycles_rows() {
	let model = generate_model(11, &[24, 64, 64, 10]);
	let input = generate_input(3, 7, 24);
	let work = Work::Inference { units: 50 };
	let one = execute(&model, &input, work, 1).unwrap();
	assert!(one.checkpoints.is_empty());
	assert_eq!(one.output.len(), 50 * 10);
	for threads in [2, 3, 4, 64] {
		assert_eq!(execute(&model, &input, work, threads).unwrap(), one);
	}
	// Unit i uses row i mod 7, and each unit is the model's forward pass of that row.
	let parsed = Model::parse(&model).unwrap();
	for unit in [0usize, 6, 7, 49] {
		let row: Vec<i8> =
			input[(unit % 7) * 24..(unit % 7 + 1) * 24].iter().map(|&b| b as i8).collect();
		let expected: Vec<u8> = parsed.forward(&row).unwrap().iter().map(|&v| v as u8).collect();
		assert_eq!(&one.output[unit * 10..(unit + 1) * 10], expected.as_slice());
	}
	assert!(one.output.iter().any(|&b| b != 0), "activations are not all zero");
}

#[test]
fn inference_rejects_bad_input() {
	let model = generate_model(1, &[4, 2]);
	for input in [&[][..], &[1, 2, 3][..], &[0; 9][..]] {
		assert!(matches!(
			execute(&model, input, Work::Inference { units: 1 }, 1),
			Err(WorkloadError::BadInput(_))
		));
	}
}

fn reference_matmul_unit(input: &[u8], unit: u32, dim: usize) -> [u8; 32] {
	let mut seeded = input.to_vec();
	seeded.extend_from_slice(&unit.to_le_bytes());
	let seed = u64::from_le_bytes(sha256(&seeded)[..8].try_into().unwrap());
	let mut rng = SplitMix64::new(seed);
	let a: Vec<i32> = (0..dim * dim).map(|_| rng.next_i8() as i32).collect();
	let b: Vec<i32> = (0..dim * dim).map(|_| rng.next_i8() as i32).collect();
	let mut c = Vec::new();
	for i in 0..dim {
		for j in 0..dim {
			let mut acc = 0i32;
			for k in 0..dim {
				acc = acc.wrapping_add(a[i * dim + k].wrapping_mul(b[k * dim + j]));
			}
			c.extend_from_slice(&acc.to_le_bytes());
		}
	}
	sha256(&c)
}

#[test]
fn matmul_matches_reference_and_thread_count() {
	let program = br#"{"program":"matmul","dim":40}"#;
	let input = b"job input";
	for units in [1u32, 3, 9] {
		let work = Work::Inference { units };
		let one = execute(program, input, work, 1).unwrap();
		assert_eq!(one.output.len(), 32 * units as usize);
		for u in 0..units {
			let at = 32 * u as usize;
			assert_eq!(one.output[at..at + 32], reference_matmul_unit(input, u, 40));
		}
		for threads in [2, 4] {
			assert_eq!(execute(program, input, work, threads).unwrap(), one);
		}
	}
	// Empty input is a valid seed source too, and the input changes the result.
	let a = execute(program, b"", Work::Inference { units: 1 }, 1).unwrap();
	let b = execute(program, b"x", Work::Inference { units: 1 }, 1).unwrap();
	assert_ne!(a.output, b.output);
}

#[test]
fn descriptors() {
	assert_eq!(
		Descriptor::parse(br#"{"program":"matmul","dim":64}"#),
		Ok(Descriptor::Matmul { dim: 64 })
	);
	assert_eq!(Descriptor::Matmul { dim: 64 }.to_json(), br#"{"program":"matmul","dim":64}"#);
	for bad in [
		&br#"{"program":"matmul","dim":0}"#[..],
		br#"{"program":"matmul","dim":1025}"#,
		br#"{"program":"matmul","dim":4,"extra":1}"#,
		br#"{"program":"sgd","dim":4}"#,
		br#"{"program":"matmul"}"#,
		b"\x00\x01garbage",
	] {
		assert!(matches!(
			execute(bad, b"", Work::Inference { units: 1 }, 1),
			Err(WorkloadError::BadDescriptor(_))
		));
	}
	assert_eq!(
		execute(
			br#"{"program":"matmul","dim":4}"#,
			b"",
			Work::Training { steps: 1, checkpoint_every: 1 },
			1
		),
		Err(WorkloadError::ProgramCannotTrain)
	);
}

#[test]
fn caps_are_checked_before_running() {
	let matmul = br#"{"program":"matmul","dim":1024}"#;
	// 16 units of dim 1024 is exactly 2^34 multiply-adds, the cap; one more unit is refused.
	assert!(matches!(
		execute(matmul, b"", Work::Inference { units: 17 }, 1),
		Err(WorkloadError::TooLarge(_))
	));
	assert!(matches!(
		execute(matmul, b"", Work::Inference { units: 1_000_001 }, 1),
		Err(WorkloadError::TooLarge(_))
	));
	assert!(matches!(
		execute(matmul, b"", Work::Inference { units: 0 }, 1),
		Err(WorkloadError::BadWork(_))
	));
	let big = generate_model(1, &[4096, 4096]);
	let input = vec![0u8; 4096];
	assert!(matches!(
		execute(&big, &input, Work::Inference { units: 1025 }, 1),
		Err(WorkloadError::TooLarge(_))
	));
	let linear = generate_model(1, &[4096, 4096]);
	let data = vec![0u8; 8192];
	assert!(matches!(
		execute(&linear, &data, Work::Training { steps: 600, checkpoint_every: 600 }, 1),
		Err(WorkloadError::TooLarge(_))
	));
	// Checkpoint volume is capped too: 64 checkpoints of 64 MiB.
	assert!(matches!(
		execute(&linear, &data, Work::Training { steps: 64, checkpoint_every: 1 }, 1),
		Err(WorkloadError::TooLarge(_))
	));
}

/// Training re-implemented from the specification, single-threaded and unoptimized.
fn reference_training(model: &[u8], data: &[u8], steps: u32, every: u32) -> Vec<(u32, Vec<u8>)> {
	let m = Model::parse(model).unwrap();
	let layer = &m.layers()[0];
	let (n_in, n_out) = (layer.inputs(), layer.outputs());
	let mut w: Vec<i32> = layer.weights().iter().map(|&v| (v as i32) * 256).collect();
	let mut b: Vec<i32> = layer.bias().to_vec();
	let rows = data.len() / (n_in + n_out);
	let seed = u64::from_le_bytes(sha256(data)[..8].try_into().unwrap());
	let mut cks = Vec::new();
	for s in 0..steps {
		let r = (SplitMix64::new(seed ^ s as u64).next_u64() % rows as u64) as usize;
		let row = &data[r * (n_in + n_out)..(r + 1) * (n_in + n_out)];
		let x: Vec<i32> = row[..n_in].iter().map(|&v| v as i8 as i32).collect();
		let y: Vec<i32> = row[n_in..].iter().map(|&v| v as i8 as i32).collect();
		let mut errs = vec![0; n_out];
		for j in 0..n_out {
			let mut acc = b[j];
			for i in 0..n_in {
				acc = acc.wrapping_add(w[j * n_in + i].wrapping_mul(x[i]));
			}
			errs[j] = y[j] - (acc >> 8).clamp(-128, 127);
		}
		for j in 0..n_out {
			for i in 0..n_in {
				let v = w[j * n_in + i].saturating_add((errs[j] * x[i]) >> 4);
				w[j * n_in + i] = v.clamp(-(1 << 20), 1 << 20);
			}
			b[j] = b[j].saturating_add(errs[j]).clamp(-(1 << 20), 1 << 20);
		}
		let done = s + 1;
		if done % every == 0 || done == steps {
			let mut ck = b"LXCK".to_vec();
			ck.extend_from_slice(&done.to_le_bytes());
			for v in w.iter().chain(&b) {
				ck.extend_from_slice(&v.to_le_bytes());
			}
			cks.push((done, ck));
		}
	}
	cks
}

#[test]
fn training_matches_reference_and_thread_count() {
	let model = generate_model(21, &[12, 9]);
	// 20 rows of (x: 12, y: 9).
	let data = generate_input(8, 20, 21);
	let work = Work::Training { steps: 50, checkpoint_every: 16 };
	let one = execute(&model, &data, work, 1).unwrap();
	let steps: Vec<u32> = one.checkpoints.iter().map(|(s, _)| *s).collect();
	assert_eq!(steps, vec![16, 32, 48, 50]);
	assert_eq!(one.checkpoints, reference_training(&model, &data, 50, 16));
	for threads in [2, 3, 4, 16] {
		assert_eq!(execute(&model, &data, work, threads).unwrap(), one);
	}
	// Training moves the weights.
	assert_ne!(one.checkpoints[0].1[8..], one.checkpoints[3].1[8..]);

	// The manifest pins every checkpoint and ends with the last one.
	let manifest = Manifest::parse(&one.output).unwrap();
	assert_eq!((manifest.steps, manifest.checkpoint_every), (50, 16));
	assert_eq!(manifest.last, one.checkpoints[3].1);
	for (step, ck) in &one.checkpoints {
		assert!(manifest.contains(*step, ck));
	}
	let mut tampered = one.checkpoints[1].1.clone();
	tampered[20] ^= 1;
	assert!(!manifest.contains(32, &tampered));
	assert!(!manifest.contains(16, &one.checkpoints[1].1), "checkpoint under the wrong step");
	let mut bad_manifest = one.output.clone();
	*bad_manifest.last_mut().unwrap() ^= 1;
	assert!(Manifest::parse(&bad_manifest).is_err());

	// Exact multiple: no extra final checkpoint.
	let exact =
		execute(&model, &data, Work::Training { steps: 32, checkpoint_every: 16 }, 2).unwrap();
	assert_eq!(exact.checkpoints.len(), 2);
	assert_eq!(exact.checkpoints[..], one.checkpoints[..2]);
}

#[test]
fn training_errors() {
	let data = generate_input(8, 20, 21);
	let deep = generate_model(1, &[12, 4, 9]);
	assert_eq!(
		execute(&deep, &data, Work::Training { steps: 5, checkpoint_every: 1 }, 1),
		Err(WorkloadError::NotLinear(2))
	);
	let linear = generate_model(1, &[12, 9]);
	assert!(matches!(
		execute(&linear, &data[..20], Work::Training { steps: 5, checkpoint_every: 1 }, 1),
		Err(WorkloadError::BadInput(_))
	));
	assert!(matches!(
		execute(&linear, &data, Work::Training { steps: 5, checkpoint_every: 0 }, 1),
		Err(WorkloadError::BadWork(_))
	));
}

#[test]
fn result_hash_agrees_with_output_cid() {
	let out = execute(br#"{"program":"matmul","dim":8}"#, b"in", Work::Inference { units: 3 }, 1)
		.unwrap()
		.output;
	let id = cid::parse(&cid::raw_cid(&out)).unwrap();
	assert_eq!(id.digest, result_hash(&out));
}

#[test]
fn corrupt_always_changes_output_deterministically() {
	for len in [0usize, 1, 60, 61, 62, 500] {
		let honest: Vec<u8> = (0..len).map(|i| i as u8).collect();
		let mut a = honest.clone();
		let mut b = honest.clone();
		corrupt(&mut a);
		corrupt(&mut b);
		assert_ne!(a, honest);
		assert_eq!(a, b);
		assert_ne!(result_hash(&a), result_hash(&honest));
	}
}

#[test]
fn pinned_results() {
	// These hashes must never change: validators on any release re-run providers' work.
	let model = generate_model(2024, &[32, 48, 16]);
	let inference =
		execute(&model, &generate_input(1, 5, 32), Work::Inference { units: 12 }, 3).unwrap();
	let matmul =
		execute(br#"{"program":"matmul","dim":16}"#, b"pin", Work::Inference { units: 2 }, 3)
			.unwrap();
	let linear = generate_model(7, &[6, 3]);
	let training = execute(
		&linear,
		&generate_input(2, 10, 9),
		Work::Training { steps: 25, checkpoint_every: 10 },
		2,
	)
	.unwrap();
	let got = [&inference, &matmul, &training].map(|e| hex::encode(result_hash(&e.output)));
	assert_eq!(got, PINNED);
}

const PINNED: [&str; 3] = [
	"e25b5975040f9533502a311561467dd9e8187db6d1ae067949172ab2d17c95d0",
	"bd9725728cf7726f201e7161d605a6e913bc38e136ad501449edd3bd1950cd26",
	"142f13668570ba259536239f59337142c600e9e024d8c84b3f90c220d9d34431",
];
