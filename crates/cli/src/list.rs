//! `workspaces list`: one provider's listing, with its filters, printed page
//! by page; and the printing the demo shares.

use futures_util::StreamExt;
use workspaces_sdk::{Client, Config, Credentials, ErrorKind, Paging, Provider, WorkspacePages};

use crate::{
    args::{ListArgs, Output},
    exit::Failure,
    output::Printer,
};

pub async fn list(args: ListArgs) -> Result<(), Failure> {
    let provider = args.provider;
    args.filters.check(provider)?;
    let credentials = credentials(provider, args.credential_file.as_deref())?;
    let client = Client::with_config(args.base_url.as_deref(), credentials, Config::default())?;
    let format = args
        .output
        .unwrap_or_else(|| match std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            true => Output::Table,
            false => Output::Ndjson,
        });
    let mut printer = Printer::new(format);
    let pages = filtered(&client, &args)?;
    let unreadable = print_pages(provider, pages, &mut printer, args.quiet).await?;
    printer.finish()?;
    match unreadable {
        0 => Ok(()),
        1 => Err(Failure::other("1 workspace could not be read (see the warning above)")),
        n => Err(Failure::other(format!(
            "{n} workspaces could not be read (see the warnings above)"
        ))),
    }
}

/// The credentials of `provider`: from `file` if given, else from its
/// environment variable.
pub fn credentials(provider: Provider, file: Option<&std::path::Path>) -> Result<Credentials, Failure> {
    Ok(match file {
        Some(path) => Credentials::from_file(provider, path)?,
        None => Credentials::from_env(provider)?,
    })
}

/// The listing of `client` with the filters given for its provider.
fn filtered<'a>(client: &'a Client, args: &ListArgs) -> Result<WorkspacePages<'a>, Failure> {
    let paging = Paging {
        page_size: args.filters.page_size(client.provider().id())?,
        ..Paging::default()
    };
    crate::generated::filtered(client, &args.filters, paging)
}

/// Prints every page of a listing, with progress on stderr unless `quiet`,
/// and a warning on stderr for each workspace that could not be read (the
/// others are printed): how many there were.
pub async fn print_pages(
    provider: Provider,
    mut pages: WorkspacePages<'_>,
    printer: &mut Printer,
    quiet: bool,
) -> Result<usize, Failure> {
    let (mut count, mut total, mut unreadable) = (0, 0, 0);
    while let Some(page) = pages.next().await {
        let page = match page {
            Err(error) if matches!(error.kind(), ErrorKind::InvalidItem { .. }) => {
                eprintln!("workspaces: warning: {}", crate::exit::one_line(&error.to_string()));
                unreadable += 1;
                continue;
            }
            page => page?,
        };
        count += 1;
        total += page.len();
        if !quiet {
            let plural = if total == 1 { "" } else { "s" };
            eprintln!("{provider}: page {count} loaded, {total} workspace{plural} so far");
        }
        printer.page(page)?;
    }
    Ok(unreadable)
}
