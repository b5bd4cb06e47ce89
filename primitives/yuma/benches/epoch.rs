//! The epoch on full subnets ([`full_subnet`]): n uids, `validators` of them holding permits
//! and weighing every other uid, with the bonds a previous epoch left.
//! `cargo bench -p luxtensor-yuma`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use luxtensor_yuma::{epoch, examples::full_subnet};
use std::hint::black_box;

fn bench_epoch(c: &mut Criterion) {
	let mut group = c.benchmark_group("epoch");
	group.sample_size(10);
	for n in [256u16, 1024, 4096] {
		for validators in [64u16, 256] {
			let input = full_subnet(n, validators);
			group.bench_with_input(
				BenchmarkId::new(format!("{validators} validators"), n),
				&input,
				|b, input| b.iter(|| epoch(black_box(input))),
			);
		}
	}
	group.finish();
}

criterion_group!(benches, bench_epoch);
criterion_main!(benches);
