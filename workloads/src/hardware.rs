//! Detection of the hardware a provider declares on chain.
//!
//! CPU, memory and disk come from `sysinfo`; GPUs from the optional NVIDIA backend
//! (`nvidia-smi`). A missing or failing backend means "no GPUs", never an error: a CPU-only
//! machine is a valid provider.

use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long `nvidia-smi` may take before it is considered hung (a wedged driver can block it).
const NVIDIA_SMI_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest GPU model name declared on chain.
const MAX_MODEL_NAME: usize = 32;

/// The machine's hardware.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Hardware {
	/// CPU brand string.
	pub cpu_model: String,
	/// Logical CPU cores.
	pub cpu_cores: u16,
	/// Total RAM, MiB.
	pub ram_mib: u32,
	/// Size (free + used) of the disk holding the work directory, GiB.
	pub disk_gib: u32,
	/// NVIDIA GPUs, in `nvidia-smi` order.
	pub gpus: Vec<Gpu>,
}

/// One GPU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Gpu {
	/// Model name as reported by the driver, e.g. "NVIDIA H200".
	pub name: String,
	/// Total memory, MiB.
	pub vram_mib: u32,
	/// CUDA compute capability (major, minor).
	pub compute_capability: (u8, u8),
}

impl Hardware {
	/// The model declared on chain: the first GPU's name as at most 32 printable ASCII bytes,
	/// or "CPU" when there is no GPU.
	pub fn gpu_model_name(&self) -> String {
		let Some(gpu) = self.gpus.first() else {
			return "CPU".to_string();
		};
		let name: String = gpu
			.name
			.chars()
			.filter(|c| c.is_ascii() && !c.is_ascii_control())
			.take(MAX_MODEL_NAME)
			.collect();
		let name = name.trim();
		if name.is_empty() {
			"GPU".to_string()
		} else {
			name.to_string()
		}
	}

	/// Devices declared on chain: the GPU count, or 1 for a CPU-only machine (the chain needs
	/// at least one device and the CPU counts as one).
	pub fn gpu_count(&self) -> u16 {
		if self.gpus.is_empty() {
			1
		} else {
			u16::try_from(self.gpus.len()).unwrap_or(u16::MAX)
		}
	}

	/// Memory per device: the smallest GPU's (a job must fit on any of them), or the RAM for a
	/// CPU-only machine.
	pub fn vram_per_gpu_mib(&self) -> u32 {
		self.gpus.iter().map(|g| g.vram_mib).min().unwrap_or(self.ram_mib)
	}

	/// The first GPU's compute capability, (0, 0) for a CPU-only machine.
	pub fn compute_capability(&self) -> (u8, u8) {
		self.gpus.first().map_or((0, 0), |g| g.compute_capability)
	}
}

/// Detects this machine's hardware; `disk_path` selects the disk whose size is reported.
pub fn detect(disk_path: &Path) -> Hardware {
	use sysinfo::{CpuRefreshKind, Disks, MemoryRefreshKind, RefreshKind, System};
	let sys = System::new_with_specifics(
		RefreshKind::new()
			.with_cpu(CpuRefreshKind::new())
			.with_memory(MemoryRefreshKind::new().with_ram()),
	);
	let cpu_model = sys.cpus().first().map(|c| c.brand().trim().to_string()).unwrap_or_default();
	let cores = match sys.cpus().len() {
		0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
		n => n,
	};
	let ram_mib = u32::try_from(sys.total_memory() >> 20).unwrap_or(u32::MAX);
	let disks = Disks::new_with_refreshed_list();
	let path = canonical_existing(disk_path);
	let disk_bytes = disks
		.list()
		.iter()
		.filter(|d| path.starts_with(d.mount_point()))
		.max_by_key(|d| d.mount_point().as_os_str().len())
		.map_or(0, |d| d.total_space());
	Hardware {
		cpu_model,
		cpu_cores: u16::try_from(cores).unwrap_or(u16::MAX),
		ram_mib,
		disk_gib: u32::try_from(disk_bytes >> 30).unwrap_or(u32::MAX),
		gpus: nvidia_smi().map(|out| parse_nvidia_smi(&out)).unwrap_or_default(),
	}
}

/// The canonical form of `path` or of its nearest existing ancestor (the work directory may not
/// exist yet, but its disk does).
fn canonical_existing(path: &Path) -> std::path::PathBuf {
	let absolute = if path.is_absolute() {
		path.to_path_buf()
	} else {
		std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
	};
	absolute.ancestors().find_map(|p| p.canonicalize().ok()).unwrap_or(absolute)
}

