//! How the benchmarks measure: interleaved rounds of two sides, the median
//! of the per-round ratios, and heap allocations counted on the thread that
//! runs the client.

use std::{
    alloc::{GlobalAlloc, Layout, System},
    cell::Cell,
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

/// The system allocator, counting the allocations of the threads that ask.
pub struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

// SAFETY: every call is passed on to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTED.with(Cell::get) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: as the caller guarantees for `GlobalAlloc::alloc`.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as the caller guarantees for `GlobalAlloc::dealloc`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTED.with(Cell::get) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: as the caller guarantees for `GlobalAlloc::realloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// The allocations `run` makes on this thread.
pub fn allocations(run: impl FnOnce()) -> u64 {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    COUNTED.with(|c| c.set(true));
    run();
    COUNTED.with(|c| c.set(false));
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

/// The runtime every benchmark's clients run on: one thread, as a client's
/// own work is what is measured (the servers have threads of their own).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Reads a whole listing, keeping every item as a user collecting it would,
/// and checks it holds `expected` items.
pub async fn collect_all<T, E: std::fmt::Debug>(
    stream: impl futures_util::Stream<Item = Result<T, E>>,
    expected: usize,
    what: &str,
) {
    use futures_util::TryStreamExt;
    let all: Vec<T> = stream.try_collect().await.unwrap_or_else(|e| panic!("{what}: {e:?}"));
    assert_eq!(all.len(), expected, "{what}");
}

/// The time `run` takes.
pub fn time(run: &mut dyn FnMut()) -> Duration {
    let start = Instant::now();
    run();
    start.elapsed()
}

/// A ratio over rounds: its median and quartiles.
pub struct Ratio {
    pub median: f64,
    pub low: f64,
    pub high: f64,
}

impl Ratio {
    /// The same rounds read the other way: a ratio of times as a ratio of speeds.
    pub fn inverse(&self) -> Self {
        Self {
            median: 1.0 / self.median,
            low: 1.0 / self.high,
            high: 1.0 / self.low,
        }
    }
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.3}x (quartiles {:.3}x to {:.3}x)",
            self.median, self.low, self.high
        )
    }
}

/// `measured` time over `baseline` time, in `rounds` interleaved rounds after
/// two of warm-up, each side going first in turn.
pub fn ratio(rounds: usize, baseline: &mut dyn FnMut(), measured: &mut dyn FnMut()) -> Ratio {
    for _ in 0..2 {
        baseline();
        measured();
    }
    let mut ratios: Vec<f64> = (0..rounds)
        .map(|round| {
            let (b, m) = if round % 2 == 0 {
                let b = time(baseline);
                (b, time(measured))
            } else {
                let m = time(measured);
                (time(baseline), m)
            };
            m.as_secs_f64() / b.as_secs_f64()
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    let at = |q: usize| ratios[(ratios.len() * q / 4).min(ratios.len() - 1)];
    Ratio {
        median: at(2),
        low: at(1),
        high: at(3),
    }
}

/// One line of the report: what, the figure, and the target it meets or misses.
pub fn report(what: &str, figure: &str, meets: bool, target: &str) {
    let verdict = if meets { "meets" } else { "MISSES" };
    println!("  {what}: {figure}  [{verdict} {target}]");
}
