//! `workspaces check` (a listing's responses, live or from a cassette,
//! against the provider's spec) and `workspaces record` (a listing saved as
//! a cassette, credentials removed).

use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use workspaces_sdk::{
    Client, Config, Credentials, Error, ErrorKind, Exchange, ListWorkspaces, Provider,
    drift::{Description, Report},
};

use crate::{
    args::{CheckArgs, RecordArgs, ReportFormat},
    cassette::Cassette,
    exit::{DRIFT, Failure},
};

/// Checks every response and prints what departs from the spec.
pub async fn check(args: CheckArgs) -> Result<(), Failure> {
    let provider = args.provider;
    let description = Description::of(provider).map_err(Failure::other)?;
    let mut report = Report::default();
    let mut stopped = None;
    let responses: Vec<(String, u16, Option<String>, Vec<u8>)> = match &args.cassette {
        Some(path) => {
            let cassette = Cassette::read(path).map_err(Failure::usage)?;
            if cassette.provider != provider.id() {
                return Err(Failure::usage(format!(
                    "{} is a cassette of `{}`, not {}",
                    path.display(),
                    cassette.provider,
                    provider.id()
                )));
            }
            let each = cassette.interactions.iter().map(|i| {
                let response = &i.response;
                let content_type = response.content_type().map(str::to_owned);
                (i.operation.clone(), response.status, content_type, response.bytes())
            });
            each.collect()
        }
        None => {
            let credentials = credentials(provider, args.credential_file.as_deref())?;
            let (exchanges, error) = observe_listing(args.base_url.as_deref(), credentials).await?;
            stopped = error;
            let each = exchanges.into_iter().map(|e| {
                let content_type = e.content_type().map(str::to_owned);
                (e.operation_id.to_owned(), e.status, content_type, e.body.to_vec())
            });
            each.collect()
        }
    };
    for (operation, status, content_type, body) in &responses {
        let findings = description
            .check(operation, *status, content_type.as_deref(), body)
            .map_err(Failure::other)?;
        report.add(findings);
    }
    print(provider, &report, args.output);
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

fn credentials(provider: Provider, file: Option<&std::path::Path>) -> Result<Credentials, Failure> {
    Ok(match file {
        Some(path) => Credentials::from_file(provider, path)?,
        None => Credentials::from_env(provider)?,
    })
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
    let mut pages = (&client).workspace_pages();
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
fn print(provider: Provider, report: &Report, format: ReportFormat) {
    match format {
        ReportFormat::Json => {
            let json = serde_json::json!({
                "provider": provider.id(),
                "responses": report.responses(),
                "holds": report.holds(),
                "findings": report.findings(),
            });
            println!("{json}");
        }
        ReportFormat::Table => {
            let count = report.findings().len();
            println!(
                "{provider}: {} response(s) checked, {}",
                report.responses(),
                match count {
                    0 => "the spec holds".to_owned(),
                    n => format!("{n} finding(s)"),
                }
            );
            if count == 0 {
                return;
            }
            let mut rows = vec![[
                "KIND".to_owned(),
                "STATUS".to_owned(),
                "POINTER".to_owned(),
                "SEEN".to_owned(),
                "EXAMPLE".to_owned(),
                "EXPECTED".to_owned(),
            ]];
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
            let widths: Vec<usize> = (0..5)
                .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
                .collect();
            for row in rows {
                let mut line = String::new();
                for (cell, width) in row.iter().zip(&widths) {
                    line += &format!("{cell:width$}  ");
                }
                line += &row[5];
                println!("{line}");
            }
        }
    }
}
