//! `workspaces list`: one provider's listing, with its filters, printed page
//! by page; and the printing the demo shares.

use futures_util::StreamExt;
use workspaces_sdk::{Client, Config, Credentials, Paging, Provider, WorkspacePages};

use crate::{
    args::{ListArgs, Output},
    exit::Failure,
    output::Printer,
};

pub async fn list(args: ListArgs) -> Result<(), Failure> {
    let provider = args.provider;
    args.filters.check(provider)?;
    let credentials = match &args.credential_file {
        Some(path) => Credentials::from_file(provider, path)?,
        None => Credentials::from_env(provider)?,
    };
    let client = Client::with_config(args.base_url.as_deref(), credentials, Config::default())?;
    let format = args
        .output
        .unwrap_or_else(|| match std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            true => Output::Table,
            false => Output::Ndjson,
        });
    let mut printer = Printer::new(format);
    let pages = filtered(&client, &args)?;
    print_pages(provider, pages, &mut printer, args.quiet).await?;
    printer.finish()
}

/// The listing of `client` with the filters given for its provider.
fn filtered<'a>(client: &'a Client, args: &ListArgs) -> Result<WorkspacePages<'a>, Failure> {
    let paging = Paging {
        page_size: args.filters.page_size(client.provider().id())?,
        ..Paging::default()
    };
    crate::generated::filtered(client, &args.filters, paging)
}

/// Prints every page of a listing, with progress on stderr unless `quiet`.
pub async fn print_pages(
    provider: Provider,
    mut pages: WorkspacePages<'_>,
    printer: &mut Printer,
    quiet: bool,
) -> Result<(), Failure> {
    let (mut count, mut total) = (0, 0);
    while let Some(page) = pages.next().await {
        let page = page?;
        count += 1;
        total += page.len();
        if !quiet {
            let plural = if total == 1 { "" } else { "s" };
            eprintln!("{provider}: page {count} loaded, {total} workspace{plural} so far");
        }
        printer.page(page)?;
    }
    Ok(())
}
