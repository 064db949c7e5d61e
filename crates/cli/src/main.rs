//! The `workspaces` command: see `workspaces --help`.

fn main() -> std::process::ExitCode {
    workspaces_cli::main()
}
