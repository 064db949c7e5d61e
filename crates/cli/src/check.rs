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
            let (exchanges, error) = observe_listing(args.base_url.as_deref(), credentials).await?;
            stopped = error;
            for exchange in &exchanges {
                report.add(description.check_exchange(exchange).map_err(Failure::other)?);
            }
        }
    }
    print_report(provider, &report, args.output)?;
    // A listing stopped by a status the spec documents (a refused
    // credential, a rate limit) is not drift: it ends as `list` would.
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
    let (exchanges, error) = observe_listing(args.base_url.as_deref(), credentials).await?;
    // The client removed each credential; what the credential is made of
    // (a user name and password's parts) goes too.
    let mut secrets: Vec<&str> = secret.iter().map(String::as_str).collect();
    if let Some((user, password)) = secret.as_deref().and_then(|s| s.split_once(':')) {
        secrets.extend([user, password]);
    }
    let cassette = Cassette::record(provider.id(), &base_url, &exchanges, &secrets);
    cassette.write(&args.out).map_err(Failure::other)?;
    eprintln!(
        "{provider}: {} exchange(s) recorded in {}",
        cassette.interactions.len(),
        args.out.display()
    );
    match error {
        Some(error) => Err(error.into()),
        None => Ok(()),
    }
}

/// Runs the whole listing, without retries (each response is kept as it
/// came): every exchange, and the error that stopped it, if any (an item
/// that does not decode does not stop it).
async fn observe_listing(
    base_url: Option<&str>,
    credentials: Credentials,
) -> Result<(Vec<Exchange>, Option<Error>), Failure> {
    let seen: Arc<Mutex<Vec<Exchange>>> = Arc::default();
    let kept = seen.clone();
    let config = Config::default()
        .without_retries()
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
    Ok((exchanges, stopped))
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
