//! `workspaces check` (a listing's responses, live or from a cassette,
//! against the provider's spec) and `workspaces record` (a listing saved as
//! a cassette, credentials removed).

use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use workspaces_sdk::{
    Client, Config, Credentials, Error, ErrorKind, Exchange, Provider,
    drift::{Description, Report},
};

use crate::{
    args::{CheckArgs, RecordArgs, ReportFormat},
    cassette::Cassette,
    exit::{DRIFT, Failure},
    list::credentials,
    output::{aligned, print},
};

/// Checks every response and prints what departs from the spec.
pub async fn check(args: CheckArgs) -> Result<(), Failure> {
    let provider = args.provider;
    let description = Description::of(provider).map_err(Failure::other)?;
    let mut report = Report::default();
    let mut stopped = None;
    match &args.cassette {
        Some(path) => {
            let cassette = Cassette::read(path, provider.id()).map_err(Failure::usage)?;
            for interaction in &cassette.interactions {
                let response = &interaction.response;
                let body = response.bytes();
                let findings =
                    description.check(&interaction.operation, response.status, response.content_type(), &body);
                report.add(findings.map_err(Failure::other)?);
            }
        }
        None => {
            let credentials = credentials(provider, args.credential_file.as_deref())?;
            let listing = observe_listing(args.base_url.as_deref(), credentials).await?;
            say_waited_out(provider, listing.waited_out);
            // A refused credential, or a rate limit that outlasted the
            // retries, ends the check as it ends `list`: it is not drift,
            // and what was checked before it says nothing of the rest.
            stopped = listing.stopped;
            if let Some(error) = stopped.take_if(|error| is_refusal(error)) {
                return Err(error.into());
            }
            for exchange in &listing.exchanges {
                report.add(description.check_exchange(exchange).map_err(Failure::other)?);
            }
        }
    }
    // A listing that stopped before any response (an unreachable server)
    // checked nothing: no report says the spec holds.
    if let Some(error) = stopped.take_if(|_| report.responses() == 0) {
        return Err(error.into());
    }
    print_report(provider, &report, args.output)?;
    // A listing stopped by a status the spec does not document is drift,
    // reported; any other stop ends as `list` would.
    if let Some(error) = stopped {
        let status = error.status().map(|s| s.as_u16());
        let explained = report.findings().iter().any(|f| Some(f.status) == status);
        if !explained {
            return Err(error.into());
        }
    }
    match args.strict && !report.holds() {
        true => Err(Failure {
            code: DRIFT,
            message: format!(
                "the {provider} API has drifted from its spec: {} finding(s)",
                report.findings().len()
            ),
        }),
        false => Ok(()),
    }
}

/// Records every request and response of the listing as a cassette.
pub async fn record(args: RecordArgs) -> Result<(), Failure> {
    let provider = args.provider;
    let credentials = credentials(provider, args.credential_file.as_deref())?;
    let secret = credentials.credential().expose_secret().map(str::to_owned);
    let base_url = args
        .base_url
        .clone()
        .or_else(|| provider.default_base_url().map(str::to_owned))
        .unwrap_or_default();
    let listing = observe_listing(args.base_url.as_deref(), credentials).await?;
    say_waited_out(provider, listing.waited_out);
    // The client removed each credential; what the credential is made of
    // (a user name and password's parts) goes too.
    let mut secrets: Vec<&str> = secret.iter().map(String::as_str).collect();
    if let Some((user, password)) = secret.as_deref().and_then(|s| s.split_once(':')) {
        secrets.extend([user, password]);
    }
    let mut cassette = Cassette::record(provider.id(), &base_url, &listing.exchanges, &secrets);
    cassette.waited_out = listing.waited_out;
    cassette.write(&args.out).map_err(Failure::other)?;
    eprintln!(
        "{provider}: {} exchange(s) recorded in {}",
        cassette.interactions.len(),
        args.out.display()
    );
    match listing.stopped {
        Some(error) => Err(error.into()),
        None => Ok(()),
    }
}

/// What a listing run for `check` or `record` saw.
struct Listing {
    /// Every response the listing was answered with (one per request: an
    /// attempt that was retried is not among them).
    exchanges: Vec<Exchange>,
    /// How many attempts were retried before those answers: refusals (a
    /// rate limit, an unavailable server) waited out.
    waited_out: u32,
    /// The error that stopped the listing, if any (an item that does not
    /// decode does not stop it).
    stopped: Option<Error>,
}

/// Says how many refusals a listing waited out, if any.
fn say_waited_out(provider: Provider, waited_out: u32) {
    if waited_out > 0 {
        eprintln!("{provider}: waited out {waited_out} refusal(s) (rate limit or unavailable), as `list` does");
    }
}

/// Whether an error is the server refusing the credential or the rate
/// limit after the retries: it ends `check` as it ends `list`.
fn is_refusal(error: &Error) -> bool {
    matches!(error.status().map(|s| s.as_u16()), Some(401 | 403 | 429))
}

/// Runs the whole listing as `list` does (retries, `Retry-After`, the same
/// bound on the total wait): every response it was answered with, how many
/// refusals it waited out, and the error that stopped it, if any.
async fn observe_listing(base_url: Option<&str>, credentials: Credentials) -> Result<Listing, Failure> {
    let seen: Arc<Mutex<Vec<Exchange>>> = Arc::default();
    let kept = seen.clone();
    let config = Config::default()
        .observe(move |exchange| kept.lock().unwrap_or_else(|p| p.into_inner()).push(exchange.clone()));
    let client = Client::with_config(base_url, credentials, config)?;
    let mut pages = client.workspace_pages();
    let mut stopped = None;
    while let Some(page) = pages.next().await {
        match page {
            Err(error) if matches!(error.kind(), ErrorKind::InvalidItem { .. }) => continue,
            Err(error) => {
                stopped = Some(error);
                break;
            }
            Ok(_) => {}
        }
    }
    drop(pages);
    let exchanges = std::mem::take(&mut *seen.lock().unwrap_or_else(|p| p.into_inner()));
    let waited_out = exchanges
        .iter()
        .map(|exchange| exchange.attempt.saturating_sub(1))
        .sum();
    Ok(Listing {
        exchanges,
        waited_out,
        stopped,
    })
}

/// Prints the report: a table for people, or one JSON object.
fn print_report(provider: Provider, report: &Report, format: ReportFormat) -> Result<(), Failure> {
    let text = match format {
        ReportFormat::Json => {
            let json = serde_json::json!({
                "provider": provider.id(),
                "responses": report.responses(),
                "holds": report.holds(),
                "findings": report.findings(),
            });
            format!("{json}\n")
        }
        ReportFormat::Table => {
            let summary = match report.findings().len() {
                0 => "the spec holds".to_owned(),
                n => format!("{n} finding(s)"),
            };
            let mut text = format!("{provider}: {} response(s) checked, {summary}\n", report.responses());
            if !report.holds() {
                let header = ["KIND", "STATUS", "POINTER", "SEEN", "EXAMPLE", "EXPECTED"].map(String::from);
                let mut rows = vec![header];
                rows.extend(report.findings().iter().map(|f| {
                    [
                        f.kind.to_string(),
                        f.status.to_string(),
                        if f.pointer.is_empty() {
                            "-".into()
                        } else {
                            f.pointer.clone()
                        },
                        f.count.to_string(),
                        f.example.clone(),
                        crate::exit::one_line(&f.expected),
                    ]
                }));
                text += &aligned(&rows);
            }
            text
        }
    };
    print(&text)
}
