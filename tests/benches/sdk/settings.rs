//! What a run measures and how long: the full run of `cargo xtask bench`, or
//! the quick one (`--quick`, and every run by `cargo test`) that only shows
//! each benchmark works.

pub struct Settings {
    /// A short run that shows each benchmark works, timing nothing worth comparing.
    pub quick: bool,
    /// The sections to run (`decode`, `calls`, `paging`, `facade`); all when empty.
    pub only: Vec<String>,
    pub rounds: usize,
    /// Workspaces in a decoded response, and in the facade's listing.
    pub workspaces: usize,
    pub sequential_calls: usize,
    pub concurrent_calls: usize,
    pub latency_ms: u64,
    /// Clean builds of each side in the build benchmark.
    pub build_rounds: usize,
}

pub const USAGE: &str =
    "usage: sdk [--quick] [--rounds N] [--latency-ms N] [--build-rounds N] [decode|calls|paging|facade|build]...";

impl Settings {
    /// Reads the arguments; `cargo bench` passes `--bench`, `cargo test` does not.
    pub fn from_args(args: &[String]) -> Result<Self, String> {
        let quick = args.iter().any(|a| a == "--quick") || !args.iter().any(|a| a == "--bench");
        let mut settings = match quick {
            true => Self {
                quick,
                only: Vec::new(),
                rounds: 3,
                workspaces: 1_000,
                sequential_calls: 50,
                concurrent_calls: 200,
                latency_ms: 5,
                build_rounds: 1,
            },
            false => Self {
                quick,
                only: Vec::new(),
                rounds: 21,
                workspaces: 10_000,
                sequential_calls: 5_000,
                concurrent_calls: 20_000,
                latency_ms: 20,
                build_rounds: 3,
            },
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut number = |name: &str| -> Result<u64, String> {
                let value = args.next().ok_or_else(|| format!("{name} needs a number"))?;
                value.parse().map_err(|_| format!("{name}: `{value}` is not a number"))
            };
            match arg.as_str() {
                "--quick" | "--bench" => {}
                "--rounds" => settings.rounds = number("--rounds")?.max(1) as usize,
                "--latency-ms" => settings.latency_ms = number("--latency-ms")?,
                "--build-rounds" => settings.build_rounds = number("--build-rounds")?.max(1) as usize,
                "decode" | "calls" | "paging" | "facade" | "build" => settings.only.push(arg.clone()),
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        Ok(settings)
    }

    pub fn runs(&self, section: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|s| s == section)
    }
}
