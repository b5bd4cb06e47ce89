//! Sparse square matrices stored by rows, the only shape the epoch works on: every
//! operation costs time and memory proportional to the stored entries plus n.

use crate::{
	fixed::{self, Divisor, Fixed},
	SparseRow, Uid,
};
use alloc::{vec, vec::Vec};

/// One row: column uids strictly ascending, each with its value (never zero).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
	pub cols: Vec<Uid>,
	pub vals: Vec<Fixed>,
}

impl Row {
	/// `(column, value)` pairs in column order.
	pub fn entries(&self) -> impl Iterator<Item = (Uid, Fixed)> + '_ {
		self.cols.iter().copied().zip(self.vals.iter().copied())
	}

	fn push(&mut self, col: Uid, val: Fixed) {
		if val > 0 {
			self.cols.push(col);
			self.vals.push(val);
		}
	}
}

/// An n × n matrix; row `i` is `rows[i]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matrix {
	pub rows: Vec<Row>,
	n: usize,
}

impl Matrix {
	/// Reads stored u16 rows (missing rows are empty, rows past n ignored), dropping uids ≥ n,
	/// repeated uids (the first counts), the entries `keep` refuses and zeros; `convert`
	/// turns each stored value into a fixed-point one.
	pub fn from_stored(
		stored: &[SparseRow],
		n: usize,
		keep: impl Fn(usize, Uid) -> bool,
		convert: impl Fn(u16) -> Fixed,
	) -> Self {
		Self::from_stored_rect(stored, n, n, keep, convert)
	}

	/// As [`Self::from_stored`], for a matrix of `rows` rows over `columns` columns.
	pub fn from_stored_rect(
		stored: &[SparseRow],
		rows: usize,
		columns: usize,
		keep: impl Fn(usize, Uid) -> bool,
		convert: impl Fn(u16) -> Fixed,
	) -> Self {
		let rows = (0..rows)
			.map(|i| {
				let mut entries: Vec<(Uid, u16)> = stored
					.get(i)
					.map(|row| {
						row.iter()
							.copied()
							.filter(|&(j, _)| usize::from(j) < columns && keep(i, j))
							.collect()
					})
					.unwrap_or_default();
				entries.sort_by_key(|&(j, _)| j);
				entries.dedup_by_key(|&mut (j, _)| j);
				let mut row = Row {
					cols: Vec::with_capacity(entries.len()),
					vals: Vec::with_capacity(entries.len()),
				};
				for (j, value) in entries {
					row.push(j, convert(value));
				}
				row
			})
			.collect();
		Self { rows, n: columns }
	}

	/// The number of columns.
	pub fn columns(&self) -> usize {
		self.n
	}

	/// A matrix of these rows (n of them).
	pub fn from_rows(rows: Vec<Row>, n: usize) -> Self {
		Self { rows, n }
	}

	/// Divides each row by its sum.
	pub fn normalize_rows(&mut self) {
		for row in &mut self.rows {
			let total = Divisor::new(fixed::sum(row.vals.iter().copied()));
			for val in &mut row.vals {
				*val = total.ratio(*val);
			}
		}
	}

	/// `sum_i x_i · M_ij` for each column j (`x = None`: the plain column sums).
	pub fn column_sums(&self, x: Option<&[Fixed]>) -> Vec<Fixed> {
		let mut sums: Vec<Fixed> = vec![0; self.n];
		for (i, row) in self.rows.iter().enumerate() {
			let factor = x.map(|x| x.get(i).copied().unwrap_or(0));
			if factor == Some(0) {
				continue;
			}
			for (j, val) in row.entries() {
				if let Some(sum) = sums.get_mut(usize::from(j)) {
					let term = factor.map_or(val, |factor| fixed::mul(factor, val));
					*sum = sum.saturating_add(term);
				}
			}
		}
		sums
	}

	/// Divides each column by its sum.
	pub fn normalize_columns(&mut self) {
		let sums: Vec<Divisor> = self.column_sums(None).into_iter().map(Divisor::new).collect();
		self.map_columns(|val, j| sums.get(usize::from(j)).map_or(0, |sum| sum.ratio(val)));
	}

	/// Replaces each entry by `f(value, column)`, dropping those that become zero (in place).
	pub fn map_columns(&mut self, f: impl Fn(Fixed, Uid) -> Fixed) {
		for row in &mut self.rows {
			let mut kept = 0;
			for position in 0..row.cols.len() {
				let (Some(&j), Some(&val)) = (row.cols.get(position), row.vals.get(position))
				else {
					break;
				};
				let val = f(val, j);
				if let (true, Some(col), Some(slot)) =
					(val > 0, row.cols.get_mut(kept), row.vals.get_mut(kept))
				{
					(*col, *slot) = (j, val);
					kept = kept.saturating_add(1);
				}
			}
			row.cols.truncate(kept);
			row.vals.truncate(kept);
		}
	}

	/// The sum of each row.
	pub fn row_sums(&self) -> Vec<Fixed> {
		self.rows.iter().map(|row| fixed::sum(row.vals.iter().copied())).collect()
	}

	/// `sum_j M_ij · x_j` for each row i.
	pub fn mul_vec(&self, x: &[Fixed]) -> Vec<Fixed> {
		self.rows
			.iter()
			.map(|row| {
				fixed::sum(
					row.entries().map(|(j, val)| {
						fixed::mul(val, x.get(usize::from(j)).copied().unwrap_or(0))
					}),
				)
			})
			.collect()
	}

	/// The largest entry of each column.
	pub fn column_max(&self) -> Vec<Fixed> {
		let mut max: Vec<Fixed> = vec![0; self.n];
		for (j, val) in self.rows.iter().flat_map(Row::entries) {
			if let Some(max) = max.get_mut(usize::from(j)) {
				*max = (*max).max(val);
			}
		}
		max
	}
}
