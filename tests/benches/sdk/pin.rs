//! Threads pinned to cores: the benchmark's client on the first core, the
//! server's threads on the second, so that whether they share a core does
//! not change from one run to the next (on a machine of one core, nothing
//! is pinned).

/// The cores there are, as the scheduler gave them to this process before
/// any thread was pinned (a pinned thread, and those it starts, see one).
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
}

fn pin_to(core: usize) {
    if cores() < 2 {
        return;
    }
    // SAFETY: `set` is a plain bit set on the stack, sized for the call;
    // pid 0 is the calling thread.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(core, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

/// Pins the calling thread, the client's, to the first core.
pub fn client_thread() {
    pin_to(0);
}

/// Pins the calling thread, one of the server's, to the second core.
pub fn server_thread() {
    pin_to(1);
}

/// How the threads run, for the report.
pub fn described() -> &'static str {
    match cores() >= 2 {
        true => "client pinned to core 0, server to core 1",
        false => "one core: nothing pinned",
    }
}