/// Runs `nvidia-smi`, returning its output or `None` if it is missing, fails or hangs.
fn nvidia_smi() -> Option<String> {
	let mut child = Command::new("nvidia-smi")
		.args(["--query-gpu=name,memory.total,compute_cap", "--format=csv,noheader,nounits"])
		.stdin(Stdio::null())
		.stdout(Stdio::piped())
		.stderr(Stdio::null())
		.spawn()
		.ok()?;
	let started = Instant::now();
	loop {
		match child.try_wait() {
			Ok(Some(status)) if status.success() => break,
			Ok(None) if started.elapsed() < NVIDIA_SMI_TIMEOUT => {
				std::thread::sleep(Duration::from_millis(20));
			}
			Ok(None) => {
				let _ = child.kill();
				let _ = child.wait();
				return None;
			}
			_ => return None,
		}
	}
	let mut out = String::new();
	child.stdout.take()?.read_to_string(&mut out).ok()?;
	Some(out)
}

/// Parses `nvidia-smi --query-gpu=name,memory.total,compute_cap --format=csv,noheader,nounits`
/// output, e.g. `NVIDIA H200, 143771, 9.0`, one GPU per line. Lines without a name are skipped;
/// unreadable memory or capability (e.g. `[N/A]`) become 0.
pub fn parse_nvidia_smi(text: &str) -> Vec<Gpu> {
	text.lines()
		.filter_map(|line| {
			// The name may itself contain commas, so split the numeric fields from the right.
			let mut fields = line.rsplitn(3, ',');
			let cc = fields.next()?.trim();
			let vram = fields.next()?.trim();
			let name = fields.next()?.trim();
			if name.is_empty() {
				return None;
			}
			let compute_capability = cc
				.split_once('.')
				.and_then(|(major, minor)| Some((major.parse().ok()?, minor.parse().ok()?)))
				.unwrap_or((0, 0));
			Some(Gpu {
				name: name.to_string(),
				vram_mib: vram.parse().unwrap_or(0),
				compute_capability,
			})
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parses_nvidia_smi_output() {
		let gpus = parse_nvidia_smi("NVIDIA H200, 143771, 9.0\nTesla T4, 15360, 7.5\n\n");
		assert_eq!(
			gpus,
			vec![
				Gpu { name: "NVIDIA H200".into(), vram_mib: 143771, compute_capability: (9, 0) },
				Gpu { name: "Tesla T4".into(), vram_mib: 15360, compute_capability: (7, 5) },
			]
		);
		let odd = parse_nvidia_smi("Weird, Name, [N/A], [N/A]\ngarbage\n, 1, 1.0");
		assert_eq!(
			odd,
			vec![Gpu { name: "Weird, Name".into(), vram_mib: 0, compute_capability: (0, 0) }]
		);
	}

	#[test]
	fn declared_values() {
		let cpu = Hardware {
			cpu_model: "x".into(),
			cpu_cores: 8,
			ram_mib: 32768,
			disk_gib: 100,
			gpus: vec![],
		};
		assert_eq!(cpu.gpu_model_name(), "CPU");
		assert_eq!(cpu.gpu_count(), 1);
		assert_eq!(cpu.vram_per_gpu_mib(), 32768);
		assert_eq!(cpu.compute_capability(), (0, 0));
		let gpu = Hardware {
			gpus: vec![
				Gpu {
					name: "NVIDIA H200 with a very long marketing name\u{7}é".into(),
					vram_mib: 143771,
					compute_capability: (9, 0),
				};
				2
			],
			..cpu
		};
		assert_eq!(gpu.gpu_model_name(), "NVIDIA H200 with a very long mar");
		assert_eq!(gpu.gpu_model_name().len(), 32);
		assert_eq!(gpu.gpu_count(), 2);
		assert_eq!(gpu.vram_per_gpu_mib(), 143771);
		assert_eq!(gpu.compute_capability(), (9, 0));
	}

	#[test]
	fn detects_this_machine() {
		let dir = tempfile::tempdir().unwrap();
		let hw = detect(&dir.path().join("not/yet/created"));
		assert!(hw.cpu_cores >= 1);
		assert!(hw.ram_mib > 0);
		assert!(hw.disk_gib > 0);
	}
}
