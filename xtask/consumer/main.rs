//! A user's program, built by `cargo xtask publish --rehearse` against the
//! crates it published into a local registry (never against the
//! workspace's paths): it lists the workspaces of the Motion mock at
//! `MOCK_URL` through the provider's crate and through the facade.

use futures_util::TryStreamExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::var("MOCK_URL")?;
    let client = workspaces_sdk_motion::Client::with_base_url(&base_url, "sk-rehearsal")?;
    let page = client.list_workspaces().send().await?.into_inner();
    println!("workspaces-sdk-motion: {} workspace(s)", page.workspaces.len());

    let provider: workspaces_sdk::Provider = "motion".parse()?;
    let credentials = workspaces_sdk::Credentials::new(provider, "sk-rehearsal");
    let facade = workspaces_sdk::Client::with_config(Some(&base_url), credentials, workspaces_sdk::Config::default())?;
    let all: Vec<_> = facade.workspaces().try_collect().await?;
    println!("workspaces-sdk: {} workspace(s)", all.len());
    Ok(())
}
