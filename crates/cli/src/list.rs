//! `workspaces list`: one provider's listing, with its filters, printed page
//! by page; and the printing the demo shares.

use futures_util::StreamExt;
use workspaces_sdk::{Client, Config, Credentials, ListWorkspaces, Paging, Provider, WorkspacePages};

use crate::{
    args::{ListArgs, Output},
    exit::Failure,
    output::Printer,
};

pub async fn list(args: ListArgs) -> Result<(), Failure> {
    let provider = args.provider;
    if let Some((flag, owner)) = args
        .filters_given()
        .into_iter()
        .find(|(_, owner)| *owner != provider.id())
    {
        return Err(Failure::usage(format!(
            "{flag} is a filter of {owner}, not of {provider}"
        )));
    }
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

/// The listing of `client` with the filters of its provider.
fn filtered<'a>(client: &'a Client, args: &ListArgs) -> Result<WorkspacePages<'a>, Failure> {
    let d = &args.delay;
    let paging = Paging {
        page_size: d.page_size.map(u64::from),
        ..Paging::default()
    };
    Ok(match client {
        Client::Motion(client) => {
            let request = client.list_workspaces();
            match args.motion.ids.is_empty() {
                true => request.workspace_pages_with(paging),
                false => request.ids(args.motion.ids.clone()).workspace_pages_with(paging),
            }
        }
        Client::SeaTable(client) => {
            let request = client.list_workspaces();
            match args.seatable.detail {
                true => request.detail(true).workspace_pages_with(paging),
                false => request.workspace_pages_with(paging),
            }
        }
        Client::Delay(client) => {
            let mut request = client.list_workspaces();
            if let Some(value) = &d.sort_by {
                request = request.sort_by(value.clone());
            }
            if let Some(order) = &d.sort_order {
                let order: workspaces_sdk::delay::types::SortOrder = order.parse().map_err(Failure::usage)?;
                request = request.sort_order(order);
            }
            if let Some(value) = &d.id {
                request = request.id(value.clone());
            }
            if let Some(value) = &d.created_by {
                request = request.created_by(value.clone());
            }
            if let Some(value) = &d.updated_by {
                request = request.updated_by(value.clone());
            }
            if let Some(value) = &d.workspace_type {
                request = request.workspace_type(value.clone());
            }
            if let Some(value) = &d.owner_id {
                request = request.owner_id(value.clone());
            }
            if let Some(time) = d.created_at_from {
                request = request.created_at_from(time);
            }
            if let Some(time) = d.created_at_to {
                request = request.created_at_to(time);
            }
            if let Some(time) = d.updated_at_from {
                request = request.updated_at_from(time);
            }
            if let Some(time) = d.updated_at_to {
                request = request.updated_at_to(time);
            }
            if let Some(value) = &d.search {
                request = request.search(value.clone());
            }
            request.workspace_pages_with(paging)
        }
        // A provider without filters of its own here: its listing as it is.
        other => other.workspace_pages_with(paging),
    })
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
