//! Running the `workspaces` binary from the command line's tests.

use assert_cmd::Command;
use workspaces_sdk::Provider;

/// The binary, with no credential of any provider in its environment.
pub fn workspaces() -> Command {
    let mut command = Command::cargo_bin("workspaces").unwrap();
    for provider in Provider::ALL {
        command.env_remove(provider.credential_variable());
    }
    command
}

/// How a run of the binary ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary on a blocking thread, so that mocks on this runtime answer.
pub async fn run(mut command: Command) -> Run {
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}
