//! `workspaces demo` and `workspaces mock serve`.

use workspaces_sdk::{Client, Credentials, Provider};

use crate::{
    args::{DemoArgs, ServeArgs},
    cassette::Cassette,
    exit::Failure,
    list::print_pages,
    mock::{self, MockOptions},
    output::Printer,
};

/// Starts the mock of every provider in this process and lists its
/// workspaces through the provider's real client.
pub async fn demo(args: DemoArgs) -> Result<(), Failure> {
    let mut printer = Printer::new(args.output);
    for &provider in Provider::ALL {
        let server = mock::start(provider, 0, MockOptions::default())
            .await
            .map_err(Failure::other)?;
        eprintln!("{provider}: mock API on {}", server.base_url());
        let credentials = Credentials::new(provider, "demo-credential");
        let client = Client::with_base_url(&server.base_url(), credentials)?;
        print_pages(provider, client.workspace_pages(), &mut printer, false).await?;
    }
    printer.finish()
}

/// Serves one provider's mock until the process is stopped.
pub async fn serve(args: ServeArgs) -> Result<(), Failure> {
    let replay = match &args.replay {
        Some(path) => Some(std::sync::Arc::new(
            Cassette::read(path, args.provider.id()).map_err(Failure::usage)?,
        )),
        None => None,
    };
    let options = MockOptions {
        credential: args.credential,
        page_size: usize::try_from(args.page_size).unwrap_or(usize::MAX),
        replay,
    };
    let server = mock::start(args.provider, args.port, options)
        .await
        .map_err(Failure::other)?;
    println!("{} mock API on {}", args.provider, server.base_url());
    for line in mock::ignored_filters(args.provider) {
        eprintln!("The mock's {line}: it answers as if they were not given.");
    }
    eprintln!("Stop it with Ctrl-C.");
    std::future::pending::<()>().await;
    Ok(())
}
