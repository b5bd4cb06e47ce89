//! Exports for `run.mjs`: `setup(n, validators)` builds a full subnet, `run()` runs one
//! epoch on it. Memory is a bump allocator reset after each epoch (the runtime's host
//! allocator is also a bump allocator with size classes).

#![no_std]

extern crate alloc;

use core::{
	alloc::{GlobalAlloc, Layout},
	arch::wasm32,
	cell::Cell,
};
use luxtensor_yuma::{epoch, examples::full_subnet, EpochInput};

struct Bump {
	next: Cell<usize>,
	/// Where `run` resets `next` to: the end of the subnet `setup` built.
	mark: Cell<usize>,
}

// wasm32 without threads: one caller at a time.
unsafe impl Sync for Bump {}

extern "C" {
	/// Where the linker put the end of the stack and static data.
	static __heap_base: u8;
}

const PAGE: usize = 65_536;
/// Grow memory 256 MiB at a time: each grow is a host call.
const GROWTH_PAGES: usize = 4_096;

unsafe impl GlobalAlloc for Bump {
	unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
		let heap_base = core::ptr::addr_of!(__heap_base) as usize;
		let start = (self.next.get().max(heap_base) + layout.align() - 1) & !(layout.align() - 1);
		let end = start + layout.size();
		let have = wasm32::memory_size(0) * PAGE;
		if end > have && wasm32::memory_grow(0, ((end - have) / PAGE + 1).max(GROWTH_PAGES)) == usize::MAX {
			return core::ptr::null_mut();
		}
		self.next.set(end);
		start as *mut u8
	}

	unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}

	unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, size: usize) -> *mut u8 {
		if ptr as usize + layout.size() == self.next.get() {
			// The last allocation grows in place.
			self.next.set(ptr as usize);
			let grown = self.alloc(Layout::from_size_align_unchecked(size, layout.align()));
			if grown == ptr {
				return ptr;
			}
		}
		let moved = self.alloc(Layout::from_size_align_unchecked(size, layout.align()));
		if !moved.is_null() {
			core::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(size));
		}
		moved
	}
}

#[global_allocator]
static ALLOCATOR: Bump = Bump { next: Cell::new(0), mark: Cell::new(0) };

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
	wasm32::unreachable()
}

struct Subnet(Cell<Option<&'static EpochInput>>);
unsafe impl Sync for Subnet {}
static SUBNET: Subnet = Subnet(Cell::new(None));

/// Builds the subnet of `n` uids with `validators` validators (one epoch already run).
#[no_mangle]
pub extern "C" fn setup(n: u32, validators: u32) {
	let input = full_subnet(n as u16, validators as u16);
	SUBNET.0.set(Some(alloc::boxed::Box::leak(alloc::boxed::Box::new(input))));
	ALLOCATOR.mark.set(ALLOCATOR.next.get());
}

/// Runs one epoch on the subnet; returns the tokens it paid (a check that it ran).
#[no_mangle]
pub extern "C" fn run() -> u64 {
	ALLOCATOR.next.set(ALLOCATOR.mark.get());
	SUBNET.0.get().map_or(0, |input| epoch(input).emission.iter().sum())
}
